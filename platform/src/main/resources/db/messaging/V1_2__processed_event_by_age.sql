-- The message log is pruned by age (dev.orderflow.platform.messaging.Pruner). A BRIN index: ids are inserted in
-- the order of their processed_at, so a few bytes per range of pages find the old ones, and an insert costs next
-- to nothing more. Applied out of order to databases that already have the services' V2.
CREATE INDEX processed_event_by_age ON processed_event USING brin (processed_at) WITH (autosummarize = on);
