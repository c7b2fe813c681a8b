package dev.orderflow.orderservice.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.platform.messaging.MessageTracing;
import dev.orderflow.platform.messaging.Outbox;
import dev.orderflow.platform.web.PagedList;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The mapping against the schema Flyway migrates on a real PostgreSQL. */
@JdbcTest(properties = "spring.config.name=order-service")
@AutoConfigureTestDatabase(replace = Replace.NONE)
@RealInfrastructure
@Import(OrdersIntegrationTest.Repository.class)
class OrdersIntegrationTest {

    @TestConfiguration
    static class Repository {

        @Bean
        Outbox outbox(JdbcClient jdbc) {
            return new Outbox(jdbc, new EventCodec(), MessageTracing.off(), () -> {});
        }

        @Bean
        Orders orders(JdbcClient jdbc, Outbox outbox) {
            return new Orders(jdbc, outbox);
        }
    }

    @Autowired
    Orders orders;

    @Test
    void anOrderRoundTripsWithItsItemsInOrderAndPricesInCents() {
        Order placed = Order.place(
                "alice",
                "EUR",
                List.of(
                        new OrderItem("BOOK-1", 2, new BigDecimal("12.5")),
                        new OrderItem("A-PEN", 3, new BigDecimal("0.99")),
                        new OrderItem("MUG", 1, new BigDecimal("7"))));
        orders.insert(placed);

        Order read = orders.find(placed.getId()).orElseThrow();

        assertThat(read.getItems())
                .containsExactly(
                        new OrderItem("BOOK-1", 2, new BigDecimal("12.5")),
                        new OrderItem("A-PEN", 3, new BigDecimal("0.99")),
                        new OrderItem("MUG", 1, new BigDecimal("7")));
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
        Order order = Order.place("alice", "EUR", List.of(new OrderItem("A", 1, BigDecimal.TEN)));
        orders.insert(order);
        order.reject("INSUFFICIENT_CREDIT");
        orders.updateAll(List.of(order));

        Order read = orders.find(order.getId()).orElseThrow();

        assertThat(read.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(read.getReason()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(read.getUpdatedAt()).isEqualTo(order.getUpdatedAt());
    }

    @Test
    void pagesACustomersOrdersNewestFirst() {
        String customer = "c-" + UUID.randomUUID();
        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Order order = Order.place(customer, "EUR", List.of(new OrderItem("A", 1, BigDecimal.ONE)));
            orders.insert(order);
            placed.add(order.getId());
        }
        orders.insert(Order.place("someone-else", "EUR", List.of(new OrderItem("A", 1, BigDecimal.ONE))));

        PagedList<Order> first = orders.ofCustomer(customer, 0, 2);
        PagedList<Order> last = orders.ofCustomer(customer, 2, 2);
        PagedList<Order> beyond = orders.ofCustomer(customer, 3, 2);

        assertThat(first.content()).extracting(Order::getId).containsExactly(placed.get(4), placed.get(3));
        assertThat(last.content()).extracting(Order::getId).containsExactly(placed.get(0));
        assertThat(beyond.content()).isEmpty();
        assertThat(first.page()).isEqualTo(new PagedList.Page(2, 0, 5, 3));
    }

    @Test
    void locksTheOrdersItIsGivenAndSkipsUnknownOnes() {
        Order order = Order.place("alice", "EUR", List.of(new OrderItem("A", 1, BigDecimal.ONE)));
        orders.insert(order);

        assertThat(orders.lockAll(List.of(order.getId(), UUID.randomUUID())))
                .extracting(Order::getId)
                .containsExactly(order.getId());
    }
}
