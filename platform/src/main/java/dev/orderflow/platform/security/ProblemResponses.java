package dev.orderflow.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problems written outside Spring MVC, where no {@code @ExceptionHandler} runs: the 401 and 403 answers of the
 * security filters, a request the firewall refuses, and the refusals of the platform's servlet filters. RFC 9457,
 * like every other error answer.
 */
public final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Tomcat accepts request lines of up to 8 KB; a problem need not echo all of it. */
    private static final int MAX_INSTANCE_LENGTH = 256;

    /** 401, with the challenge that makes clients (curl, browsers) offer Basic credentials. */
    static AuthenticationEntryPoint unauthorized() {
        return (request, response, ex) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"orderflow\"");
            write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "Authentication required: HTTP Basic with the admin credentials" + because(ex));
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, ex) ->
                write(request, response, HttpStatus.FORBIDDEN, "Not available over HTTP in this service");
    }

    private static String because(AuthenticationException ex) {
        return ex.getMessage() == null || ex.getMessage().startsWith("Full authentication is required")
                ? ""
                : " (" + ex.getMessage() + ")";
    }

    private static void write(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        write(request, response, status, detail, Map.of());
    }

    /**
     * Writes a problem with the status's reason phrase as its title, and more members after the standard ones.
     * The {@code instance} is the path as the client sent it, cut to a length that keeps the answer small.
     */
    public static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String detail,
            Map<String, ?> properties)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", instance(request));
        problem.putAll(properties);
        response.resetBuffer();
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }

    private static String instance(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.length() <= MAX_INSTANCE_LENGTH ? uri : uri.substring(0, MAX_INSTANCE_LENGTH) + "...";
    }

    private ProblemResponses() {}
}
