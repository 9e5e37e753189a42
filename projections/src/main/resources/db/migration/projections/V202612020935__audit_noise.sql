-- Less noise, same truth (issue 11). Every event still has its place in the store; the trail now
-- folds repeated identical refusals from one client into one row with a count, and marks the
-- bookkeeping events (a tailnet's reservations, key usage) so the default listing can leave them out.
ALTER TABLE audit_entry
    ADD COLUMN repeat_count      INT     NOT NULL DEFAULT 1,
    ADD COLUMN last_occurred_at  TIMESTAMPTZ,
    ADD COLUMN folded_indexes    JSONB   NOT NULL DEFAULT '[]',
    ADD COLUMN fold_key          TEXT,
    ADD COLUMN bookkeeping       BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX audit_entry_fold_key ON audit_entry USING hash (fold_key) WHERE fold_key IS NOT NULL;

UPDATE audit_entry SET bookkeeping = TRUE
 WHERE action IN ('NodeReservedEvent', 'NodeReleasedEvent', 'NodeNameReassignedEvent',
                  'NodeOwnerReassignedEvent', 'UserReservedEvent', 'UserReleasedEvent', 'UserNameReassignedEvent',
                  'ApiKeyReservedEvent', 'ApiKeyReleasedEvent', 'PreAuthKeyReservedEvent', 'ApiKeyUsedEvent',
                  'PreAuthKeyUsedEvent');
