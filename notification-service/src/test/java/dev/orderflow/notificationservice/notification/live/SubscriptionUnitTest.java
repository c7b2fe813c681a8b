package dev.orderflow.notificationservice.notification.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.OrderStep;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class SubscriptionUnitTest {

    private final Senders senders = new Senders();
    private final Recorder client = new Recorder();
    private final List<Subscription> ended = new ArrayList<>();

    @Test
    void sendsWhatWasMissedThenLiveOnesEachOnceInSequenceOrder() {
        Subscription subscription = subscription(10);
        // Offered live while what was missed is still being read: 4 is in both.
        subscription.offer(notification(4));
        subscription.offer(notification(5));

        subscription.begin(2, List.of(notification(3), notification(4)), false);
        senders.runAll();
        subscription.offer(notification(5));
        subscription.offer(notification(6));
        senders.runAll();

        assertThat(client.sent).containsExactly(3L, 4L, 5L, 6L);
        assertThat(client.closed).isFalse();
    }

    @Test
    void sendsNothingUntilWhatWasMissedIsQueued() {
        Subscription subscription = subscription(10);
        subscription.offer(notification(7));
        subscription.heartbeat();
        senders.runAll();

        assertThat(client.sent).isEmpty();
        assertThat(client.heartbeats).isZero();
    }

    @Test
    void sendsAHeartbeatOnlyWhenNothingElseGoesOut() {
        Subscription subscription = subscription(10);
        subscription.begin(0, List.of(), false);

        subscription.heartbeat();
        senders.runAll();
        subscription.offer(notification(1));
        subscription.heartbeat();
        senders.runAll();

        assertThat(client.heartbeats).isEqualTo(1);
        assertThat(client.sent).containsExactly(1L);
    }

    @Test
    void endsTheStreamOfAClientThatDoesNotKeepUp() {
        Subscription subscription = subscription(3);
        subscription.begin(0, List.of(), false);

        for (long sequence = 1; sequence <= 4; sequence++) {
            subscription.offer(notification(sequence));
        }
        senders.runAll();

        // Nothing held for it any more: it resumes from the database, after the last one it received.
        assertThat(client.sent).isEmpty();
        assertThat(client.closed).isTrue();
        assertThat(ended).containsExactly(subscription);
    }

    @Test
    void endsTheStreamAfterABacklogLargerThanItHoldsSoThatTheClientResumesAfterIt() {
        Subscription subscription = subscription(2);
        subscription.offer(notification(9));

        subscription.begin(0, List.of(notification(1), notification(2)), true);
        subscription.offer(notification(10));
        senders.runAll();

        assertThat(client.sent).containsExactly(1L, 2L);
        assertThat(client.closed).isTrue();
    }

    @Test
    void endsWhenTheClientCannotBeWrittenTo() {
        Subscription subscription = subscription(10);
        subscription.begin(0, List.of(), false);
        client.failing = true;

        subscription.offer(notification(1));
        senders.runAll();
        subscription.offer(notification(2));
        senders.runAll();

        assertThat(ended).containsExactly(subscription);
        assertThat(client.closed).isTrue();
        assertThat(client.attempts).isEqualTo(1);
    }

    @Test
    void endsQuietlyWhenTheStreamHasEndedAlready() {
        Subscription subscription = subscription(10);
        subscription.begin(0, List.of(), false);
        client.failing = true;
        client.closeFails = true;

        subscription.offer(notification(1));
        senders.runAll();

        assertThat(ended).containsExactly(subscription);
    }

    @Test
    void aCancelledSubscriptionSendsNothingMore() {
        Subscription subscription = subscription(10);
        subscription.begin(0, List.of(), false);

        subscription.cancel();
        subscription.offer(notification(1));
        subscription.heartbeat();
        senders.runAll();

        assertThat(client.sent).isEmpty();
        assertThat(client.closed).as("its client went away by itself").isFalse();
        assertThat(ended).containsExactly(subscription);
    }

    private Subscription subscription(int maxPending) {
        return new Subscription("alice", client, senders, maxPending, ended::add);
    }

    private static Notification notification(long sequence) {
        UUID order = UUID.randomUUID();
        OrderStep placed = OrderStep.placed(order, "alice", 1, BigDecimal.TEN, "EUR");
        return new Notification(
                UUID.randomUUID(), sequence, "alice", order, placed.type(), placed.message(), Instant.now());
    }

    /** Runs sender tasks when the test says so. */
    private static final class Senders implements Executor {

        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    private static final class Recorder implements Subscriber {

        final List<Long> sent = new ArrayList<>();
        int heartbeats;
        int attempts;
        boolean closed;
        boolean failing;
        boolean closeFails;

        @Override
        public void send(Notification notification) throws IOException {
            attempts++;
            if (failing) {
                throw new IOException("Broken pipe");
            }
            sent.add(notification.getSequence());
        }

        @Override
        public void heartbeat() {
            heartbeats++;
        }

        @Override
        public void close() {
            if (closeFails) {
                throw new IllegalStateException("A non-container thread attempted to use the AsyncContext");
            }
            closed = true;
        }
    }
}
