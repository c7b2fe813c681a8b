package dev.orderflow.platform.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The order and customer a request names (path variables, or query parameters, {@code orderId} and
 * {@code customerId}) in the log context while it is handled, and as tags of its span: every log line of the
 * request names them, and its trace can be found by them. A controller that learns them only later (from a
 * body, or by creating an order) adds them with {@link #put}. The trace id is in the log context already
 * (Micrometer Tracing).
 */
public class RequestLogContext implements AsyncHandlerInterceptor {

    public static final String ORDER_ID = "orderId";
    public static final String CUSTOMER_ID = "customerId";

    private static final List<String> KEYS = List.of(ORDER_ID, CUSTOMER_ID);

    /** What the contract allows in an id; anything else is not copied into logs. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Tracer tracer;

    /** @param tracer null without tracing */
    RequestLogContext(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Names an order or customer in the log context of the current request. */
    public static void put(String key, String value) {
        if (KEYS.contains(key) && value != null && ID.matcher(value).matches()) {
            MDC.put(key, value);
        }
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables =
                (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        Span span = tracer == null ? null : tracer.currentSpan();
        for (String key : KEYS) {
            String value =
                    variables != null && variables.containsKey(key) ? variables.get(key) : request.getParameter(key);
            if (value != null && ID.matcher(value).matches()) {
                MDC.put(key, value);
                if (span != null) {
                    span.tag(key, value);
                }
            }
        }
        return true;
    }

    @Override
    public void afterConcurrentHandlingStarted(
            HttpServletRequest request, HttpServletResponse response, Object handler) {
        clear(); // a stream goes on without this thread
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        clear();
    }

    private static void clear() {
        KEYS.forEach(MDC::remove);
    }
}
