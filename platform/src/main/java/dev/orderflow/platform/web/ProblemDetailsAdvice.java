package dev.orderflow.platform.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error answer is an RFC 9457 problem ({@code application/problem+json}). Bad input names the
 * offending fields: {@code "errors": [{"field": "items[0].quantity", "message": "..."}]}, at most
 * {@link WebLimits#maxListedErrors()} of them, with {@code "errorCount"} saying how many there were.
 *
 * <p>No exception leaves a handler unanswered: while the service's database cannot be reached the answer is
 * {@code 503} with {@code Retry-After}, anything unforeseen is a {@code 500} problem. Without these, Spring MVC
 * takes a failed database connection whose cause chain holds the driver's {@code EOFException} or a "connection
 * reset" for a client that went away, and ends the request "handled" with status {@code 200} and no body
 * ({@code AbstractHandlerExceptionResolver}'s disconnected-client check); other such failures reached the
 * servlet container and were answered with its own error JSON.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** Longest message of one offending field: Jackson's messages quote the input. */
    private static final int MAX_MESSAGE_LENGTH = 300;

    /** One offending field of a request. */
    public record FieldProblem(String field, String message) {}

    private final WebLimits limits;

    public ProblemDetailsAdvice(WebLimits limits) {
        this.limits = limits;
    }

    /**
     * The service's own database is unreachable (no connection within the pool's timeout, or one lost): nothing
     * was stored, or a commit's fate is unknown; either way the client should retry, with the same
     * {@code Idempotency-Key} where it has one.
     */
    @ExceptionHandler({
        CannotCreateTransactionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        RecoverableDataAccessException.class
    })
    ResponseEntity<Object> databaseUnavailable(Exception ex, WebRequest request) {
        return unavailable(ex, request);
    }

    /** Whatever no other handler answers: a 500 problem, or a 503 when it comes from a lost database connection. */
    @ExceptionHandler
    ResponseEntity<Object> unforeseen(Exception ex, WebRequest request) {
        if (databaseUnreachable(ex)) {
            return unavailable(ex, request);
        }
        if (clientWentAway(ex)) {
            log.debug("The client of {} went away: {}", describe(request), ex.toString());
            return null; // nothing can reach it
        }
        log.error("Unforeseen failure of {}", describe(request), ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The request failed for a reason the service did not foresee");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /** A body past the limit while it was read (one that declared its size was refused before). */
    @ExceptionHandler
    ResponseEntity<Object> bodyTooLarge(RequestBodyTooLargeException ex, WebRequest request) {
        return tooLarge(ex, ex, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getAllErrors().stream()
                .map(error -> new FieldProblem(
                        error instanceof FieldError field ? field.getField() : error.getObjectName(),
                        error.getDefaultMessage()))
                .toList();
        return badRequest(ex, headers, request, errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        // a @Valid request body: its fields
                        ? body.getFieldErrors().stream()
                                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
                        // a header, path variable or query parameter
                        : result.getResolvableErrors().stream()
                                .map(error -> new FieldProblem(
                                        parameterName(result.getMethodParameter()), error.getDefaultMessage())))
                .toList();
        return badRequest(ex, headers, request, errors);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return badRequest(ex, headers, request, List.of(new FieldProblem(ex.getParameterName(), "is required")));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException argument
                ? parameterName(argument.getParameter())
                : ex.getPropertyName();
        String type = ex.getRequiredType() != null ? ex.getRequiredType().getSimpleName() : "another type";
        return badRequest(ex, headers, request, List.of(new FieldProblem(field, "must be a valid " + type)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestBodyTooLargeException tooLarge = findCause(ex, RequestBodyTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(ex, tooLarge, request);
        }
        JacksonException json = findCause(ex, JacksonException.class);
        List<FieldProblem> errors;
        if (json == null
                || json instanceof StreamReadException
                || json.getPath().isEmpty()) {
            String why = json == null ? "the request body is missing or unreadable" : json.getOriginalMessage();
            errors = List.of(new FieldProblem("body", "Malformed JSON: " + why));
        } else {
            errors = List.of(new FieldProblem(path(json), "Wrong type or value: " + json.getOriginalMessage()));
        }
        return badRequest(ex, headers, request, errors);
    }

    /**
     * A 400 naming the offending fields: the first {@link WebLimits#maxListedErrors()} of them, with how many there
     * were and, when that is more, how many were left out.
     */
    private ResponseEntity<Object> badRequest(
            Exception ex, HttpHeaders headers, WebRequest request, List<FieldProblem> errors) {
        int max = limits.maxListedErrors();
        List<FieldProblem> listed = errors.stream()
                .limit(max)
                .map(error -> new FieldProblem(error.field(), shorten(error.message())))
                .toList();
        LinkedHashSet<String> fields = new LinkedHashSet<>();
        listed.forEach(error -> fields.add(error.field()));
        String detail = "Invalid request: " + String.join(", ", fields);
        if (errors.size() > listed.size()) {
            detail += " and " + (errors.size() - listed.size()) + " more";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Bad Request");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("errors", listed);
        properties.put("errorCount", errors.size());
        if (errors.size() > listed.size()) {
            properties.put("errorsOmitted", errors.size() - listed.size());
        }
        problem.setProperties(properties);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private ResponseEntity<Object> tooLarge(Exception ex, RequestBodyTooLargeException cause, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, RequestBodyLimit.tooLarge(cause.limit()));
        problem.setProperty("maxBodySize", cause.limit());
        HttpHeaders headers = new HttpHeaders();
        // The rest of the body is not read: the connection cannot carry another request.
        headers.setConnection("close");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }

    private ResponseEntity<Object> unavailable(Exception ex, WebRequest request) {
        log.warn("Database unavailable for {}: {}", describe(request), ex.toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "The service cannot reach its database; nothing was changed by this request unless a retry with the"
                        + " same Idempotency-Key says otherwise. Try again later.");
        problem.setTitle("Database unavailable");
        HttpHeaders headers = new HttpHeaders();
        headers.set(
                HttpHeaders.RETRY_AFTER,
                String.valueOf(Math.max(1, limits.databaseRetryAfter().toSeconds())));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    /**
     * Whether a connection to the database failed somewhere in the cause chain (SQL state class 08). A failed
     * rollback after a lost connection ({@code TransactionSystemException}: "Connection is closed") carries the
     * failure that broke the transaction apart from its cause, as its original exception: that is followed too.
     */
    static boolean databaseUnreachable(Throwable ex) {
        Deque<Throwable> pending = new ArrayDeque<>(List.of(ex));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!pending.isEmpty() && seen.size() < 32) {
            Throwable t = pending.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || (t instanceof SQLException sql
                            && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08"))) {
                return true;
            }
            if (t instanceof TransactionSystemException failed && failed.getOriginalException() != null) {
                pending.push(failed.getOriginalException());
            }
            if (t.getCause() != null) {
                pending.push(t.getCause());
            }
        }
        return false;
    }

    /**
     * Whether writing to the client failed, as the servlet container or Spring MVC report it. Not Spring's
     * {@code DisconnectedClientHelper}: it judges by class names and messages anywhere in the cause chain
     * ({@code EOFException}, "connection reset"), so it takes the database driver's lost connection for a lost
     * client, and an answer of {@code null} here is a {@code 200} with no body.
     */
    static boolean clientWentAway(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            if (type.equals("org.apache.catalina.connector.ClientAbortException")
                    || t instanceof AsyncRequestNotUsableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
    }

    private static String shorten(String message) {
        return message == null || message.length() <= MAX_MESSAGE_LENGTH
                ? message
                : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }

    /** The name the client used: the header's or query parameter's, else the Java parameter's. */
    private static String parameterName(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        return parameter.getParameterName();
    }

    private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** {@code items[0].quantity} from Jackson's reference chain. */
    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
