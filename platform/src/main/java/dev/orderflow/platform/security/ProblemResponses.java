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

/** 401 and 403 answers of the security filters as RFC 9457 problems, like every other error answer. */
class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }

    private ProblemResponses() {}
}
