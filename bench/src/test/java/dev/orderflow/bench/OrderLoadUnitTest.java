package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrderLoadUnitTest {

    @Test
    void sendsTheOrdersToTheInstancesInTurn() {
        OrderLoad load = new OrderLoad(
                null,
                List.of(URI.create("http://localhost:8080"), URI.create("http://localhost:8180/")),
                null,
                null,
                null);

        assertThat(IntStream.range(0, 4).mapToObj(i -> load.next().toString()))
                .containsExactly(
                        "http://localhost:8080/api/orders",
                        "http://localhost:8180/api/orders",
                        "http://localhost:8080/api/orders",
                        "http://localhost:8180/api/orders");
    }
}
