-- The local CA (package localca), as in SQLite's 0007_local_ca.sql: one
-- row, its certificate and its private key sealed under the master key.
-- Replicas share it: the first to store it wins (INSERT … ON CONFLICT DO
-- NOTHING), the others read it back.
CREATE TABLE local_ca (
    one            INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
    cert_pem       TEXT    NOT NULL,
    sealed_key     BYTEA   NOT NULL,
    create_time_ms BIGINT  NOT NULL
);
