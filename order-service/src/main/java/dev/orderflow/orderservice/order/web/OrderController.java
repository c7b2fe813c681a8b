package dev.orderflow.orderservice.order.web;

import dev.orderflow.orderservice.order.IdempotencyKeyReusedException;
import dev.orderflow.orderservice.order.OrderManagement;
import dev.orderflow.orderservice.order.OrderManagement.Placement;
import dev.orderflow.orderservice.order.OrderNotCancellableException;
import dev.orderflow.orderservice.order.OrderNotFoundException;
import dev.orderflow.platform.web.CustomerId;
import dev.orderflow.platform.web.NoControlCharacters;
import dev.orderflow.platform.web.PagedList;
import dev.orderflow.platform.web.RequestLogContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderManagement orders;
    private final PlacementAdmission admission;

    OrderController(OrderManagement orders, PlacementAdmission admission) {
        this.orders = orders;
        this.admission = admission;
    }

    /** 202: the order is accepted and its payment is under way; a repeated idempotent request gets 200. */
    @PostMapping
    ResponseEntity<OrderView> place(
            @RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 255) @NoControlCharacters
                    String idempotencyKey,
            @RequestBody @Valid PlaceOrderRequest request) {
        RequestLogContext.put(RequestLogContext.CUSTOMER_ID, request.customerId());
        Placement placement =
                admission.admit(() -> orders.place(request.toNewOrder(), Optional.ofNullable(idempotencyKey)));
        OrderView order = OrderView.of(placement.order());
        RequestLogContext.put(RequestLogContext.ORDER_ID, order.orderId().toString());
        return ResponseEntity.status(placement.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/orders/" + order.orderId()))
                .body(order);
    }

    @GetMapping("/{orderId}")
    OrderView get(@PathVariable UUID orderId) {
        return OrderView.of(orders.get(orderId));
    }

    /** A customer's orders, newest first. */
    @GetMapping
    PagedList<OrderView> list(
            @RequestParam @CustomerId String customerId,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return orders.list(customerId, page, size).map(OrderView::of);
    }

    @PostMapping("/{orderId}/cancel")
    ResponseEntity<OrderView> cancel(@PathVariable UUID orderId) {
        return ResponseEntity.accepted().body(OrderView.of(admission.admit(() -> orders.cancel(orderId))));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooBusy(PlacementAdmission.Refused e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Too busy", e));
    }

    @ExceptionHandler
    ProblemDetail notFound(OrderNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Order not found", e);
    }

    @ExceptionHandler
    ProblemDetail notCancellable(OrderNotCancellableException e) {
        return problem(HttpStatus.CONFLICT, "Order cannot be cancelled", e);
    }

    @ExceptionHandler
    ProblemDetail keyReused(IdempotencyKeyReusedException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", e);
    }

    private static ProblemDetail problem(HttpStatus status, String title, RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(title);
        return problem;
    }
}
