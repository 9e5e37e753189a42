-- Client-reported connectivity state (ADR 0001): written by the instance holding a node's map session,
-- not derived from events, so a projection replay leaves it alone.
CREATE TABLE node_connectivity (
    node_id     BIGINT PRIMARY KEY,
    endpoints   JSONB       NOT NULL DEFAULT '[]'::jsonb,
    disco_key   TEXT,
    home_derp   INTEGER,
    hostinfo    JSONB,
    online      BOOLEAN     NOT NULL DEFAULT FALSE,
    last_seen   TIMESTAMPTZ,
    instance_id TEXT,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX node_connectivity_last_seen ON node_connectivity (last_seen);
