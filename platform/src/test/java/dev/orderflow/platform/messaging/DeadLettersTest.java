package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;

class DeadLettersTest {

    @Test
    void treatsAnUnreachableDatabaseAsTransientWhereverItIsWrapped() {
        var noConnection = new CannotGetJdbcConnectionException("down", new SQLException("refused"));
        assertThat(DeadLetters.isTransient(new ListenerExecutionFailedException("listener", noConnection)))
                .isTrue();
        assertThat(DeadLetters.isTransient(new CannotCreateTransactionException("no connection")))
                .isTrue();
        assertThat(DeadLetters.isTransient(new CannotAcquireLockException("lock timeout")))
                .isTrue();
    }

    @Test
    void treatsAConnectionLostInTheMiddleOfATransactionAsTransient() {
        // What Hibernate reports when the rollback after a killed connection fails too: HikariCP's
        // closed connection gives no SQLSTATE.
        var closed = new SQLException("Connection is closed");
        var rollbackFailed = new JpaLikeSystemException("Unable to rollback against JDBC Connection", closed);
        assertThat(DeadLetters.isTransient(new ListenerExecutionFailedException("listener", rollbackFailed)))
                .isTrue();
        assertThat(DeadLetters.isTransient(new SQLException("server shutting down", "57P01")))
                .isTrue();
        assertThat(DeadLetters.isTransient(new SQLTransientConnectionException("pool timeout")))
                .isTrue();
    }

    @Test
    void doesNotTreatAConstraintViolationReportedByTheDriverAsTransient() {
        assertThat(DeadLetters.isTransient(new SQLException("duplicate key", "23505")))
                .isFalse();
    }

    /** Stands for an ORM's wrapper exception, which is no DataAccessException of the connection kind. */
    private static class JpaLikeSystemException extends RuntimeException {
        JpaLikeSystemException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void doesNotTreatBadDataOrUnprocessableEventsAsTransient() {
        assertThat(DeadLetters.isTransient(new DataIntegrityViolationException("duplicate")))
                .isFalse();
        assertThat(DeadLetters.isTransient(new UnprocessableEventException("unknown type")))
                .isFalse();
        assertThat(DeadLetters.isTransient(new IllegalStateException("bug"))).isFalse();
    }
}
