package dev.orderflow.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page: what a filter refused with {@code sendError}, or an exception that left the
 * filters, answered as a problem like everything else instead of Spring Boot's own error JSON or page. Whatever
 * the request asked for ({@code Accept}), the answer is {@code application/problem+json}.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = status(request);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path && path.length() <= 256) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException e) {
                // a path that is no URI reference is not echoed
            }
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    private static String detail(HttpStatus status) {
        return status.is5xxServerError()
                ? "The request failed for a reason the service did not foresee"
                : "The request was refused: " + status.getReasonPhrase();
    }
}
