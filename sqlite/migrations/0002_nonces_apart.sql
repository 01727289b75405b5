-- Nonces moved to a file of their own (see nonce.go), written without fsync.
DROP TABLE IF EXISTS nonces;
