-- Idempotency keys expire (orders.idempotency-keys.expire-after, 24 hours by default) and are pruned by age.
-- A BRIN index: keys are inserted in the order of their created_at, so it finds the old ones for a few bytes per
-- range of pages and costs an insert next to nothing.
CREATE INDEX idempotency_key_by_age ON idempotency_key USING brin (created_at) WITH (autosummarize = on);
