-- The load-balancer tables of SQLite's migration 0005, in PostgreSQL's types; ids compare
-- byte-wise (COLLATE "C") as they do in SQLite.

-- Load balancers and what hangs off them (clb-listeners.md). Settings no
-- query filters on are kept as JSON text, so that both stores scan alike;
-- references are columns with foreign keys, so that the database itself
-- refuses to delete a certificate, VServer group or TLS policy in use.

CREATE TABLE load_balancers (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id      TEXT    NOT NULL,
    region_id       TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    address         TEXT    NOT NULL UNIQUE, -- unique in the database: the data plane binds it
    client_token    TEXT    NOT NULL,        -- '' when none was given
    create_time_ms  BIGINT  NOT NULL,        -- Unix milliseconds, UTC
    attributes      TEXT    NOT NULL,        -- JSON object: name, spec, network, billing, protection
    backend_servers TEXT    NOT NULL,        -- JSON array: the default server list
    tags            TEXT    NOT NULL         -- JSON array of {Key, Value}, in the order keys were set
);

CREATE INDEX load_balancers_owner ON load_balancers (account_id, region_id, create_time_ms, id);

CREATE UNIQUE INDEX load_balancers_client_token ON load_balancers (account_id, client_token) WHERE client_token <> '';

CREATE TABLE lb_vserver_groups (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    load_balancer_id TEXT COLLATE "C" NOT NULL REFERENCES load_balancers (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    create_time_ms   BIGINT  NOT NULL,
    backend_servers  TEXT    NOT NULL, -- JSON array
    tags             TEXT    NOT NULL  -- JSON array
);

CREATE INDEX lb_vserver_groups_load_balancer ON lb_vserver_groups (load_balancer_id, create_time_ms, id);

CREATE TABLE lb_tls_cipher_policies (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    region_id      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    tls_versions   TEXT    NOT NULL, -- JSON array
    ciphers        TEXT    NOT NULL, -- JSON array
    create_time_ms BIGINT  NOT NULL
);

CREATE INDEX lb_tls_cipher_policies_owner ON lb_tls_cipher_policies (account_id, region_id, create_time_ms, id);

-- A NULL reference is no reference. Certificates are RESTRICTed (their
-- delete fails at once); a VServer group or TLS policy is checked at the
-- end of the statement (NO ACTION), so that deleting a load balancer may
-- cascade to its listeners and groups in one statement.
CREATE TABLE lb_listeners (
    load_balancer_id      TEXT COLLATE "C" NOT NULL REFERENCES load_balancers (id) ON DELETE CASCADE,
    port                  INTEGER NOT NULL,
    protocol              TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    server_certificate_id TEXT COLLATE "C" REFERENCES certificates (id) ON DELETE RESTRICT,
    ca_certificate_id     TEXT COLLATE "C" REFERENCES certificates (id) ON DELETE RESTRICT,
    vserver_group_id      TEXT COLLATE "C" REFERENCES lb_vserver_groups (id),
    tls_cipher_policy     TEXT    NOT NULL, -- a built-in name, a custom id, or '' (HTTP)
    tls_cipher_policy_id  TEXT COLLATE "C" REFERENCES lb_tls_cipher_policies (id), -- set for custom ids only
    create_time_ms        BIGINT  NOT NULL,
    config                TEXT    NOT NULL, -- JSON object: slbcert.ListenerConfig
    PRIMARY KEY (load_balancer_id, port)
);

-- The foreign-key checks of deletes look referencing rows up by these.
CREATE INDEX lb_listeners_server_certificate ON lb_listeners (server_certificate_id);
CREATE INDEX lb_listeners_ca_certificate ON lb_listeners (ca_certificate_id);
CREATE INDEX lb_listeners_vserver_group ON lb_listeners (vserver_group_id);
CREATE INDEX lb_listeners_tls_cipher_policy ON lb_listeners (tls_cipher_policy_id);

CREATE TABLE lb_domain_extensions (
    id                    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    load_balancer_id      TEXT COLLATE "C" NOT NULL,
    listener_port         INTEGER NOT NULL,
    domain                TEXT    NOT NULL, -- lower case
    server_certificate_id TEXT COLLATE "C" NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
    create_time_ms        BIGINT  NOT NULL,
    FOREIGN KEY (load_balancer_id, listener_port) REFERENCES lb_listeners (load_balancer_id, port) ON DELETE CASCADE,
    UNIQUE (load_balancer_id, listener_port, domain)
);

CREATE INDEX lb_domain_extensions_certificate ON lb_domain_extensions (server_certificate_id);
