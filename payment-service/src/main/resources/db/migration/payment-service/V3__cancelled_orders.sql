-- Orders whose cancellation arrived before their placement was decided: the placement, when it comes, is
-- declined (reason ORDER_CANCELLED) instead of holding the customer's credit for an order that no longer exists.
CREATE TABLE cancelled_order (
    order_id     UUID PRIMARY KEY,
    cancelled_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
