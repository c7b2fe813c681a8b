package dev.orderflow.orderservice.order;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.PaymentRefunded;
import dev.orderflow.platform.messaging.UnprocessableEventException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places, reads and cancels orders, and applies payment outcomes to them. */
@Service
public class OrderManagement {

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final Orders orders;
    private final IdempotencyKeys idempotencyKeys;

    OrderManagement(Orders orders, IdempotencyKeys idempotencyKeys) {
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
    }

    /** The outcome of placing an order: the order, and whether this request created it. */
    public record Placement(Order order, boolean created) {}

    /**
     * Places an order. With an idempotency key, a repeated request gets the order the first one created;
     * the same key with another request is refused.
     */
    @Transactional
    public Placement place(NewOrder request, Optional<String> idempotencyKey) {
        Order order = Order.place(request.customerId(), request.currency(), request.items());
        if (idempotencyKey.isPresent()) {
            Optional<IdempotencyKeys.Claim> earlier =
                    idempotencyKeys.claim(idempotencyKey.get(), request.fingerprint(), order.getId());
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash().equals(request.fingerprint())) {
                    throw new IdempotencyKeyReusedException();
                }
                return new Placement(get(earlier.get().orderId()), false);
            }
        }
        return new Placement(orders.save(order), true);
    }

    @Transactional(readOnly = true)
    public Order get(UUID orderId) {
        return orders.findById(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    @Transactional(readOnly = true)
    public Page<Order> list(Optional<String> customerId, int page, int size) {
        PageRequest request = PageRequest.of(page, size, NEWEST_FIRST);
        return customerId.map(id -> orders.findByCustomerId(id, request)).orElseGet(() -> orders.findAll(request));
    }

    @Transactional
    public Order cancel(UUID orderId) {
        Order order = orders.findForUpdate(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        order.cancel();
        return orders.save(order);
    }

    /**
     * Applies payment outcomes in their order, in the transaction in which the platform recorded them as
     * processed; their orders are loaded and locked in one query.
     */
    @Transactional
    public void onAll(List<PaymentEvent> events) {
        Map<UUID, Order> locked = new HashMap<>();
        orders.findAllForUpdate(
                        events.stream().map(PaymentEvent::orderId).distinct().toList())
                .forEach(order -> locked.put(order.getId(), order));
        for (PaymentEvent event : events) {
            Order order = locked.get(event.orderId());
            if (order == null) {
                throw new UnprocessableEventException("no order " + event.orderId());
            }
            boolean changed = switch (event) {
                case PaymentAuthorized authorized -> order.confirm(authorized.paymentId());
                case PaymentDeclined declined -> order.reject(declined.reason());
                // The order was cancelled before; the refund completes it and changes nothing here.
                case PaymentRefunded refunded -> false;
            };
            if (changed) {
                orders.save(order);
            }
        }
    }
}
