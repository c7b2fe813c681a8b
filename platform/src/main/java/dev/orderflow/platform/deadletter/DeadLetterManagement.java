package dev.orderflow.platform.deadletter;

import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.IdempotentConsumer;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/** Lists dead letters, replays them into this service, discards them. */
public class DeadLetterManagement {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterManagement.class);

    private final DeadLetterStore store;
    private final IdempotentConsumer consumer;
    private final TransactionTemplate transactions;

    public DeadLetterManagement(DeadLetterStore store, IdempotentConsumer consumer, TransactionTemplate transactions) {
        this.store = store;
        this.consumer = consumer;
        this.transactions = transactions;
    }

    /** One page of dead letters, newest failure first, without payloads; and how many there are in all. */
    public record Page(List<DeadLetter> content, long total) {}

    public Page list(Optional<DeadLetterStatus> status, int page, int size) {
        return new Page(store.page(status, page, size), store.count(status));
    }

    public DeadLetter get(long id) {
        return store.find(id).orElseThrow(() -> new DeadLetterNotFoundException(id));
    }

    /**
     * Hands the source record to this service's handler of its topic again, the path every record takes,
     * and to no other consumer. The effect and the status REPLAYED commit together. An event whose effect
     * was applied before (its id is in the message log) changes nothing and counts as replayed.
     *
     * @throws ReplayFailedException when it fails again: the failure is recorded, the dead letter stays
     *     PENDING
     */
    public DeadLetter replay(long id) {
        try {
            return transactions.execute(tx -> {
                DeadLetter letter = store.lock(id).orElseThrow(() -> new DeadLetterNotFoundException(id));
                if (letter.status() == DeadLetterStatus.DISCARDED) {
                    throw new DeadLetterStateException(
                            "Dead letter " + id + " was discarded (" + letter.discardReason() + ")");
                }
                consumer.replay(letter.toRecord());
                DeadLetter replayed = store.markReplayed(id);
                log.info(
                        "Replayed dead letter {} ({}-{}@{})",
                        id,
                        letter.sourceTopic(),
                        letter.sourcePartition(),
                        letter.sourceOffset());
                return replayed;
            });
        } catch (DeadLetterNotFoundException | DeadLetterStateException e) {
            throw e;
        } catch (RuntimeException e) {
            String reason = DeadLetters.reason(e);
            DeadLetter failed = transactions.execute(tx -> store.markReplayFailed(id, reason));
            log.warn(
                    "Replay of dead letter {} ({}-{}@{}) failed again: {}",
                    id,
                    failed.sourceTopic(),
                    failed.sourcePartition(),
                    failed.sourceOffset(),
                    reason,
                    // the stack trace only where it can tell something, as when a record is dead-lettered
                    DeadLetters.isUnprocessable(e) ? null : e);
            throw new ReplayFailedException(failed);
        }
    }

    /** Gives up on a pending dead letter, for the reason an operator gives. */
    public DeadLetter discard(long id, String reason) {
        return transactions.execute(tx -> {
            DeadLetter letter = store.lock(id).orElseThrow(() -> new DeadLetterNotFoundException(id));
            if (letter.status() != DeadLetterStatus.PENDING) {
                throw new DeadLetterStateException(
                        "Dead letter " + id + " is " + letter.status() + "; only a PENDING one can be discarded");
            }
            log.info(
                    "Discarded dead letter {} ({}-{}@{}): {}",
                    id,
                    letter.sourceTopic(),
                    letter.sourcePartition(),
                    letter.sourceOffset(),
                    reason);
            return store.markDiscarded(id, reason);
        });
    }
}
