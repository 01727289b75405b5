-- The certificate catalog (CAS): one per account, not per region. Lists,
-- tags and the chain are TEXT holding JSON, so that both stores scan them
-- alike (the table code is shared: sqlstore/catalog.go).

-- Hands out CertIds: one row, the last id reserved. An UPDATE … RETURNING
-- takes the next one under the write lock, so ids only grow and are never
-- reused, even when the upload that reserved one failed.
CREATE TABLE user_certificate_ids (
    one     INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
    last_id INTEGER NOT NULL
);
INSERT INTO user_certificate_ids (one, last_id) VALUES (1, 10000000);

CREATE TABLE user_certificates (
    id                INTEGER NOT NULL PRIMARY KEY, -- CertId
    account_id        TEXT    NOT NULL,
    instance_id       TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    resource_group_id TEXT    NOT NULL,
    cert              TEXT    NOT NULL, -- as uploaded, byte for byte
    encrypt_cert      TEXT    NOT NULL,
    sign_cert         TEXT    NOT NULL,
    sealed_keys       BLOB    NOT NULL, -- Key, EncryptPrivateKey, SignPrivateKey, sealed together
    common_name       TEXT    NOT NULL,
    sans              TEXT    NOT NULL, -- JSON array of strings
    search_text       TEXT    NOT NULL, -- lower-cased CN, SANs and instance id, for Keyword
    fingerprint       TEXT    NOT NULL,
    sha2              TEXT    NOT NULL,
    serial_no         TEXT    NOT NULL,
    issuer            TEXT    NOT NULL,
    org_name          TEXT    NOT NULL,
    province          TEXT    NOT NULL,
    city              TEXT    NOT NULL,
    country           TEXT    NOT NULL,
    algorithm         TEXT    NOT NULL,
    not_before_ms     INTEGER NOT NULL, -- Unix milliseconds
    not_after_ms      INTEGER NOT NULL,
    cert_chain        TEXT    NOT NULL, -- JSON array of chain entries
    tags              TEXT    NOT NULL, -- JSON array of {"Key","Value"}, in order
    create_time_ms    INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

-- Serves the quota count and every listing, newest first.
CREATE INDEX user_certificates_account ON user_certificates (account_id, id);
