-- Certificates of every kind, account and region in one table: ids are
-- unique store-wide, and the quota count and the listings all read one index.
CREATE TABLE certificates (
    id                             TEXT    NOT NULL PRIMARY KEY,
    kind                           TEXT    NOT NULL,
    account_id                     TEXT    NOT NULL,
    region_id                      TEXT    NOT NULL,
    name                           TEXT    NOT NULL,
    resource_group_id              TEXT    NOT NULL,
    fingerprint                    TEXT    NOT NULL,
    common_name                    TEXT    NOT NULL,
    sans                           TEXT    NOT NULL, -- JSON array of strings, in certificate order
    encryption_algorithm           TEXT    NOT NULL,
    encryption_key_length          INTEGER NOT NULL,
    create_time_ms                 INTEGER NOT NULL, -- Unix milliseconds, UTC
    expire_time_ms                 INTEGER NOT NULL,
    alicloud_certificate_id        TEXT    NOT NULL,
    alicloud_certificate_name      TEXT    NOT NULL,
    alicloud_certificate_region_id TEXT    NOT NULL,
    is_alicloud                    INTEGER NOT NULL, -- 0 or 1
    standard_type                  TEXT    NOT NULL,
    certificate_pem                TEXT    NOT NULL,
    sealed_private_key             BLOB              -- NULL for CA certificates
);

-- Serves the quota count (account, region, kind) and every listing, already
-- in the order FindCertificates returns.
CREATE INDEX certificates_owner_kind_created
    ON certificates (account_id, region_id, kind, create_time_ms, id);

-- position keeps the order in which keys were first set; it may have gaps.
CREATE TABLE certificate_tags (
    certificate_id TEXT    NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    key            TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    PRIMARY KEY (certificate_id, key)
);

-- Tag filters driven by the tag rather than by the certificate.
CREATE INDEX certificate_tags_key_value ON certificate_tags (key, value);

-- Signature nonces seen, until they expire.
CREATE TABLE nonces (
    access_key_id TEXT    NOT NULL,
    nonce         TEXT    NOT NULL,
    expires_ms    INTEGER NOT NULL, -- Unix milliseconds
    PRIMARY KEY (access_key_id, nonce)
);

CREATE INDEX nonces_expires ON nonces (expires_ms);
