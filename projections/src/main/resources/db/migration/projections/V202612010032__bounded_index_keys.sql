-- A btree index row holds at most ~2.7 KB, so a btree over text a client or an admin can choose fails the insert
-- that carries a longer value, and with it the projection. Every such index becomes a hash index (equality
-- lookups, any length); where the index also enforced uniqueness, a unique btree over the value's md5 keeps it.
-- Columns bounded by the event store itself (event ids, event type names: VARCHAR(255) there) keep their btree.

ALTER TABLE api_key_view DROP CONSTRAINT api_key_view_prefix_key;
CREATE UNIQUE INDEX api_key_view_prefix_unique ON api_key_view (md5(prefix));
CREATE INDEX api_key_view_prefix ON api_key_view USING hash (prefix);

ALTER TABLE registration_view DROP CONSTRAINT registration_view_pkey;
CREATE UNIQUE INDEX registration_view_auth_id_unique ON registration_view (md5(auth_id));
CREATE INDEX registration_view_auth_id ON registration_view USING hash (auth_id);

ALTER TABLE ssh_check_view DROP CONSTRAINT ssh_check_view_pkey;
CREATE UNIQUE INDEX ssh_check_view_check_id_unique ON ssh_check_view (md5(check_id));
CREATE INDEX ssh_check_view_check_id ON ssh_check_view USING hash (check_id);

DROP INDEX audit_entry_actor_id;
DROP INDEX audit_entry_actor_name;
DROP INDEX audit_entry_target;
DROP INDEX audit_entry_correlation_id;
CREATE INDEX audit_entry_actor_id ON audit_entry USING hash (actor_id);
CREATE INDEX audit_entry_actor_name ON audit_entry USING hash (actor_name);
CREATE INDEX audit_entry_target ON audit_entry USING hash (target_id);
CREATE INDEX audit_entry_correlation_id ON audit_entry USING hash (correlation_id);

DROP INDEX node_view_node_key;
CREATE INDEX node_view_node_key ON node_view USING hash (lower(node_key));
