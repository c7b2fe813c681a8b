-- The address a customer's notifications are also mailed to; a customer without a row gets no mail.
CREATE TABLE customer_contact (
    customer_id VARCHAR(64)  PRIMARY KEY,
    email       VARCHAR(254) NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Mail outbox: a notification's mail is written in the transaction that stores the notification, so
-- both commit or neither does. The mail relay deletes a row once the SMTP server has accepted it; a
-- failed attempt is counted and the row waits until next_attempt_at.
CREATE TABLE mail_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id UUID         NOT NULL UNIQUE REFERENCES notification (id),
    recipient       VARCHAR(254) NOT NULL,
    subject         TEXT         NOT NULL,
    body            TEXT         NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_error      TEXT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);
