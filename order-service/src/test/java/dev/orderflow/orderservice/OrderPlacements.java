package dev.orderflow.orderservice;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Orders placed the way a client places them: a JSON body posted to /api/orders. */
final class OrderPlacements {

    private OrderPlacements() {}

    /** Posts the order; the answer as the client's status handlers leave it. */
    static ResponseEntity<JsonNode> place(RestClient http, String order) {
        return http.post()
                .uri("/api/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .body(order)
                .retrieve()
                .toEntity(JsonNode.class);
    }

    /** Posts the order under an idempotency key; the answer as the client's status handlers leave it. */
    static ResponseEntity<JsonNode> place(RestClient http, String order, String idempotencyKey) {
        return http.post()
                .uri("/api/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(order)
                .retrieve()
                .toEntity(JsonNode.class);
    }
}
