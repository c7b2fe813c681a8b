package dev.orderflow.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.request.ServletWebRequest;

class ProblemDetailsAdviceUnitTest {

    private final ProblemDetailsAdvice advice =
            new ProblemDetailsAdvice(new WebLimits(DataSize.ofKilobytes(64), 20, Duration.ofSeconds(5)));
    private final ServletWebRequest request =
            new ServletWebRequest(new MockHttpServletRequest("POST", "/api/orders"), new MockHttpServletResponse());

    @Test
    void answersAConnectionThatFailedWithTheDriversEofAs503WithRetryAfterNotAsAVanishedClient() {
        Exception failed = new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLException("The connection attempt failed.", "08001", new EOFException()));

        ResponseEntity<Object> answer = advice.databaseUnavailable(failed, request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(((ProblemDetail) answer.getBody()).getTitle()).isEqualTo("Database unavailable");
    }

    @Test
    void answersAnyOtherFailureWhoseCauseIsALostDatabaseConnectionAs503() {
        Exception failed = new IllegalStateException(
                "commit failed", new SQLException("An I/O error occurred while sending to the backend.", "08006"));

        assertThat(advice.unforeseen(failed, request).getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    /** A statement failed on a lost connection, then so did the rollback: the rollback's failure is thrown. */
    @Test
    void answersARollbackThatFailedAfterTheConnectionWasLostAs503() {
        TransactionSystemException failed =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        failed.initApplicationException(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));

        ResponseEntity<Object> answer = advice.unforeseen(failed, request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
    }

    @Test
    void answersWhatNobodyForesawAs500Problem() {
        ResponseEntity<Object> answer = advice.unforeseen(new IllegalStateException("boom"), request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(((ProblemDetail) answer.getBody()).getDetail()).doesNotContain("boom");
    }

    @Test
    void writesNothingForAClientThatWentAway() {
        assertThat(advice.unforeseen(new ClientAbortException(new IOException("Broken pipe")), request))
                .isNull();
    }

    /**
     * What answered {@code 200} with an empty body during the soak's database outage: a failure whose cause chain
     * holds an {@code EOFException} or a "connection reset", taken for a client that went away.
     */
    @ParameterizedTest
    @ValueSource(strings = {"eof", "connection reset", "broken pipe"})
    void answersAFailureThatOnlyLooksLikeAVanishedClientWithAProblem(String how) {
        Throwable cause = switch (how) {
            case "eof" -> new EOFException();
            case "connection reset" -> new SocketException("Connection reset by peer");
            default -> new IOException("Broken pipe");
        };
        Exception failed = new TransactionSystemException("Could not commit JDBC transaction", cause);

        ResponseEntity<Object> answer = advice.unforeseen(failed, request);

        assertThat(answer).isNotNull();
        assertThat(answer.getStatusCode().isError()).isTrue();
        assertThat(answer.getBody()).isInstanceOf(ProblemDetail.class);
    }
}
