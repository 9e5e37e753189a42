-- SSH checks (Tailscale SSH check mode): one row per check; the gateway polls a check by id while the SSH client
-- waits, and reads each user's last approval to decide whether a new connection needs a check at all.
CREATE TABLE ssh_check_view (
    check_id     TEXT PRIMARY KEY,
    src_node_id  BIGINT      NOT NULL,
    dst_node_id  BIGINT      NOT NULL,
    user_id      BIGINT      NOT NULL,
    ssh_user     TEXT,
    local_user   TEXT,
    requested_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    status       TEXT        NOT NULL,
    decided_at   TIMESTAMPTZ,
    reason       TEXT
);
CREATE INDEX ssh_check_view_user_approved ON ssh_check_view (user_id, decided_at) WHERE status = 'APPROVED';
