package dev.orderflow.orderservice.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** The mapping against the schema Flyway migrates on a real PostgreSQL. */
@DataJpaTest(properties = "spring.config.name=order-service")
@AutoConfigureTestDatabase(replace = Replace.NONE)
@RealInfrastructure
class OrdersJpaTest {

    @Autowired
    Orders orders;

    @Autowired
    TestEntityManager entities;

    @Test
    void anOrderRoundTripsWithItsItemsInOrderAndPricesInCents() {
        Order placed = Order.place(
                "alice",
                "EUR",
                List.of(
                        new OrderItem("BOOK-1", 2, new BigDecimal("12.5")),
                        new OrderItem("A-PEN", 3, new BigDecimal("0.99")),
                        new OrderItem("MUG", 1, new BigDecimal("7"))));
        orders.save(placed);
        entities.flush();
        entities.clear();

        Order read = orders.findById(placed.getId()).orElseThrow();

        assertThat(read.getItems())
                .containsExactly(
                        new OrderItem("BOOK-1", 2, new BigDecimal("12.50")),
                        new OrderItem("A-PEN", 3, new BigDecimal("0.99")),
                        new OrderItem("MUG", 1, new BigDecimal("7.00")));
        assertThat(read.getTotal()).isEqualTo(new BigDecimal("34.97"));
        assertThat(read.getCustomerId()).isEqualTo("alice");
        assertThat(read.getCurrency()).isEqualTo("EUR");
        assertThat(read.getStatus()).isEqualTo(OrderStatus.PENDING);
        assertThat(read.getReason()).isNull();
        assertThat(read.getCreatedAt()).isEqualTo(placed.getCreatedAt());
        assertThat(read.getUpdatedAt()).isEqualTo(placed.getUpdatedAt());
    }

    @Test
    void aTransitionIsStored() {
        Order order = orders.save(Order.place("alice", "EUR", List.of(new OrderItem("A", 1, BigDecimal.TEN))));
        entities.flush();
        order.reject("INSUFFICIENT_CREDIT");
        orders.save(order);
        entities.flush();
        entities.clear();

        Order read = orders.findById(order.getId()).orElseThrow();

        assertThat(read.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(read.getReason()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(read.getUpdatedAt()).isEqualTo(order.getUpdatedAt());
    }

    @Test
    void pagesACustomersOrdersNewestFirst() {
        String customer = "c-" + UUID.randomUUID();
        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(orders.save(Order.place(customer, "EUR", List.of(new OrderItem("A", 1, BigDecimal.ONE))))
                    .getId());
            entities.flush();
        }
        orders.save(Order.place("someone-else", "EUR", List.of(new OrderItem("A", 1, BigDecimal.ONE))));
        entities.flush();
        entities.clear();
        Sort newestFirst = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

        Page<Order> first = orders.findByCustomerId(customer, PageRequest.of(0, 2, newestFirst));
        Page<Order> last = orders.findByCustomerId(customer, PageRequest.of(2, 2, newestFirst));

        assertThat(first.getContent()).extracting(Order::getId).containsExactly(placed.get(4), placed.get(3));
        assertThat(last.getContent()).extracting(Order::getId).containsExactly(placed.get(0));
        assertThat(first.getTotalElements()).isEqualTo(5);
        assertThat(first.getTotalPages()).isEqualTo(3);
    }

    @Test
    void findsAnOrderForUpdate() {
        Order order = orders.save(Order.place("alice", "EUR", List.of(new OrderItem("A", 1, BigDecimal.ONE))));
        entities.flush();
        entities.clear();

        assertThat(orders.findForUpdate(order.getId()))
                .get()
                .extracting(Order::getId)
                .isEqualTo(order.getId());
        assertThat(orders.findForUpdate(UUID.randomUUID())).isEmpty();
    }
}
