package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
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
        assertThat(DeadLetters.isTransient(new ListenerExecutionFailedException("listener", noConnection))).isTrue();
        assertThat(DeadLetters.isTransient(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(DeadLetters.isTransient(new CannotAcquireLockException("lock timeout"))).isTrue();
    }

    @Test
    void doesNotTreatBadDataOrUnprocessableEventsAsTransient() {
        assertThat(DeadLetters.isTransient(new DataIntegrityViolationException("duplicate"))).isFalse();
        assertThat(DeadLetters.isTransient(new UnprocessableEventException("unknown type"))).isFalse();
        assertThat(DeadLetters.isTransient(new IllegalStateException("bug"))).isFalse();
    }
}
