package dev.orderflow.deploy;

import static dev.orderflow.testsupport.Deployments.CONTRACT;
import static dev.orderflow.testsupport.Deployments.ROOT;
import static dev.orderflow.testsupport.Dockerfiles.instructions;
import static dev.orderflow.testsupport.Yaml.map;
import static dev.orderflow.testsupport.Yaml.maps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.orderflow.platform.messaging.MessagingProperties;
import dev.orderflow.platform.messaging.TopicReplication;
import dev.orderflow.testsupport.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests ({@code deploy/k8s}) as {@code kubectl kustomize} renders each overlay: what the services,
 * the operators (Strimzi, CloudNativePG, KEDA) and Kubernetes will be handed. No cluster runs where the tests run,
 * so this proves what can be proven from the rendered objects: each service gets the contract's configuration
 * pointing at its own database cluster and the Kafka cluster, its secrets only by reference, the image its
 * Dockerfile builds, probes on its health groups, a heap within its memory limit, a non-root user, a disruption
 * budget and a scaler on its own consumer group; the topics have the replicas the brokers can hold and the
 * partitions its consumers can use. Without kubectl the tests are skipped, and say so.
 */
class KubernetesManifestsTest {

    /**
     * A service as the contract describes it.
     *
     * @param consumes the topic it consumes (its consumer group is named after the service)
     * @param publishes the topic it publishes, if any
     */
    private record Service(String consumes, Optional<String> publishes) {}

    private static final Map<String, Service> SERVICES = Map.of(
            "order-service", new Service("payment-events", Optional.of("order-events")),
            "payment-service", new Service("order-events", Optional.of("payment-events")),
            "notification-service", new Service("order-events", Optional.empty()));

    /** Names of variables whose values are secrets. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(PASSWORD|SECRET|JAAS|TOKEN|CREDENTIAL|PRIVATE).*");

    /** What a secret looks like written out: a password in a JAAS line or a URL, a private key. */
    private static final Pattern SECRET_VALUE =
            Pattern.compile("(?is).*(password\\s*=|://[^/@\\s]+:[^/@\\s]+@|-----BEGIN [A-Z ]*PRIVATE KEY).*");

    /** The health check of Kafka waits this long (KafkaHealthIndicator); a readiness probe must wait longer. */
    private static final int KAFKA_HEALTH_TIMEOUT_SECONDS = 3;

    /** See {@link #render}. */
    private static final Map<String, List<Map<String, Object>>> rendered = new HashMap<>();

    // --- the services' containers

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void givesEveryServiceTheContractsConfigurationEachReachingItsSetting(String overlay) {
        for (String name : SERVICES.keySet()) {
            Map<String, Object> container = container(overlay, name);
            Map<String, Map<String, Object>> env = env(container);

            assertThat(env).as("env of %s", name).containsKeys(CONTRACT.keySet().toArray(String[]::new));
            assertThat(literal(env, "SERVER_PORT"))
                    .as("SERVER_PORT of %s", name)
                    .isEqualTo(ownConfiguration(name).getProperty("server.port"));
            // Read as Spring Boot reads the process environment: each variable reaches the property it is for.
            Binder binder = binder(overlay, container);
            CONTRACT.forEach((variable, property) -> assertThat(
                            binder.bind(property, String.class).orElse(null))
                    .as("%s of %s sets %s", variable, name, property)
                    .isEqualTo(shown(overlay, env.get(variable))));
            Map<String, String> kafkaProperties = binder.bind(
                            "spring.kafka.properties", Bindable.mapOf(String.class, String.class))
                    .orElse(Map.of());
            env.keySet().stream()
                    .filter(variable -> variable.startsWith("SPRING_KAFKA_PROPERTIES_"))
                    .forEach(variable -> assertThat(kafkaProperties)
                            .as("%s of %s", variable, name)
                            .containsKey(variable.substring("SPRING_KAFKA_PROPERTIES_".length())
                                    .toLowerCase()
                                    .replace('_', '.')));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void pointsEachServiceAtItsOwnDatabaseClusterWithItsGeneratedCredentials(String overlay) {
        for (String name : SERVICES.keySet()) {
            Map<String, Map<String, Object>> env = env(container(overlay, name));
            String database =
                    ownConfiguration(name).getProperty("spring.datasource.url").replaceFirst(".*/", "");
            List<Map<String, Object>> clusters = objects(overlay, "Cluster").stream()
                    .filter(cluster -> database.equals(at(cluster, "spec", "bootstrap", "initdb", "database")))
                    .toList();
            assertThat(clusters).as("database clusters with %s", database).hasSize(1);
            String cluster = name(clusters.getFirst());

            assertThat(literal(env, "SPRING_DATASOURCE_URL"))
                    .isEqualTo("jdbc:postgresql://" + cluster + "-rw:5432/" + database);
            assertThat(at(clusters.getFirst(), "spec", "bootstrap", "initdb", "owner"))
                    .as("owner of %s", database)
                    .isEqualTo(database);
            // The Secret CloudNativePG generates for the database's owner.
            assertThat(secretReference(env, "SPRING_DATASOURCE_USERNAME")).isEqualTo(cluster + "-app/username");
            assertThat(secretReference(env, "SPRING_DATASOURCE_PASSWORD")).isEqualTo(cluster + "-app/password");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void connectsEachServiceToTheKafkaClusterAsItsOwnUser(String overlay) {
        Map<String, Object> kafka = only(overlay, "Kafka");
        List<Map<String, Object>> listeners = maps(at(kafka, "spec", "kafka", "listeners"));
        for (String name : SERVICES.keySet()) {
            Map<String, Map<String, Object>> env = env(container(overlay, name));
            String bootstrap = literal(env, "SPRING_KAFKA_BOOTSTRAP_SERVERS");
            Map<String, Object> listener = listeners.stream()
                    .filter(l -> bootstrap.equals(name(kafka) + "-kafka-bootstrap:" + l.get("port")))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError(name + " connects to no listener of the cluster: " + bootstrap));
            boolean tls = Boolean.TRUE.equals(listener.get("tls"));

            assertThat(at(listener, "authentication", "type")).isEqualTo("scram-sha-512");
            assertThat(literal(env, "SPRING_KAFKA_SECURITY_PROTOCOL")).isEqualTo(tls ? "SASL_SSL" : "SASL_PLAINTEXT");
            assertThat(literal(env, "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
            assertThat(named(overlay, "KafkaUser", name))
                    .as("the Kafka user %s", name)
                    .isPresent();
            assertThat(secretReference(env, "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                    .isEqualTo(name + "/sasl.jaas.config");
            if (tls) {
                assertThat(literal(env, "SPRING_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE"))
                        .isEqualTo("PEM");
                assertThat(secretReference(env, "SPRING_KAFKA_PROPERTIES_SSL_TRUSTSTORE_CERTIFICATES"))
                        .isEqualTo(name(kafka) + "-cluster-ca-cert/ca.crt");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void runsTheImagesTheDockerfilesBuild(String overlay) throws IOException {
        for (String name : SERVICES.keySet()) {
            Map<String, Object> container = container(overlay, name);
            Path dockerfile = ROOT.resolve(name).resolve("Dockerfile");
            String repository = "orderflow/" + name;

            assertThat(Files.readString(dockerfile))
                    .as("%s says what it builds", dockerfile)
                    .contains("-t " + repository + " ");
            // Optionally from a registry the image was pushed to; always with a tag of its own.
            assertThat(text(container.get("image")))
                    .matches("([a-z0-9.-]+(:\\d+)?/)?" + Pattern.quote(repository) + ":[\\w][\\w.-]*")
                    .doesNotEndWith(":latest");
            assertThat(instructions(dockerfile))
                    .as("EXPOSE of %s", dockerfile)
                    .contains("EXPOSE " + containerPort(container));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void probesTheHealthGroupsOnTheServicesPort(String overlay) {
        Properties defaults = platformDefaults();
        assertThat(defaults.getProperty("management.endpoint.health.probes.enabled"))
                .isEqualTo("true");
        assertThat(List.of(defaults.getProperty("management.endpoint.health.group.readiness.include")
                        .split(",")))
                .contains("readinessState", "db", "kafka");
        assertThat(List.of(defaults.getProperty("management.endpoint.health.group.liveness.include")
                        .split(",")))
                .containsExactly("livenessState");

        for (String name : SERVICES.keySet()) {
            Map<String, Object> container = container(overlay, name);
            String port = containerPort(container);
            Map<String, String> probes = Map.of(
                    "startupProbe", "/actuator/health/liveness",
                    "livenessProbe", "/actuator/health/liveness",
                    "readinessProbe", "/actuator/health/readiness");
            probes.forEach((probe, path) -> {
                Map<String, Object> httpGet = map(at(container, probe, "httpGet"));
                assertThat(httpGet.get("path")).as("%s of %s", probe, name).isEqualTo(path);
                assertThat(probePort(container, httpGet.get("port")))
                        .as("%s port of %s", probe, name)
                        .isEqualTo(port);
            });
            assertThat(number(at(container, "readinessProbe", "timeoutSeconds")))
                    .as("readiness timeout of %s, longer than the Kafka check's", name)
                    .isGreaterThan(KAFKA_HEALTH_TIMEOUT_SECONDS);
            assertThat(port).isEqualTo(ownConfiguration(name).getProperty("server.port"));
            Map<String, Object> service =
                    named(overlay, "Service", name).orElseThrow(() -> new AssertionError("no Service " + name));
            assertThat(maps(at(service, "spec", "ports")))
                    .anySatisfy(p -> assertThat(probePort(container, p.get("targetPort")))
                            .isEqualTo(port));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void sizesTheHeapWithinTheMemoryLimit(String overlay) {
        for (String name : SERVICES.keySet()) {
            Map<String, Object> container = container(overlay, name);
            String options = resolvedEnv(overlay, container).get("JAVA_TOOL_OPTIONS");
            assertThat(options).as("JAVA_TOOL_OPTIONS of %s", name).isNotNull();
            Matcher heap = Pattern.compile("-Xmx(\\d+[kmgKMG]?)").matcher(options);
            assertThat(heap.find()).as("a heap in %s", options).isTrue();
            long maxHeap = bytes(heap.group(1));
            Matcher initial = Pattern.compile("-Xms(\\d+[kmgKMG]?)").matcher(options);
            if (initial.find()) {
                assertThat(bytes(initial.group(1))).as("-Xms of %s", name).isLessThanOrEqualTo(maxHeap);
            }
            long limit = bytes(text(at(container, "resources", "limits", "memory")));
            long request = bytes(text(at(container, "resources", "requests", "memory")));

            // The JVM's own memory (metaspace, code cache, thread stacks, buffers) needs the rest.
            assertThat(maxHeap)
                    .as("heap of %s against its limit %s", name, limit)
                    .isLessThanOrEqualTo(limit * 3 / 4);
            assertThat(limit - maxHeap).as("memory beside the heap of %s", name).isGreaterThanOrEqualTo(256L << 20);
            // Memory it may use is memory it is given: no eviction for using its limit.
            assertThat(request).as("memory request of %s", name).isEqualTo(limit);
            assertThat(at(container, "resources", "requests", "cpu"))
                    .as("cpu request of %s", name)
                    .isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void runsEveryServiceAsItsImagesNonRootUser(String overlay) throws IOException {
        for (String name : SERVICES.keySet()) {
            Map<String, Object> pod = map(at(deployment(overlay, name), "spec", "template", "spec"));
            Map<String, Object> container = container(overlay, name);
            Map<String, Object> podContext = map(pod.getOrDefault("securityContext", Map.of()));
            Map<String, Object> containerContext = map(container.getOrDefault("securityContext", Map.of()));
            List<String> users = instructions(ROOT.resolve(name).resolve("Dockerfile")).stream()
                    .filter(i -> i.startsWith("USER "))
                    .toList();
            String imageUser = users.getLast().substring("USER ".length()).split(":")[0];

            assertThat(containerContext.getOrDefault("runAsNonRoot", podContext.get("runAsNonRoot")))
                    .as("runAsNonRoot of %s", name)
                    .isEqualTo(true);
            Object runAsUser = containerContext.getOrDefault("runAsUser", podContext.get("runAsUser"));
            if (runAsUser != null) {
                assertThat(text(runAsUser)).as("runAsUser of %s", name).isEqualTo(imageUser);
            }
            assertThat(imageUser).isNotIn("0", "root");
            assertThat(containerContext.get("allowPrivilegeEscalation"))
                    .as("allowPrivilegeEscalation of %s", name)
                    .isEqualTo(false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void passesSecretsOnlyByReference(String overlay) {
        assertThat(objects(overlay, "Secret"))
                .as("Secrets written into the manifests")
                .isEmpty();
        for (Map<String, Object> object : render(overlay)) {
            walk(object, kind(object) + " " + name(object), (where, key, value) -> {
                if (key.matches("(?i)password|passphrase|secret") && !(value instanceof Map)) {
                    fail("%s has a %s written out", where, key);
                }
                if (value instanceof String text && SECRET_VALUE.matcher(text).matches()) {
                    fail("%s.%s looks like a secret written out", where, key);
                }
            });
        }
        for (Map<String, Object> configMap : objects(overlay, "ConfigMap")) {
            map(configMap.getOrDefault("data", Map.of()))
                    .keySet()
                    .forEach(key -> assertThat(key)
                            .as("a key of ConfigMap %s", name(configMap))
                            .doesNotMatch(SECRET_NAME));
        }
        for (Map<String, Object> deployment : objects(overlay, "Deployment")) {
            for (Map<String, Object> container : maps(at(deployment, "spec", "template", "spec", "containers"))) {
                env(container).forEach((variable, entry) -> {
                    if (SECRET_NAME.matcher(variable).matches()) {
                        assertThat(entry)
                                .as("%s of %s", variable, name(deployment))
                                .doesNotContainKey("value");
                        assertThat(map(entry.get("valueFrom")))
                                .as("%s of %s", variable, name(deployment))
                                .containsOnlyKeys("secretKeyRef");
                    }
                });
            }
        }
        for (Map<String, Object> authentication : objects(overlay, "TriggerAuthentication")) {
            maps(map(authentication.get("spec")).getOrDefault("configMapTargetRef", List.of()))
                    .forEach(reference -> assertThat(text(map(reference).get("parameter")))
                            .as("a parameter of %s read from a ConfigMap", name(authentication))
                            .doesNotMatch(SECRET_NAME));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void coversEveryServiceWithADisruptionBudgetThatStillLetsANodeBeDrained(String overlay) {
        for (String name : SERVICES.keySet()) {
            Map<String, Object> labels = map(at(deployment(overlay, name), "spec", "template", "metadata", "labels"));
            List<Map<String, Object>> budgets = objects(overlay, "PodDisruptionBudget").stream()
                    .filter(budget -> labels.entrySet()
                            .containsAll(map(at(budget, "spec", "selector", "matchLabels"))
                                    .entrySet()))
                    .toList();

            assertThat(budgets).as("disruption budgets of %s", name).hasSize(1);
            Map<String, Object> spec = map(budgets.getFirst().get("spec"));
            int minimum = minReplicas(overlay, name);
            if (spec.containsKey("maxUnavailable")) {
                int maxUnavailable = number(spec.get("maxUnavailable"));
                assertThat(maxUnavailable).as("maxUnavailable of %s", name).isPositive();
                if (minimum > 1) {
                    assertThat(maxUnavailable).as("maxUnavailable of %s", name).isLessThan(minimum);
                }
            } else {
                int minAvailable = number(spec.get("minAvailable"));
                assertThat(minAvailable).as("minAvailable of %s", name).isLessThan(minimum);
            }
        }
    }

    // --- Kafka

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void givesEveryTopicAtLeastAsManyPartitionsAsItsConsumersMayHaveReplicas(String overlay) {
        for (Map<String, Object> topic : objects(overlay, "KafkaTopic")) {
            int partitions = number(at(topic, "spec", "partitions"));
            SERVICES.forEach((name, service) -> {
                if (service.consumes().equals(topicName(topic))) {
                    assertThat(partitions)
                            .as("partitions of %s, consumed by %s", topicName(topic), name)
                            .isGreaterThanOrEqualTo(maxReplicas(overlay, name));
                }
            });
        }
        Set<String> consumed = Set.of("order-events", "payment-events");
        assertThat(objects(overlay, "KafkaTopic").stream().map(KubernetesManifestsTest::topicName))
                .containsExactlyInAnyOrderElementsOf(consumed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void replicatesTopicsAsTheBrokersCanAndTheServicesCreateTheirsAlike(String overlay) {
        Map<String, Object> kafka = only(overlay, "Kafka");
        int brokers = objects(overlay, "KafkaNodePool").stream()
                .filter(pool -> name(kafka).equals(at(pool, "metadata", "labels", "strimzi.io/cluster")))
                .filter(pool -> strings(at(pool, "spec", "roles")).contains("broker"))
                .mapToInt(pool -> number(at(pool, "spec", "replicas")))
                .sum();
        assertThat(brokers).as("brokers").isPositive();
        for (Map<String, Object> topic : objects(overlay, "KafkaTopic")) {
            int replicas = number(at(topic, "spec", "replicas"));
            int minInsync = number(at(topic, "spec", "config", "min.insync.replicas"));
            assertThat(replicas).as("replicas of %s", topicName(topic)).isBetween(1, brokers);
            assertThat(minInsync)
                    .as("min.insync.replicas of %s", topicName(topic))
                    .isBetween(1, replicas);
            if (replicas >= 3) {
                // A write is on two brokers before it is acknowledged, and one broker may be away.
                assertThat(minInsync)
                        .as("min.insync.replicas of %s", topicName(topic))
                        .isBetween(2, replicas - 1);
            }
            // The services create their dead-letter topics with the settings they are given; they are the
            // topic's, and the partitions never more than the topic's (a service would add partitions).
            for (String name : SERVICES.keySet()) {
                MessagingProperties messaging = binder(overlay, container(overlay, name))
                        .bindOrCreate("orderflow.messaging", MessagingProperties.class);
                assertThat(messaging.partitions())
                        .as("partitions %s creates topics with", name)
                        .isEqualTo(number(at(topic, "spec", "partitions")));
                assertThat(TopicReplication.decide(messaging.replication(), brokers))
                        .as("replication of the topics %s creates", name)
                        .isEqualTo(new TopicReplication((short) replicas, minInsync));
            }
        }
        Map<String, Object> config = map(at(kafka, "spec", "kafka", "config"));
        for (String factor : List.of(
                "default.replication.factor",
                "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor",
                "share.coordinator.state.topic.replication.factor")) {
            assertThat(number(config.get(factor))).as(factor).isBetween(1, brokers);
        }
        assertThat(number(config.get("min.insync.replicas")))
                .isBetween(1, number(config.get("default.replication.factor")));
        assertThat(number(config.get("transaction.state.log.min.isr")))
                .isBetween(1, number(config.get("transaction.state.log.replication.factor")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void grantsEachServicesKafkaUserWhatTheServiceDoesAndNoMore(String overlay) {
        SERVICES.forEach((name, service) -> {
            Map<String, Object> user =
                    named(overlay, "KafkaUser", name).orElseThrow(() -> new AssertionError("no KafkaUser " + name));
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            expected.put("topic " + service.consumes(), Set.of("Describe", "Read"));
            service.publishes().ifPresent(topic -> expected.put("topic " + topic, Set.of("Describe", "Write")));
            expected.put(
                    "topic " + service.consumes() + "." + name + ".dlt", Set.of("Create", "Describe", "Read", "Write"));
            // Its consumer groups: <service> and <service>.dead-letters.
            expected.put("group " + name + "*", Set.of("Read"));
            Map<String, Set<String>> granted = new LinkedHashMap<>();
            for (Map<String, Object> acl : maps(at(user, "spec", "authorization", "acls"))) {
                Map<String, Object> resource = map(acl.get("resource"));
                String pattern = "prefix".equals(resource.get("patternType")) ? "*" : "";
                granted.merge(
                        resource.get("type") + " " + resource.get("name") + pattern,
                        Set.copyOf(strings(acl.get("operations"))),
                        (a, b) -> Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet()));
            }
            // It checks that the suite's topics exist: describing each is all it may do with the others.
            Set.of("order-events", "payment-events")
                    .forEach(topic -> expected.putIfAbsent("topic " + topic, Set.of("Describe")));

            assertThat(granted).as("ACLs of %s", name).isEqualTo(expected);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void scalesEachServiceOnTheLagOfItsOwnConsumerGroup(String overlay) {
        Map<String, Object> kafka = only(overlay, "Kafka");
        for (String name : SERVICES.keySet()) {
            Map<String, Object> scaler =
                    scaledObject(overlay, name).orElseThrow(() -> new AssertionError("no ScaledObject for " + name));
            Map<String, Object> deployment = deployment(overlay, name);
            assertThat(map(deployment.get("spec")))
                    .as("the Deployment %s, whose replicas are KEDA's", name)
                    .doesNotContainKey("replicas");
            assertThat(number(at(scaler, "spec", "minReplicaCount")))
                    .as("fewest replicas of %s, which serves HTTP", name)
                    .isPositive();
            List<Map<String, Object>> lag = maps(at(scaler, "spec", "triggers")).stream()
                    .filter(trigger -> "kafka".equals(trigger.get("type")))
                    .toList();
            assertThat(lag).as("Kafka triggers of %s", name).hasSize(1);
            Map<String, Object> metadata = map(lag.getFirst().get("metadata"));
            assertThat(metadata.get("consumerGroup")).isEqualTo(name);
            assertThat(metadata.get("topic")).isEqualTo(SERVICES.get(name).consumes());
            assertThat(metadata.get("bootstrapServers"))
                    .isEqualTo(literal(env(container(overlay, name)), "SPRING_KAFKA_BOOTSTRAP_SERVERS"));
            assertThat(metadata.get("offsetResetPolicy"))
                    .as("as the platform's consumers")
                    .isEqualTo("earliest");

            // KEDA reads the lag as a Kafka user of its own, allowed to describe that group and topic.
            String authentication = text(at(lag.getFirst(), "authenticationRef", "name"));
            Map<String, Object> trigger = named(overlay, "TriggerAuthentication", authentication)
                    .orElseThrow(() -> new AssertionError("no TriggerAuthentication " + authentication));
            String user = configMapValue(overlay, trigger, "username");
            assertThat(maps(at(trigger, "spec", "secretTargetRef")))
                    .anySatisfy(reference -> assertThat(reference)
                            .containsEntry("parameter", "password")
                            .containsEntry("name", user)
                            .containsEntry("key", "password"));
            Map<String, Object> reader =
                    named(overlay, "KafkaUser", user).orElseThrow(() -> new AssertionError("no KafkaUser " + user));
            assertThat(maps(at(reader, "spec", "authorization", "acls")))
                    .anySatisfy(acl -> assertThat(map(acl.get("resource")))
                            .containsEntry("type", "group")
                            .containsEntry("name", name))
                    .anySatisfy(acl -> assertThat(map(acl.get("resource")))
                            .containsEntry("type", "topic")
                            .containsEntry("name", SERVICES.get(name).consumes()));
            assertThat(name(kafka)).isEqualTo(text(at(reader, "metadata", "labels", "strimzi.io/cluster")));
        }
    }

    // --- reading the rendered objects

    /** A service's Deployment. */
    private static Map<String, Object> deployment(String overlay, String name) {
        return named(overlay, "Deployment", name).orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    /** The container of a service's Deployment, named after it. */
    private static Map<String, Object> container(String overlay, String name) {
        List<Map<String, Object>> containers =
                maps(at(deployment(overlay, name), "spec", "template", "spec", "containers"));
        assertThat(containers).as("containers of %s", name).hasSize(1);
        assertThat(containers.getFirst().get("name")).isEqualTo(name);
        return containers.getFirst();
    }

    private static String containerPort(Map<String, Object> container) {
        List<Map<String, Object>> ports = maps(container.get("ports"));
        assertThat(ports).hasSize(1);
        return text(ports.getFirst().get("containerPort"));
    }

    /** A probe's or Service's port as a number: a container port's name resolved. */
    private static String probePort(Map<String, Object> container, Object port) {
        if (port instanceof String portName && !portName.matches("\\d+")) {
            return maps(container.get("ports")).stream()
                    .filter(p -> portName.equals(p.get("name")))
                    .map(p -> text(p.get("containerPort")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no container port named " + portName));
        }
        return text(port);
    }

    /** A container's env entries by name. */
    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Map<String, Object> entry : maps(container.getOrDefault("env", List.of()))) {
            assertThat(env.put(text(entry.get("name")), entry))
                    .as("%s set twice", entry.get("name"))
                    .isNull();
        }
        return env;
    }

    private static String literal(Map<String, Map<String, Object>> env, String variable) {
        assertThat(env).containsKey(variable);
        assertThat(env.get(variable)).as(variable).containsKey("value");
        return text(env.get(variable).get("value"));
    }

    /** {@code <secret>/<key>} of a variable set from a Secret. */
    private static String secretReference(Map<String, Map<String, Object>> env, String variable) {
        assertThat(env).containsKey(variable);
        Map<String, Object> reference = map(at(env.get(variable), "valueFrom", "secretKeyRef"));
        return reference.get("name") + "/" + reference.get("key");
    }

    /**
     * What the container's process sees of its environment: its env and the ConfigMaps of its envFrom, a variable
     * set from a Secret as a stand-in naming it (the Secret exists only in a cluster).
     */
    private static Map<String, String> resolvedEnv(String overlay, Map<String, Object> container) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map<String, Object> source : maps(container.getOrDefault("envFrom", List.of()))) {
            String configMap = text(at(source, "configMapRef", "name"));
            Map<String, Object> data = map(named(overlay, "ConfigMap", configMap)
                    .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap))
                    .get("data"));
            data.forEach((key, value) -> resolved.put(key, text(value)));
        }
        env(container).forEach((variable, entry) -> resolved.put(variable, shown(overlay, entry)));
        return resolved;
    }

    private static String shown(String overlay, Map<String, Object> entry) {
        if (entry.containsKey("value")) {
            return text(entry.get("value"));
        }
        Map<String, Object> from = map(entry.get("valueFrom"));
        if (from.containsKey("configMapKeyRef")) {
            Map<String, Object> reference = map(from.get("configMapKeyRef"));
            return text(map(named(overlay, "ConfigMap", text(reference.get("name")))
                            .orElseThrow()
                            .get("data"))
                    .get(text(reference.get("key"))));
        }
        return "<" + from + ">";
    }

    /** Binds the container's environment as Spring Boot binds the process environment. */
    private static Binder binder(String overlay, Map<String, Object> container) {
        return new Binder(ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new LinkedHashMap<>(resolvedEnv(overlay, container)))));
    }

    private static String configMapValue(String overlay, Map<String, Object> trigger, String parameter) {
        Map<String, Object> reference = maps(at(trigger, "spec", "configMapTargetRef")).stream()
                .filter(r -> parameter.equals(r.get("parameter")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + parameter + " in " + name(trigger)));
        Map<String, Object> configMap = named(overlay, "ConfigMap", text(reference.get("name")))
                .orElseThrow(() -> new AssertionError("no ConfigMap " + reference.get("name")));
        return text(map(configMap.get("data")).get(text(reference.get("key"))));
    }

    private static Optional<Map<String, Object>> scaledObject(String overlay, String deployment) {
        List<Map<String, Object>> scalers = objects(overlay, "ScaledObject").stream()
                .filter(scaler -> deployment.equals(at(scaler, "spec", "scaleTargetRef", "name")))
                .toList();
        assertThat(scalers).as("ScaledObjects of %s", deployment).hasSizeLessThanOrEqualTo(1);
        return scalers.stream().findFirst();
    }

    /** The most replicas a service's Deployment may have: KEDA's most, or its own count. */
    private static int maxReplicas(String overlay, String name) {
        return scaledObject(overlay, name)
                .map(scaler -> number(at(scaler, "spec", "maxReplicaCount")))
                .orElseGet(
                        () -> number(map(deployment(overlay, name).get("spec")).getOrDefault("replicas", 1)));
    }

    private static int minReplicas(String overlay, String name) {
        return scaledObject(overlay, name)
                .map(scaler -> number(at(scaler, "spec", "minReplicaCount")))
                .orElseGet(
                        () -> number(map(deployment(overlay, name).get("spec")).getOrDefault("replicas", 1)));
    }

    /** The topic a KafkaTopic makes: {@code spec.topicName}, or its own name. */
    private static String topicName(Map<String, Object> topic) {
        Object named = map(topic.get("spec")).get("topicName");
        return named != null ? text(named) : name(topic);
    }

    private static List<Map<String, Object>> objects(String overlay, String kind) {
        return render(overlay).stream().filter(o -> kind.equals(kind(o))).toList();
    }

    private static Optional<Map<String, Object>> named(String overlay, String kind, String name) {
        List<Map<String, Object>> found = objects(overlay, kind).stream()
                .filter(o -> name.equals(name(o)))
                .toList();
        assertThat(found).as("%s %s", kind, name).hasSizeLessThanOrEqualTo(1);
        return found.stream().findFirst();
    }

    private static Map<String, Object> only(String overlay, String kind) {
        List<Map<String, Object>> found = objects(overlay, kind);
        assertThat(found).as("objects of kind %s", kind).hasSize(1);
        return found.getFirst();
    }

    private static String kind(Map<String, Object> object) {
        return text(object.get("kind"));
    }

    private static String name(Map<String, Object> object) {
        return text(at(object, "metadata", "name"));
    }

    /** The value at a path of keys, or null where the path ends early. */
    private static Object at(Map<String, Object> object, String... path) {
        Object value = object;
        for (String key : path) {
            if (!(value instanceof Map<?, ?> current)) {
                return null;
            }
            value = current.get(key);
        }
        return value;
    }

    private interface Visitor {
        void visit(String where, String key, Object value);
    }

    /** Every key and value in an object, with where it is. */
    private static void walk(Object value, String where, Visitor visitor) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> {
                visitor.visit(where, String.valueOf(key), child);
                walk(child, where + "." + key, visitor);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), where + "[" + i + "]", visitor);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<Object>) value)
                .stream().map(KubernetesManifestsTest::text).toList();
    }

    private static String text(Object value) {
        assertThat(value).isNotNull();
        return String.valueOf(value);
    }

    private static int number(Object value) {
        assertThat(value).isNotNull();
        return Integer.parseInt(String.valueOf(value));
    }

    /** Bytes of a Kubernetes quantity (512Mi, 1Gi) or of a JVM size (448m, 1g). */
    private static long bytes(String quantity) {
        Matcher matcher = Pattern.compile("(\\d+)([KMGkmg]i?)?").matcher(quantity);
        assertThat(matcher.matches()).as("a size: %s", quantity).isTrue();
        long value = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2);
        return switch (unit) {
            case "" -> value;
            case "k", "K", "Ki" -> value << 10;
            case "m", "M", "Mi" -> value << 20;
            case "g", "G", "Gi" -> value << 30;
            default -> throw new AssertionError("a size in a unit not used here: " + quantity);
        };
    }

    // --- the services' own files

    private static Properties ownConfiguration(String name) {
        Path file = ROOT.resolve(name).resolve("src/main/resources").resolve(name + ".yml");
        assertThat(file).exists();
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource(file));
        return yaml.getObject();
    }

    /** The settings every service shares (platform). */
    private static Properties platformDefaults() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        ClassPathResource defaults = new ClassPathResource("orderflow-defaults.yml");
        assertThat(defaults.exists())
                .as("orderflow-defaults.yml on the class path")
                .isTrue();
        yaml.setResources(defaults);
        return yaml.getObject();
    }

    // --- rendering

    /**
     * The objects {@code kubectl kustomize} renders for an overlay (once). Rendered by each test that needs it, so
     * that a test skipped for want of kubectl says so in the report.
     */
    @SuppressWarnings("unchecked")
    private static synchronized List<Map<String, Object>> render(String overlay) {
        List<Map<String, Object>> objects = rendered.get(overlay);
        if (objects == null) {
            Path directory = ROOT.resolve("deploy/k8s/overlays").resolve(overlay);
            assertThat(directory).isDirectory();
            String output = kustomize(directory);
            objects = new ArrayList<>();
            for (Object document : new Yaml().loadAll(output)) {
                if (document != null) {
                    objects.add((Map<String, Object>) document);
                }
            }
            assertThat(objects).as("objects of %s", overlay).isNotEmpty();
            rendered.put(overlay, List.copyOf(objects));
        }
        return rendered.get(overlay);
    }

    /** Runs {@code kubectl kustomize} on a directory; without kubectl, skips the test. */
    private static String kustomize(Path directory) {
        List<String> command = List.of("kubectl", "kustomize", directory.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("kubectl cannot be run (" + e.getMessage() + "): the Kubernetes manifests are not"
                    + " checked here. Install kubectl 1.27 or newer (it renders kustomizations) to check them.");
            throw new AssertionError(e);
        }
        Processes.Result result = Processes.finish(process, command, Duration.ofMinutes(2));
        assertThat(result.exitCode())
                .as("kubectl kustomize rejects %s:%n%s", directory, result.errors())
                .isZero();
        return result.output();
    }
}
