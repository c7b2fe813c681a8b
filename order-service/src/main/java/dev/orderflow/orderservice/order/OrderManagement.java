package dev.orderflow.orderservice.order;

import dev.orderflow.platform.web.PagedList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places, reads and cancels orders, and settles them with the outcomes of their payments. */
@Service
public class OrderManagement {

    private final Orders orders;
    private final IdempotencyKeys idempotencyKeys;
    private final SagaDurations sagaDurations;

    OrderManagement(Orders orders, IdempotencyKeys idempotencyKeys, SagaDurations sagaDurations) {
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.sagaDurations = sagaDurations;
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
        orders.insert(order);
        return new Placement(order, true);
    }

    @Transactional(readOnly = true)
    public Order get(UUID orderId) {
        return orders.find(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    /** A customer's orders, newest first. */
    @Transactional(readOnly = true)
    public PagedList<Order> list(String customerId, int page, int size) {
        return orders.ofCustomer(customerId, page, size);
    }

    @Transactional
    public Order cancel(UUID orderId) {
        Order order = orders.lockAll(List.of(orderId)).stream()
                .findFirst()
                .orElseThrow(() -> new OrderNotFoundException(orderId));
        boolean pending = order.getStatus() == OrderStatus.PENDING;
        order.cancel();
        orders.updateAll(List.of(order));
        if (pending) {
            sagaDurations.ended(order);
        }
        return order;
    }

    /**
     * Settles orders with the outcomes of their payments, in the order given; their orders are loaded and locked
     * in one query and stored in another. An order cancelled meanwhile stays cancelled.
     *
     * @throws OrderNotFoundException if an outcome is for an order that does not exist
     */
    @Transactional
    public void settle(List<PaymentOutcome> outcomes) {
        Map<UUID, Order> locked =
                orders.lockAll(outcomes.stream().map(PaymentOutcome::orderId).collect(Collectors.toSet())).stream()
                        .collect(Collectors.toMap(Order::getId, Function.identity()));
        Set<Order> changed = new LinkedHashSet<>();
        for (PaymentOutcome outcome : outcomes) {
            Order order = locked.get(outcome.orderId());
            if (order == null) {
                throw new OrderNotFoundException(outcome.orderId());
            }
            boolean moved = switch (outcome) {
                case PaymentOutcome.Authorized authorized -> order.confirm(authorized.paymentId());
                case PaymentOutcome.Declined declined -> order.reject(declined.reason());
            };
            if (moved) {
                changed.add(order);
                sagaDurations.ended(order);
            }
        }
        orders.updateAll(new ArrayList<>(changed));
    }
}
