-- Read models built from the event store. Every table here can be dropped to empty and rebuilt by replaying events.

CREATE TABLE user_view (
    id           BIGINT PRIMARY KEY,
    name         TEXT        NOT NULL,
    display_name TEXT,
    email        TEXT,
    picture_url  TEXT,
    provider     TEXT,
    provider_id  TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE node_view (
    id               BIGINT PRIMARY KEY,
    machine_key      TEXT,
    node_key         TEXT,
    disco_key        TEXT,
    ipv4             TEXT,
    ipv6             TEXT,
    hostname         TEXT,
    given_name       TEXT,
    user_id          BIGINT      NOT NULL,
    tags             JSONB       NOT NULL DEFAULT '[]',
    last_seen        TIMESTAMPTZ,
    expiry           TIMESTAMPTZ,
    pre_auth_key_id  BIGINT,
    created_at       TIMESTAMPTZ NOT NULL,
    register_method  TEXT,
    ephemeral        BOOLEAN     NOT NULL DEFAULT FALSE,
    approved_routes  JSONB       NOT NULL DEFAULT '[]',
    available_routes JSONB       NOT NULL DEFAULT '[]'
);
CREATE INDEX node_view_user_id ON node_view (user_id);

CREATE TABLE pre_auth_key_view (
    id         BIGINT PRIMARY KEY,
    prefix     TEXT        NOT NULL,
    user_id    BIGINT,
    reusable   BOOLEAN     NOT NULL,
    ephemeral  BOOLEAN     NOT NULL,
    used       BOOLEAN     NOT NULL DEFAULT FALSE,
    expiration TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    acl_tags   JSONB       NOT NULL DEFAULT '[]',
    deleted    BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE INDEX pre_auth_key_view_user_id ON pre_auth_key_view (user_id);

CREATE TABLE api_key_view (
    id          BIGINT PRIMARY KEY,
    prefix      TEXT        NOT NULL UNIQUE,
    secret_hash TEXT        NOT NULL,
    expiration  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ,
    deleted     BOOLEAN     NOT NULL DEFAULT FALSE
);

CREATE TABLE registration_view (
    auth_id        TEXT PRIMARY KEY,
    machine_key    TEXT,
    node_key       TEXT,
    hostname       TEXT,
    requested_tags JSONB       NOT NULL DEFAULT '[]',
    requested_at   TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ,
    status         TEXT        NOT NULL,
    node_id        BIGINT,
    user_id        BIGINT,
    reason         TEXT
);
CREATE INDEX registration_view_status ON registration_view (status);

CREATE TABLE policy_view (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    version    BIGINT      NOT NULL,
    policy     TEXT        NOT NULL,
    sha256     TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One row per event in the store, keyed by the store's global index so a rebuild writes the same rows again.
CREATE TABLE audit_entry (
    global_index    BIGINT PRIMARY KEY,
    event_id        TEXT        NOT NULL UNIQUE,
    occurred_at     TIMESTAMPTZ NOT NULL,
    action          TEXT        NOT NULL,
    revision        TEXT,
    aggregate_id    TEXT,
    sequence_number BIGINT,
    actor_type      TEXT,
    actor_id        TEXT,
    actor_name      TEXT,
    origin          TEXT,
    source_ip       TEXT,
    correlation_id  TEXT,
    causation_id    TEXT,
    target_type     TEXT,
    target_id       TEXT,
    old_values      JSONB       NOT NULL DEFAULT '{}',
    new_values      JSONB       NOT NULL DEFAULT '{}',
    summary         TEXT        NOT NULL
);
CREATE INDEX audit_entry_actor_id ON audit_entry (actor_id);
CREATE INDEX audit_entry_actor_name ON audit_entry (actor_name);
CREATE INDEX audit_entry_target ON audit_entry (target_type, target_id);
CREATE INDEX audit_entry_action ON audit_entry (action);
CREATE INDEX audit_entry_occurred_at ON audit_entry (occurred_at);
CREATE INDEX audit_entry_correlation_id ON audit_entry (correlation_id);
