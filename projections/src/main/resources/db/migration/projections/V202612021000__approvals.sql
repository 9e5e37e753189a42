-- Four-eyes requests (issue 11): the pending list, and what became of each request.
CREATE TABLE approval_view (
    request_id     TEXT PRIMARY KEY,
    action         TEXT        NOT NULL,
    summary        TEXT,
    requester_type TEXT,
    requester_id   TEXT,
    requester_name TEXT,
    requested_at   TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    status         TEXT        NOT NULL,
    decider_id     TEXT,
    decider_name   TEXT,
    reason         TEXT,
    decided_at     TIMESTAMPTZ
);
CREATE INDEX approval_view_pending ON approval_view (requested_at) WHERE status = 'PENDING';
