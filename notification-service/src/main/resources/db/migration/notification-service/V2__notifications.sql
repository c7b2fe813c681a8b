CREATE TABLE notification (
    id          UUID PRIMARY KEY,
    sequence    BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    customer_id VARCHAR(64) NOT NULL,
    order_id    UUID        NOT NULL,
    type        VARCHAR(32) NOT NULL,
    message     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (order_id, type) -- one notification per order and type
);

CREATE INDEX notification_by_customer ON notification (customer_id, sequence DESC);
