CREATE TABLE customer_credit (
    customer_id  VARCHAR(64)    NOT NULL,
    currency     VARCHAR(3)       NOT NULL,
    credit_limit NUMERIC(14, 2) NOT NULL,
    available    NUMERIC(14, 2) NOT NULL CHECK (available >= 0),
    version      BIGINT         NOT NULL,
    PRIMARY KEY (customer_id, currency)
);

CREATE TABLE payment (
    id          UUID PRIMARY KEY,
    order_id    UUID           NOT NULL UNIQUE, -- exactly one payment per order, ever
    customer_id VARCHAR(64)    NOT NULL,
    amount      NUMERIC(14, 2) NOT NULL,
    currency    VARCHAR(3)       NOT NULL,
    status      VARCHAR(16)    NOT NULL,
    reason      VARCHAR(255),
    created_at  TIMESTAMPTZ    NOT NULL,
    updated_at  TIMESTAMPTZ    NOT NULL,
    version     BIGINT         NOT NULL
);
