-- An order's items never change and are always read with it: they move into the order's row, as a JSON array
-- [{"sku": ..., "quantity": ..., "unitPrice": ...}] in their order (numeric keeps the prices' two decimals).
ALTER TABLE orders ADD COLUMN items JSONB;

UPDATE orders o
SET items = (SELECT jsonb_agg(jsonb_build_object('sku', i.sku, 'quantity', i.quantity, 'unitPrice', i.unit_price)
                              ORDER BY i.position)
             FROM order_item i
             WHERE i.order_id = o.id);

ALTER TABLE orders ALTER COLUMN items SET NOT NULL;

DROP TABLE order_item;
