-- VPC (Vpc 2016-04-28): VPCs with their system route table, vSwitches, and
-- the addresses handed out in vSwitches (to load balancers, instances).
-- Settings no query filters on are JSON text, so that both stores scan
-- alike (the table code is shared: sqlstore/vpc.go).

CREATE TABLE vpcs (
    id                TEXT    NOT NULL PRIMARY KEY,
    account_id        TEXT    NOT NULL,
    region_id         TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    cidr_block        TEXT    NOT NULL,
    vrouter_id        TEXT    NOT NULL,
    route_table_id    TEXT    NOT NULL UNIQUE,
    resource_group_id TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    client_token      TEXT    NOT NULL, -- '' when none was given
    create_time_ms    INTEGER NOT NULL, -- Unix milliseconds, UTC
    attributes        TEXT    NOT NULL, -- JSON object: description, user CIDRs, DNS hostname, route table settings
    tags              TEXT    NOT NULL  -- JSON array of {Key, Value}, in the order keys were set
);

CREATE INDEX vpcs_owner ON vpcs (account_id, region_id, create_time_ms, id);
CREATE UNIQUE INDEX vpcs_client_token ON vpcs (account_id, client_token) WHERE client_token <> '';

-- A VPC with vSwitches cannot be deleted (NO ACTION: checked at the end of
-- the statement), nor a vSwitch with addresses.
CREATE TABLE vswitches (
    id             TEXT    NOT NULL PRIMARY KEY,
    vpc_id         TEXT    NOT NULL REFERENCES vpcs (id),
    account_id     TEXT    NOT NULL,
    region_id      TEXT    NOT NULL,
    zone_id        TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    cidr_block     TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    client_token   TEXT    NOT NULL,
    create_time_ms INTEGER NOT NULL,
    attributes     TEXT    NOT NULL, -- JSON object: description
    tags           TEXT    NOT NULL
);

CREATE INDEX vswitches_vpc ON vswitches (vpc_id, create_time_ms, id);
CREATE INDEX vswitches_owner ON vswitches (account_id, region_id, create_time_ms, id);
CREATE UNIQUE INDEX vswitches_client_token ON vswitches (account_id, client_token) WHERE client_token <> '';

-- image is where this host serves the address (localnet.Served) as a
-- 32-bit number: two VPCs may share a block, two addresses never share
-- an image, whatever the account.
CREATE TABLE vpc_addresses (
    image          INTEGER NOT NULL PRIMARY KEY,
    address        TEXT    NOT NULL,
    vswitch_id     TEXT    NOT NULL REFERENCES vswitches (id),
    account_id     TEXT    NOT NULL,
    owner          TEXT    NOT NULL, -- i-…, eni-…, lb-…
    create_time_ms INTEGER NOT NULL
);

CREATE INDEX vpc_addresses_vswitch ON vpc_addresses (vswitch_id, image);
CREATE INDEX vpc_addresses_owner ON vpc_addresses (account_id, owner);
