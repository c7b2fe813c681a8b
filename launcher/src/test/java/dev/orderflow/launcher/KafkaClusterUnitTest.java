package dev.orderflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClusterUnitTest {

    @TempDir
    Path home;

    private KafkaCluster cluster(List<KafkaCluster.NodeLayout> nodes, Map<String, String> properties) {
        return new KafkaCluster(
                new KafkaCluster.Settings(home, nodes, properties, List.of(), "kafka/*", home.resolve("logs")),
                new Launcher(home));
    }

    @Test
    void aLocalClusterHasEveryNodeAsAVoterAHundredPortsApartAndBootstrapsFromAllOfThem() {
        KafkaCluster kafka = cluster(KafkaCluster.localLayout(3, 9092), Map.of());

        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:9092,localhost:9192,localhost:9292");
        assertThat(kafka.serverProperties(kafka.node(2)))
                .contains("node.id=2\n")
                .contains("controller.quorum.voters=1@localhost:9093,2@localhost:9193,3@localhost:9293\n")
                .contains("listeners=PLAINTEXT://localhost:9192,CONTROLLER://localhost:9193\n")
                .contains("advertised.listeners=PLAINTEXT://localhost:9192\n")
                .contains("log.dirs=" + home.resolve("node-2").resolve("data") + "\n");
        assertThat(kafka.log(2)).isEqualTo(home.resolve("logs").resolve("kafka-2.log"));
    }

    @Test
    void replicatesToThreeBrokersWithTwoInSyncOnceThereAreThreeAndNotBeyondTheBrokersThereAre() {
        String three = cluster(KafkaCluster.localLayout(3, 9092), Map.of())
                .serverProperties(KafkaCluster.localLayout(3, 9092).getFirst());
        assertThat(three)
                .contains("default.replication.factor=3\n")
                .contains("min.insync.replicas=2\n")
                .contains("offsets.topic.replication.factor=3\n")
                .contains("transaction.state.log.min.isr=2\n");

        KafkaCluster single = cluster(KafkaCluster.localLayout(1, 9092), Map.of());
        assertThat(single.serverProperties(single.node(1)))
                .contains("default.replication.factor=1\n")
                .contains("min.insync.replicas=1\n")
                .contains("log.dirs=" + home.resolve("data") + "\n");
        assertThat(KafkaCluster.replicationFactor(5)).isEqualTo(3);
        assertThat(KafkaCluster.minInsyncReplicas(2)).isEqualTo(1);
    }

    @Test
    void advertisesAListenerAtTheAddressTheCallerGivesAndLetsItsPropertiesWin() {
        KafkaCluster kafka = cluster(
                List.of(new KafkaCluster.NodeLayout(
                        1,
                        List.of(
                                KafkaCluster.Listener.plain("TESTS", 40001),
                                new KafkaCluster.Listener("SERVICE", 40002, 40010)),
                        40003)),
                Map.of("auto.create.topics.enable", "false", "num.partitions", "3"));

        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:40001");
        assertThat(kafka.bootstrapServers("SERVICE")).isEqualTo("localhost:40010");
        assertThat(kafka.serverProperties(kafka.node(1)))
                .contains("listeners=TESTS://localhost:40001,SERVICE://localhost:40002,CONTROLLER://localhost:40003\n")
                .contains("advertised.listeners=TESTS://localhost:40001,SERVICE://localhost:40010\n")
                .contains("inter.broker.listener.name=TESTS\n")
                .contains("listener.security.protocol.map=CONTROLLER:PLAINTEXT,TESTS:PLAINTEXT,SERVICE:PLAINTEXT\n")
                .contains("auto.create.topics.enable=false\n")
                .contains("num.partitions=3\n")
                .doesNotContain("num.partitions=6");
    }

    @Test
    void refusesDataKeptFromAClusterOfAnotherSizeBeforeStartingAnything() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data").resolve("meta.properties"), "node.id=1\n");

        assertThatThrownBy(() ->
                        cluster(KafkaCluster.localLayout(3, 9092), Map.of()).start())
                .isInstanceOf(Launcher.LaunchFailure.class)
                .hasMessageContaining("single node");

        Files.writeString(home.resolve("nodes"), "3\n");
        assertThatThrownBy(() ->
                        cluster(KafkaCluster.localLayout(2, 9092), Map.of()).start())
                .isInstanceOf(Launcher.LaunchFailure.class)
                .hasMessageContaining("cluster of 3 node(s), not 2");
    }
}
