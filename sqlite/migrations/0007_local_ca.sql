-- The local CA (package localca): one row, its certificate and its private
-- key sealed under the master key. The first process to store it wins
-- (INSERT … ON CONFLICT DO NOTHING); the others read it back.
CREATE TABLE local_ca (
    one            INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
    cert_pem       TEXT    NOT NULL,
    sealed_key     BLOB    NOT NULL,
    create_time_ms INTEGER NOT NULL
);
