-- The schema of the SQLite store, in PostgreSQL's types. Times stay Unix
-- milliseconds (BIGINT) rather than timestamptz, so both stores hold exactly
-- the same values and order them alike.

-- Certificates of every kind, account and region in one table: ids are
-- unique store-wide, and the quota count and the listings all read one index.
-- Ids compare byte-wise (COLLATE "C"), so that ties on create_time_ms are
-- broken in the same order as SQLite's, whatever the database's locale.
CREATE TABLE certificates (
    id                             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind                           TEXT     NOT NULL,
    account_id                     TEXT     NOT NULL,
    region_id                      TEXT     NOT NULL,
    name                           TEXT     NOT NULL,
    resource_group_id              TEXT     NOT NULL,
    fingerprint                    TEXT     NOT NULL,
    common_name                    TEXT     NOT NULL,
    sans                           TEXT[]   NOT NULL, -- in certificate order
    encryption_algorithm           TEXT     NOT NULL,
    encryption_key_length          INTEGER  NOT NULL,
    create_time_ms                 BIGINT   NOT NULL, -- Unix milliseconds, UTC
    expire_time_ms                 BIGINT   NOT NULL,
    alicloud_certificate_id        TEXT     NOT NULL,
    alicloud_certificate_name      TEXT     NOT NULL,
    alicloud_certificate_region_id TEXT     NOT NULL,
    is_alicloud                    BOOLEAN  NOT NULL,
    standard_type                  TEXT     NOT NULL,
    certificate_pem                TEXT     NOT NULL,
    sealed_private_key             BYTEA              -- NULL for CA certificates
);

-- Serves the quota count (account, region, kind) and every listing, already
-- in the order FindCertificates returns.
CREATE INDEX certificates_owner_kind_created
    ON certificates (account_id, region_id, kind, create_time_ms, id);

-- position keeps the order in which keys were first set; it may have gaps.
CREATE TABLE certificate_tags (
    certificate_id TEXT COLLATE "C" NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    key            TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    PRIMARY KEY (certificate_id, key)
);

-- Tag filters driven by the tag rather than by the certificate.
CREATE INDEX certificate_tags_key_value ON certificate_tags (key, value);

-- Signature nonces seen, until they expire.
CREATE TABLE nonces (
    access_key_id TEXT   NOT NULL,
    nonce         TEXT   NOT NULL,
    expires_ms    BIGINT NOT NULL, -- Unix milliseconds
    PRIMARY KEY (access_key_id, nonce)
);

CREATE INDEX nonces_expires ON nonces (expires_ms);
