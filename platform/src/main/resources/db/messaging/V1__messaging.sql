-- Messaging tables every service owns in its own database (migrations of a service start at V2).

-- Transactional outbox: written in the same transaction as the state change it announces,
-- deleted by the relay once Kafka has acknowledged the record (acks=all).
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    UUID        NOT NULL,
    topic       TEXT        NOT NULL,
    record_key  TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- Message log of the consumers: an event id is inserted in the same transaction as its effect,
-- so a redelivered event finds its id here and changes nothing.
CREATE TABLE processed_event (
    event_id     UUID PRIMARY KEY,
    event_type   TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
