-- The W3C traceparent of the transaction that wrote an outbox row (its request, or the consumed record of the
-- same order), sent with the record as the traceparent header: one order's saga is one trace across the
-- services. Null when tracing is off. Applied out of order to databases that already have the services' V2.
ALTER TABLE outbox ADD COLUMN traceparent TEXT;
