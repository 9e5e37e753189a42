-- Every accepted policy version, verbatim, with who set it (from the event's audit metadata).
CREATE TABLE policy_version (
    version         BIGINT PRIMARY KEY,
    policy          TEXT        NOT NULL,
    sha256          TEXT        NOT NULL,
    previous_sha256 TEXT,
    diff            TEXT        NOT NULL DEFAULT '',
    changed_at      TIMESTAMPTZ NOT NULL,
    actor_type      TEXT,
    actor_id        TEXT,
    actor_name      TEXT,
    origin          TEXT
);
CREATE INDEX policy_version_changed_at ON policy_version (changed_at);
