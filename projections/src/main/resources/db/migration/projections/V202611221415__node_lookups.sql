-- Indexed lookups for the hot paths that must not read the whole tailnet: a register call finds its
-- node by node key, the ephemeral clean-up only looks at ephemeral nodes.
CREATE INDEX node_view_node_key ON node_view (lower(node_key));
CREATE INDEX node_view_ephemeral ON node_view (id) WHERE ephemeral;
