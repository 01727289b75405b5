-- ECS (ecs/): security groups and instances. What no query filters on is
-- JSON text, so that both stores scan alike (the table code is shared:
-- sqlstore/ecs.go); what the database must keep consistent is columns with
-- foreign keys: an instance's security groups, and the groups a rule names,
-- so that a group in use cannot be deleted whatever writes the rows.

CREATE TABLE ecs_security_groups (
    id             TEXT    NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    region_id      TEXT    NOT NULL,
    client_token   TEXT    NOT NULL, -- '' when none was given
    create_time_ms INTEGER NOT NULL, -- Unix milliseconds, UTC
    attributes     TEXT    NOT NULL, -- JSON object: name, description, type, VPC, resource group, inner access policy
    permissions    TEXT    NOT NULL, -- JSON array: the rules, in the order authorized
    tags           TEXT    NOT NULL  -- JSON array of {Key, Value}, in the order keys were set
);

CREATE INDEX ecs_security_groups_owner ON ecs_security_groups (account_id, region_id, create_time_ms, id);

CREATE UNIQUE INDEX ecs_security_groups_client_token ON ecs_security_groups (account_id, client_token) WHERE client_token <> '';

-- The groups a group's rules name (SourceGroupId, DestGroupId): a named
-- group cannot be deleted (RESTRICT); a group's own rows go with it.
CREATE TABLE ecs_security_group_references (
    security_group_id   TEXT NOT NULL REFERENCES ecs_security_groups (id) ON DELETE CASCADE,
    referenced_group_id TEXT NOT NULL REFERENCES ecs_security_groups (id) ON DELETE RESTRICT,
    PRIMARY KEY (security_group_id, referenced_group_id)
) WITHOUT ROWID;

CREATE INDEX ecs_security_group_references_referenced ON ecs_security_group_references (referenced_group_id);

CREATE TABLE ecs_instances (
    id             TEXT    NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    region_id      TEXT    NOT NULL,
    eni_id         TEXT    NOT NULL UNIQUE, -- the primary network interface
    disk_id        TEXT    NOT NULL UNIQUE, -- the system disk
    private_ip     TEXT    NOT NULL,        -- the primary private address (the VPC product allocates it)
    image_id       TEXT    NOT NULL,        -- what DescribeImages's Usage asks
    client_token   TEXT    NOT NULL,        -- '' when none was given
    create_time_ms INTEGER NOT NULL,
    attributes     TEXT    NOT NULL,        -- JSON object: everything else of the instance, its interface and its disk
    tags           TEXT    NOT NULL,        -- JSON arrays of {Key, Value}: the instance's,
    eni_tags       TEXT    NOT NULL,        -- its network interface's
    disk_tags      TEXT    NOT NULL         -- and its system disk's
);

CREATE INDEX ecs_instances_owner ON ecs_instances (account_id, region_id, create_time_ms, id);

CREATE INDEX ecs_instances_image ON ecs_instances (account_id, region_id, image_id);

CREATE UNIQUE INDEX ecs_instances_client_token ON ecs_instances (account_id, client_token) WHERE client_token <> '';

-- An instance's security groups, in the order given: a group with
-- instances cannot be deleted (RESTRICT).
CREATE TABLE ecs_instance_security_groups (
    instance_id       TEXT    NOT NULL REFERENCES ecs_instances (id) ON DELETE CASCADE,
    security_group_id TEXT    NOT NULL REFERENCES ecs_security_groups (id) ON DELETE RESTRICT,
    position          INTEGER NOT NULL,
    PRIMARY KEY (instance_id, security_group_id)
) WITHOUT ROWID;

CREATE INDEX ecs_instance_security_groups_group ON ecs_instance_security_groups (security_group_id);
