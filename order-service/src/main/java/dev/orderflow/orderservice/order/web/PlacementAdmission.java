package dev.orderflow.orderservice.order.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds how many {@code POST /api/orders} are worked on at once. Requests run on virtual threads, so
 * nothing else bounds them: under more load than the database can take they would pile up waiting for a
 * pooled connection until the heap runs out. A request that finds every permit taken waits up to
 * {@code max-wait} for one and is then answered {@code 503} with {@code Retry-After}, before its body is
 * read; a client that retries with the same {@code Idempotency-Key} loses nothing.
 */
@Component
@EnableConfigurationProperties(PlacementAdmission.Settings.class)
class PlacementAdmission extends OncePerRequestFilter {

    /**
     * Under {@code orders.placement}. The defaults let a burst of a few hundred placements on a cold service
     * through and still keep what a flood holds in memory small: a request waiting for a permit has not read
     * its body.
     *
     * @param maxConcurrent placements worked on at once
     * @param maxWait how long a placement waits for its turn before it is refused
     */
    @ConfigurationProperties("orders.placement")
    record Settings(
            @DefaultValue("256") int maxConcurrent,
            @DefaultValue("5s") Duration maxWait) {}

    private final Semaphore permits;
    private final Duration maxWait;
    private final JsonMapper json;

    PlacementAdmission(Settings settings, JsonMapper json) {
        this.permits = new Semaphore(settings.maxConcurrent());
        this.maxWait = settings.maxWait();
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/api/orders".equals(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            refuse(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Too busy");
        problem.put("status", HttpStatus.SERVICE_UNAVAILABLE.value());
        problem.put(
                "detail",
                "Too many orders are being placed at once; try again in a moment with the same Idempotency-Key");
        problem.put("instance", request.getRequestURI());
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
