-- TCP and UDP listeners, and access control lists; mirrors SQLite's
-- 0010_l4_listeners_acls.sql (docs/choices.md, "TCP and UDP listeners",
-- "Access control lists").
--
-- A listener is keyed by its load balancer, port and family: 'udp' for UDP
-- listeners, 'tcp' for TCP, HTTP and HTTPS ones. Domain extensions (HTTPS
-- only) reference family 'tcp'.

ALTER TABLE lb_domain_extensions DROP CONSTRAINT lb_domain_extensions_load_balancer_id_listener_port_fkey;
ALTER TABLE lb_listeners ADD COLUMN family TEXT COLLATE "C" NOT NULL DEFAULT 'tcp';
ALTER TABLE lb_listeners ALTER COLUMN family DROP DEFAULT;
ALTER TABLE lb_listeners DROP CONSTRAINT lb_listeners_pkey;
ALTER TABLE lb_listeners ADD PRIMARY KEY (load_balancer_id, port, family);
ALTER TABLE lb_domain_extensions ADD COLUMN listener_family TEXT COLLATE "C" NOT NULL DEFAULT 'tcp' CHECK (listener_family = 'tcp');
ALTER TABLE lb_domain_extensions ADD FOREIGN KEY (load_balancer_id, listener_port, listener_family)
    REFERENCES lb_listeners (load_balancer_id, port, family) ON DELETE CASCADE;

CREATE TABLE lb_acls (
    id                 TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account_id         TEXT COLLATE "C" NOT NULL,
    region_id          TEXT COLLATE "C" NOT NULL,
    name               TEXT    NOT NULL,
    address_ip_version TEXT    NOT NULL, -- ipv4 or ipv6
    resource_group_id  TEXT    NOT NULL,
    create_time_ms     BIGINT  NOT NULL,
    entries            TEXT    NOT NULL, -- JSON array of {Entry, Comment}, in the order added
    tags               TEXT    NOT NULL  -- JSON array of {Key, Value}
);

CREATE INDEX lb_acls_owner ON lb_acls (account_id, region_id, create_time_ms, id);
CREATE UNIQUE INDEX lb_acls_name ON lb_acls (account_id, region_id, name);

CREATE TABLE lb_listener_acls (
    load_balancer_id TEXT COLLATE "C" NOT NULL,
    port             INTEGER NOT NULL,
    family           TEXT COLLATE "C" NOT NULL,
    acl_id           TEXT COLLATE "C" NOT NULL REFERENCES lb_acls (id) ON DELETE RESTRICT,
    position         INTEGER NOT NULL,
    PRIMARY KEY (load_balancer_id, port, family, acl_id),
    FOREIGN KEY (load_balancer_id, port, family) REFERENCES lb_listeners (load_balancer_id, port, family) ON DELETE CASCADE
);

CREATE INDEX lb_listener_acls_acl ON lb_listener_acls (acl_id);
