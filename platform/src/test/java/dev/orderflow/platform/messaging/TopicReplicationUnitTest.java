package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderflow.platform.messaging.MessagingProperties.Replication;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TopicReplicationUnitTest {

    private static final Replication UNSET = new Replication(null, null);

    @ParameterizedTest(name = "{0} broker(s): {1} replica(s), min.insync.replicas {2}")
    @CsvSource({"1, 1, 1", "2, 2, 1", "3, 3, 2", "4, 3, 2", "9, 3, 2"})
    void givesAReplicaPerBrokerUpToThreeAndRequiresTwoInSyncOnceThereAreThree(
            int brokers, int factor, int minInsyncReplicas) {
        assertThat(TopicReplication.decide(UNSET, brokers))
                .isEqualTo(new TopicReplication((short) factor, minInsyncReplicas));
    }

    @Test
    void keepsWhatIsConfiguredWhateverTheCluster() {
        assertThat(TopicReplication.decide(new Replication(2, 2), 5)).isEqualTo(new TopicReplication((short) 2, 2));
        assertThat(TopicReplication.decide(new Replication(5, 3), 5)).isEqualTo(new TopicReplication((short) 5, 3));
        assertThat(TopicReplication.decide(new Replication(3, 1), 3)).isEqualTo(new TopicReplication((short) 3, 1));
    }

    @Test
    void decidesWhatIsLeftUnsetFromTheConfiguredFactor() {
        assertThat(TopicReplication.decide(new Replication(2, null), 5)).isEqualTo(new TopicReplication((short) 2, 1));
        assertThat(TopicReplication.decide(new Replication(4, null), 5)).isEqualTo(new TopicReplication((short) 4, 2));
        assertThat(TopicReplication.decide(new Replication(null, 1), 3)).isEqualTo(new TopicReplication((short) 3, 1));
    }

    @Test
    void neverLowersAConfiguredFactorToTheBrokersAtHand() {
        // Kafka refuses to create such a topic and says why; fewer replicas than asked for would go unnoticed.
        assertThat(TopicReplication.decide(new Replication(3, 2), 1)).isEqualTo(new TopicReplication((short) 3, 2));
    }

    @Test
    void refusesMoreInSyncReplicasThanTheClusterAtHandGivesTopics() {
        assertThatIllegalStateException()
                .isThrownBy(() -> TopicReplication.decide(new Replication(null, 2), 1))
                .withMessageContaining("min-insync-replicas (2) exceeds the replication factor of 1");
    }

    @Test
    void refusesAClusterWithoutBrokers() {
        assertThatIllegalStateException().isThrownBy(() -> TopicReplication.decide(UNSET, 0));
    }

    @Test
    void refusesAConfigurationThatCouldNeverAcknowledgeAWrite() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Replication(2, 3))
                .withMessageContaining("must not exceed the replication factor");
        assertThatIllegalArgumentException().isThrownBy(() -> new Replication(0, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Replication(null, 0));
    }

    @Test
    void bindsFromTheServicesConfigurationWithBothUnsetByDefault() {
        assertThat(bind(Map.of()).replication()).isEqualTo(UNSET);
        assertThat(bind(Map.of(
                                "orderflow.messaging.replication.factor", "3",
                                "orderflow.messaging.replication.min-insync-replicas", "2"))
                        .replication())
                .isEqualTo(new Replication(3, 2));
        assertThatThrownBy(() -> bind(Map.of("orderflow.messaging.replication.factor", "0")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("orderflow.messaging.replication.factor must be 1 or more");
    }

    private static MessagingProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("orderflow.messaging", MessagingProperties.class);
    }
}
