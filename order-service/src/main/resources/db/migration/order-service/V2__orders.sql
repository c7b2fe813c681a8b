CREATE TABLE orders (
    id          UUID PRIMARY KEY,
    customer_id VARCHAR(64)    NOT NULL,
    currency    VARCHAR(3)       NOT NULL,
    total       NUMERIC(14, 2) NOT NULL,
    status      VARCHAR(16)    NOT NULL,
    reason      VARCHAR(255),
    created_at  TIMESTAMPTZ    NOT NULL,
    updated_at  TIMESTAMPTZ    NOT NULL,
    version     BIGINT         NOT NULL
);

CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC);
CREATE INDEX orders_by_creation ON orders (created_at DESC);

CREATE TABLE order_item (
    order_id   UUID           NOT NULL REFERENCES orders (id),
    position   INT            NOT NULL,
    sku        VARCHAR(64)    NOT NULL,
    quantity   INT            NOT NULL,
    unit_price NUMERIC(9, 2)  NOT NULL,
    PRIMARY KEY (order_id, position)
);

-- An Idempotency-Key and the order it created; the same key with another body is refused.
CREATE TABLE idempotency_key (
    key          VARCHAR(255) PRIMARY KEY,
    request_hash CHAR(64)     NOT NULL,
    order_id     UUID         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
