-- TCP and UDP listeners, and access control lists (docs/choices.md, "TCP
-- and UDP listeners", "Access control lists").
--
-- A listener is keyed by its load balancer, port and family: 'udp' for UDP
-- listeners, 'tcp' for TCP, HTTP and HTTPS ones, so that a UDP listener may
-- share a port with one of the others. SQLite cannot change a primary key
-- in place: the listener table and the one referencing it (domain
-- extensions, HTTPS only, hence family 'tcp') are rebuilt and renamed, the
-- referencing one first dropped so that dropping the old listeners cascades
-- to nothing.

CREATE TABLE lb_listeners_next (
    load_balancer_id      TEXT    NOT NULL REFERENCES load_balancers (id) ON DELETE CASCADE,
    port                  INTEGER NOT NULL,
    family                TEXT    NOT NULL, -- 'tcp' (tcp, http, https) or 'udp'
    protocol              TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    server_certificate_id TEXT    REFERENCES certificates (id) ON DELETE RESTRICT,
    ca_certificate_id     TEXT    REFERENCES certificates (id) ON DELETE RESTRICT,
    vserver_group_id      TEXT    REFERENCES lb_vserver_groups (id),
    tls_cipher_policy     TEXT    NOT NULL, -- a built-in name, a custom id, or '' (HTTP, TCP, UDP)
    tls_cipher_policy_id  TEXT    REFERENCES lb_tls_cipher_policies (id), -- set for custom ids only
    create_time_ms        INTEGER NOT NULL,
    config                TEXT    NOT NULL, -- JSON object: slb.ListenerConfig
    PRIMARY KEY (load_balancer_id, port, family)
);

INSERT INTO lb_listeners_next (load_balancer_id, port, family, protocol, status, server_certificate_id, ca_certificate_id,
    vserver_group_id, tls_cipher_policy, tls_cipher_policy_id, create_time_ms, config)
SELECT load_balancer_id, port, 'tcp', protocol, status, server_certificate_id, ca_certificate_id,
    vserver_group_id, tls_cipher_policy, tls_cipher_policy_id, create_time_ms, config FROM lb_listeners;

CREATE TABLE lb_domain_extensions_next (
    id                    TEXT    NOT NULL PRIMARY KEY,
    load_balancer_id      TEXT    NOT NULL,
    listener_port         INTEGER NOT NULL,
    listener_family       TEXT    NOT NULL DEFAULT 'tcp' CHECK (listener_family = 'tcp'),
    domain                TEXT    NOT NULL, -- lower case
    server_certificate_id TEXT    NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
    create_time_ms        INTEGER NOT NULL,
    FOREIGN KEY (load_balancer_id, listener_port, listener_family)
        REFERENCES lb_listeners_next (load_balancer_id, port, family) ON DELETE CASCADE,
    UNIQUE (load_balancer_id, listener_port, domain)
);

INSERT INTO lb_domain_extensions_next (id, load_balancer_id, listener_port, listener_family, domain, server_certificate_id, create_time_ms)
SELECT id, load_balancer_id, listener_port, 'tcp', domain, server_certificate_id, create_time_ms FROM lb_domain_extensions;

DROP TABLE lb_domain_extensions;
DROP TABLE lb_listeners;
-- Renaming rewrites the references to the renamed table.
ALTER TABLE lb_listeners_next RENAME TO lb_listeners;
ALTER TABLE lb_domain_extensions_next RENAME TO lb_domain_extensions;

CREATE INDEX lb_listeners_server_certificate ON lb_listeners (server_certificate_id);
CREATE INDEX lb_listeners_ca_certificate ON lb_listeners (ca_certificate_id);
CREATE INDEX lb_listeners_vserver_group ON lb_listeners (vserver_group_id);
CREATE INDEX lb_listeners_tls_cipher_policy ON lb_listeners (tls_cipher_policy_id);
CREATE INDEX lb_listeners_running ON lb_listeners (load_balancer_id, port) WHERE status = 'running';
CREATE INDEX lb_domain_extensions_certificate ON lb_domain_extensions (server_certificate_id);

-- Access control lists: entries are a JSON list (at most 300, read and
-- written whole under the ACL's lock); names are unique per account and
-- region.
CREATE TABLE lb_acls (
    id                 TEXT    NOT NULL PRIMARY KEY,
    account_id         TEXT    NOT NULL,
    region_id          TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    address_ip_version TEXT    NOT NULL, -- ipv4 or ipv6
    resource_group_id  TEXT    NOT NULL,
    create_time_ms     INTEGER NOT NULL,
    entries            TEXT    NOT NULL, -- JSON array of {Entry, Comment}, in the order added
    tags               TEXT    NOT NULL  -- JSON array of {Key, Value}
);

CREATE INDEX lb_acls_owner ON lb_acls (account_id, region_id, create_time_ms, id);
CREATE UNIQUE INDEX lb_acls_name ON lb_acls (account_id, region_id, name);

-- The ACLs a listener names (AclId), in its order. The reference is
-- RESTRICTed: an ACL in use cannot be deleted; deleting the listener (or
-- its load balancer) releases it.
CREATE TABLE lb_listener_acls (
    load_balancer_id TEXT    NOT NULL,
    port             INTEGER NOT NULL,
    family           TEXT    NOT NULL,
    acl_id           TEXT    NOT NULL REFERENCES lb_acls (id) ON DELETE RESTRICT,
    position         INTEGER NOT NULL,
    PRIMARY KEY (load_balancer_id, port, family, acl_id),
    FOREIGN KEY (load_balancer_id, port, family) REFERENCES lb_listeners (load_balancer_id, port, family) ON DELETE CASCADE
);

CREATE INDEX lb_listener_acls_acl ON lb_listener_acls (acl_id);
