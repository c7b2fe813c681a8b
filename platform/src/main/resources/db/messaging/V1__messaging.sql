-- Messaging tables every service owns in its own database; the services' own migrations start at V2.
-- Until the first release this file may still change. After it, a new platform table needs a migration of
-- its own (V1_1, ...), applied out of order to databases that already have V2.

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

-- Dead letters of this service's consumers, read back from its own dead-letter topics
-- (<source-topic>.<service>.dlt), one row per source record, for operators to list, replay or discard
-- over HTTP. A record that is dead-lettered again (redelivered by Kafka, or replayed and failing
-- again) updates its row: reason, last failure, replay count, and back to PENDING.
CREATE TABLE dead_letter (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_topic           TEXT        NOT NULL,
    source_partition       INT         NOT NULL,
    source_offset          BIGINT      NOT NULL,
    record_key             TEXT,
    -- from the event-type header or the payload's "type"; null when neither can be read
    event_type             TEXT,
    reason                 TEXT        NOT NULL,
    -- the record's value as consumed; null for a record without value
    payload                BYTEA,
    -- the source record's own headers: [{"name": ..., "text": ...} or {"name": ..., "base64": ...}]
    headers                JSONB       NOT NULL DEFAULT '[]',
    first_failed_at        TIMESTAMPTZ NOT NULL,
    last_failed_at         TIMESTAMPTZ NOT NULL,
    replay_count           INT         NOT NULL DEFAULT 0,
    status                 TEXT        NOT NULL DEFAULT 'PENDING'
                                       CHECK (status IN ('PENDING', 'REPLAYED', 'DISCARDED')),
    discard_reason         TEXT,
    -- where the latest dead-letter record of it is: the same one read again is no new failure
    dead_letter_partition  INT         NOT NULL,
    dead_letter_offset     BIGINT      NOT NULL,
    UNIQUE (source_topic, source_partition, source_offset)
);

CREATE INDEX dead_letter_newest ON dead_letter (last_failed_at DESC, id DESC);
CREATE INDEX dead_letter_pending ON dead_letter (id) WHERE status = 'PENDING';
