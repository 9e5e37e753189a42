-- The provable audit ledger (docs/audit-ledger.md): one leaf per stored event, in global-index order over the
-- settled prefix of the event store, chained and folded into an RFC 6962 tree; the signed checkpoints of that tree.
-- Written only by the ledger follower (one instance at a time, under an advisory lock); never updated or deleted.
CREATE TABLE audit_ledger_leaf (
    leaf_index   BIGINT PRIMARY KEY,
    global_index BIGINT NOT NULL UNIQUE,
    leaf_hash    BYTEA  NOT NULL,
    entry_hash   BYTEA  NOT NULL
);

-- The follower's position: the tree's size, the next global index it expects, the chain's last value and the
-- tree's right edge (CompactRange), so appending and signing never re-read earlier leaves.
CREATE TABLE audit_ledger_head (
    id                SMALLINT PRIMARY KEY CHECK (id = 1),
    tree_size         BIGINT   NOT NULL,
    next_global_index BIGINT   NOT NULL,
    entry_hash        BYTEA    NOT NULL,
    frontier          BYTEA    NOT NULL
);
INSERT INTO audit_ledger_head VALUES (1, 0, 1, '\x0000000000000000000000000000000000000000000000000000000000000000', '');

-- Global indexes the follower passed while no event held them (a rolled-back insert, or one still in flight
-- past the gap timeout). An event that commits into one later is appended then, as a late leaf, never lost.
CREATE TABLE audit_ledger_gap (
    first_index BIGINT      NOT NULL,
    last_index  BIGINT      NOT NULL,
    skipped_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (first_index)
);

CREATE TABLE audit_checkpoint (
    tree_size BIGINT      NOT NULL,
    key_hash  VARCHAR(8)  NOT NULL,
    key_name  TEXT        NOT NULL,
    root_hash BYTEA       NOT NULL,
    note      TEXT        NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tree_size, key_hash)
);
CREATE INDEX audit_checkpoint_signed ON audit_checkpoint (signed_at);
