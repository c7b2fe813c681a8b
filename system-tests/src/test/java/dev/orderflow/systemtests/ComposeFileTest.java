package dev.orderflow.systemtests;

import static dev.orderflow.testsupport.Deployments.CONTRACT;
import static dev.orderflow.testsupport.Deployments.ROOT;
import static dev.orderflow.testsupport.Dockerfiles.instructions;
import static dev.orderflow.testsupport.Yaml.list;
import static dev.orderflow.testsupport.Yaml.map;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.orderflow.platform.messaging.MessagingProperties;
import dev.orderflow.platform.messaging.TopicReplication;
import dev.orderflow.testsupport.Processes;
import dev.orderflow.testsupport.Processes.Result;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.FileSystemUtils;

/**
 * {@code docker-compose.yml}, {@code docker-compose.cluster.yml} ({@link Cluster}) and the services' Dockerfiles
 * agree with the services' own configuration.
 * No Docker engine runs where the tests run, so this proves what can be proven without one: Compose
 * accepts the file, and what {@code docker-compose config} resolves it to publishes each service's own
 * port, hands each service exactly the contract's variables pointing at its own database and the broker,
 * runs the official images, and starts nothing before what it needs is healthy. The Dockerfiles copy the
 * layers that the services' jars really have.
 */
class ComposeFileTest {

    /**
     * Variables every service gets beyond the contract's, each with the property it sets: settings of the platform
     * (orderflow-defaults.yml), not of a service's own file.
     */
    private static final Map<String, String> OBSERVABILITY = Map.of(
            "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
            "management.opentelemetry.tracing.export.otlp.endpoint");

    /**
     * @param database its own PostgreSQL container
     * @param moreVariables variables beyond the contract's, each with the property it sets
     * @param moreDependencies containers it waits for besides its database and Kafka
     */
    private record Service(String database, Map<String, String> moreVariables, Set<String> moreDependencies) {}

    private static final Map<String, Service> SERVICES = Map.of(
            "order-service",
            new Service("orders-db", Map.of("ORDERS_CORS_ALLOWED_ORIGINS", "orders.cors.allowed-origins"), Set.of()),
            "payment-service",
            new Service("payments-db", Map.of(), Set.of()),
            "notification-service",
            new Service(
                    "notifications-db",
                    Map.of(
                            "SPRING_MAIL_HOST", "spring.mail.host",
                            "SPRING_MAIL_PORT", "spring.mail.port",
                            "NOTIFICATIONS_ORDER_SERVICE_URL", "notifications.order-service-url"),
                    Set.of("mailpit")));

    /** The layers of a Spring Boot jar, least likely to change first. */
    /** The name of the unpacked application's jar in the images, beside {@code lib/}. */
    private static final String APPLICATION_JAR = "application.jar";

    /** The ahead-of-time cache that the images' training run writes and the service starts with. */
    private static final String AOT_CACHE = "app.aot";

    private static final List<String> LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    /** {@code COPY --from=build /build/extracted/<layer>/ ./} */
    private static final Pattern LAYER_COPY = Pattern.compile("^COPY --from=\\S+ \\S*/extracted/([\\w-]+)/? ");

    /** The services of each compose file, as resolved (see {@link #resolve}). */
    private static final Map<String, Map<String, Object>> resolved = new HashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
    void publishesTheServicesOwnPort(String name) {
        String port = ownConfiguration(name).getProperty("server.port");

        assertThat(publishedPort(name)).isEqualTo(port);
        assertThat(ports(service(name)))
                .singleElement()
                .satisfies(mapping -> assertThat(mapping.target()).isEqualTo(port));
        assertThat(text(environment(name).get("SERVER_PORT"))).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
    void setsExactlyTheContractsVariablesEachOverridingItsOwnSetting(String name) {
        Map<String, Object> environment = environment(name);
        Map<String, String> expected = new HashMap<>(CONTRACT);
        expected.putAll(SERVICES.get(name).moreVariables());
        Map<String, String> all = new HashMap<>(expected);
        all.putAll(OBSERVABILITY);

        assertThat(environment.keySet()).containsExactlyInAnyOrderElementsOf(all.keySet());
        // Read as Spring Boot reads the process environment (the name selects its mapping of variable names
        // to properties): each variable reaches the property it is for.
        Binder binder = new Binder(ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)));
        all.forEach((variable, property) -> assertThat(
                        binder.bind(property, String.class).orElse(null))
                .as("%s sets %s", variable, property)
                .isEqualTo(text(environment.get(variable))));
        // Each overrides a setting of the service's configuration: its own file or the platform's defaults (a
        // list's elements count).
        Set<Object> own = ownConfiguration(name).keySet();
        expected.values()
                .forEach(property -> assertThat(own)
                        .as("%s.yml or the platform's defaults set %s", name, property)
                        .anySatisfy(key ->
                                assertThat(String.valueOf(key)).matches(Pattern.quote(property) + "(\\[\\d+])?")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
    void pointsEachServiceAtItsOwnDatabaseWithItsDefaultCredentials(String name) {
        Properties own = ownConfiguration(name);
        String databaseName = URI.create(
                        own.getProperty("spring.datasource.url").substring("jdbc:".length()))
                .getPath()
                .substring(1);
        String container = SERVICES.get(name).database();
        Map<String, Object> environment = environment(name);
        Map<String, Object> database = environment(container);

        assertThat(text(environment.get("SPRING_DATASOURCE_URL")))
                .isEqualTo("jdbc:postgresql://" + container + ":5432/" + databaseName);
        assertThat(text(database.get("POSTGRES_DB"))).isEqualTo(databaseName);
        assertThat(text(environment.get("SPRING_DATASOURCE_USERNAME")))
                .isEqualTo(text(database.get("POSTGRES_USER")))
                .isEqualTo(own.getProperty("spring.datasource.username"));
        assertThat(text(environment.get("SPRING_DATASOURCE_PASSWORD")))
                .isEqualTo(text(database.get("POSTGRES_PASSWORD")))
                .isEqualTo(own.getProperty("spring.datasource.password"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
    void pointsEachServiceAtTheBrokersInNetworkListener(String name) {
        String bootstrap = text(environment(name).get("SPRING_KAFKA_BOOTSTRAP_SERVERS"));

        assertThat(bootstrap).isEqualTo("kafka:9092");
        assertThat(text(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"))).contains("://" + bootstrap);
    }

    @Test
    void pointsTheBrowserAndTheMailAtWhatIsPublished() {
        assertThat(text(environment("notification-service").get("NOTIFICATIONS_ORDER_SERVICE_URL")))
                .isEqualTo("http://localhost:" + publishedPort("order-service"));
        assertThat(text(environment("order-service").get("ORDERS_CORS_ALLOWED_ORIGINS")))
                .isEqualTo("http://localhost:" + publishedPort("notification-service"));
        assertThat(text(environment("notification-service").get("SPRING_MAIL_HOST")))
                .isEqualTo("mailpit");
        assertThat(text(environment("notification-service").get("SPRING_MAIL_PORT")))
                .isEqualTo("1025");
        assertThat(ports(service("mailpit")))
                .anySatisfy(mapping -> assertThat(mapping.published()).isEqualTo("8025"));
    }

    /**
     * Prometheus scrapes each service on its own port and loads the alert rules, Grafana is provisioned from
     * observability/ with both data sources, and every service sends its spans to Tempo.
     */
    @Test
    void observesTheServicesWithPrometheusGrafanaAndTempo() throws IOException {
        Map<String, Object> prometheus = new YamlMapFactoryBean() {
            {
                setResources(new org.springframework.core.io.FileSystemResource(
                        ROOT.resolve("observability/prometheus/prometheus.yml")));
            }
        }.getObject();
        String scrape = String.valueOf(prometheus.get("scrape_configs"));
        SERVICES.keySet().forEach(name -> assertThat(scrape).contains(name + ":" + publishedPort(name)));
        assertThat(scrape).contains("/actuator/prometheus");
        assertThat(String.valueOf(prometheus.get("rule_files"))).contains("/etc/prometheus/alerts.yml");
        assertThat(list(service("prometheus").get("volumes")))
                .anySatisfy(volume -> assertThat(String.valueOf(volume)).contains("alerts.yml"));

        for (String container : List.of("prometheus", "grafana", "tempo")) {
            for (Object volume : list(service(container).get("volumes"))) {
                // Compose v1 resolves a volume to "source:target:mode", v2 to a map
                String source = volume instanceof Map<?, ?> mapping
                        ? String.valueOf(mapping.get("source"))
                        : text(volume).split(":")[0];
                if (source.startsWith("/")) {
                    assertThat(Path.of(source))
                            .as("%s mounts %s", container, source)
                            .exists();
                }
            }
        }
        assertThat(Files.list(ROOT.resolve("observability/grafana/dashboards"))).isNotEmpty();
        assertThat(Files.readString(ROOT.resolve("observability/grafana/provisioning/datasources/datasources.yml")))
                .contains("url: http://prometheus:9090", "url: http://tempo:3200");
        SERVICES.keySet()
                .forEach(name -> assertThat(
                                text(environment(name).get("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT")))
                        .startsWith("http://tempo:4318/"));
    }

    @Test
    void runsTheOfficialImagesAndBuildsTheServices() {
        Map<String, String> images = Map.of(
                "kafka", "apache/kafka:",
                "orders-db", "postgres:",
                "payments-db", "postgres:",
                "notifications-db", "postgres:",
                "mailpit", "axllent/mailpit:",
                "prometheus", "prom/prometheus:",
                "grafana", "grafana/grafana:",
                "tempo", "grafana/tempo:");

        assertThat(compose().keySet())
                .containsExactlyInAnyOrderElementsOf(Stream.concat(images.keySet().stream(), SERVICES.keySet().stream())
                        .toList());
        images.forEach((container, image) -> assertThat(text(service(container).get("image")))
                .startsWith(image)
                .doesNotEndWith(":latest"));
        SERVICES.keySet()
                .forEach(name -> assertThat(service(name)).containsKey("build").doesNotContainKey("image"));
    }

    /**
     * Kafka's listener for tools and Mailpit's page have no authentication: they are published on the loopback
     * address only, in the file as written and as Compose resolves it. Only the services' own ports are public.
     */
    @Test
    void publishesWhatHasNoAuthenticationOnTheLoopbackAddressOnly() throws IOException {
        YamlMapFactoryBean yaml = new YamlMapFactoryBean();
        yaml.setResources(new ByteArrayResource(Files.readAllBytes(ROOT.resolve("docker-compose.yml"))));
        Map<String, Object> written = map(yaml.getObject().get("services"));
        written.forEach((name, definition) -> {
            Object ports = map(definition).get("ports");
            if (ports != null && !SERVICES.containsKey(name)) {
                assertThat(strings(ports))
                        .as("ports of %s", name)
                        .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
            }
        });
        assertThat(strings(map(written.get("kafka")).get("ports"))).containsExactly("127.0.0.1:9094:9094");
        assertThat(strings(map(written.get("mailpit")).get("ports"))).containsExactly("127.0.0.1:8025:8025");

        compose().forEach((name, definition) -> {
            if (!SERVICES.containsKey(name)) {
                assertThat(ports(map(definition)))
                        .as("ports of %s", name)
                        .allSatisfy(port -> assertThat(port.hostIp()).isEqualTo("127.0.0.1"));
            }
        });
    }

    @Test
    void startsNothingBeforeWhatItNeedsIsHealthy() {
        everyContainerIsCheckedAndWaitsForWhatItNeedsToBeHealthy(compose());
        SERVICES.forEach((name, service) -> {
            Set<String> needs = new LinkedHashSet<>(List.of(service.database(), "kafka"));
            needs.addAll(service.moreDependencies());
            assertThat(map(service(name).get("depends_on")).keySet()).containsExactlyInAnyOrderElementsOf(needs);
            assertThat(String.join(
                            " ", strings(map(service(name).get("healthcheck")).get("test"))))
                    .contains("/actuator/health");
        });
    }

    @Test
    void brokerGivesNewTopicsThePlatformsPartitionCount() {
        String partitions = text(environment("kafka").get("KAFKA_NUM_PARTITIONS"));

        SERVICES.keySet().forEach(name -> {
            MessagingProperties messaging = new Binder(new MapConfigurationPropertySource(ownConfiguration(name)))
                    .bindOrCreate("orderflow.messaging", MessagingProperties.class);
            assertThat(partitions).as("partitions of %s", name).isEqualTo(String.valueOf(messaging.partitions()));
        });
        assertThat(partitions).isEqualTo("6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
    void buildsEachServiceWithItsOwnMultiStageLayeredNonRootDockerfile(String name) throws IOException {
        Map<String, Object> build = map(service(name).get("build"));
        Path context = Path.of(text(build.get("context")));
        Path dockerfile = context.resolve(text(build.get("dockerfile"))).normalize();
        assertThat(context.normalize()).as("the reactor is the build context").isEqualTo(ROOT);
        assertThat(dockerfile).isEqualTo(ROOT.resolve(name).resolve("Dockerfile"));
        assertThat(dockerfile).exists();

        List<String> instructions = instructions(dockerfile);
        List<String> stages =
                instructions.stream().filter(i -> keyword(i).equals("FROM")).toList();
        assertThat(stages).as("stages").hasSizeGreaterThanOrEqualTo(2);
        List<String> last = instructions.subList(instructions.lastIndexOf(stages.getLast()), instructions.size());
        List<String> users =
                last.stream().filter(i -> keyword(i).equals("USER")).toList();
        assertThat(users).as("USER of the final stage").isNotEmpty();
        String user = arguments(users.getLast()).split(":")[0];
        assertThat(user).isNotIn("root", "0");

        assertThat(instructions)
                .anySatisfy(
                        i -> assertThat(i).startsWith("RUN").contains("./mvnw").contains("-pl " + name));
        assertThat(instructions)
                .anySatisfy(i -> assertThat(i)
                        .startsWith("RUN")
                        .contains("-Djarmode=tools -jar " + name + "/target/" + name + "-")
                        .contains("extract --layers --application-filename " + APPLICATION_JAR));
        assertThat(copiedLayers(last)).as("layers copied into the image").isEqualTo(LAYERS);
        assertThat(last)
                .anySatisfy(i -> assertThat(i)
                        .isEqualTo("EXPOSE " + ownConfiguration(name).getProperty("server.port")));
        // The ahead-of-time cache is written in the image (by the training run, before the user changes) and used
        // by the service.
        assertThat(trainingRun(last)).isNotNull();
        assertThat(last.indexOf(trainingRun(last))).isLessThan(last.indexOf(users.getLast()));
        assertThat(last)
                .anySatisfy(i -> assertThat(i)
                        .startsWith("ENTRYPOINT")
                        .contains("\"-XX:AOTCache=" + AOT_CACHE + "\"")
                        .contains("\"-jar\", \"" + APPLICATION_JAR + "\""));
    }

    /**
     * The extraction and the training run that the Dockerfiles run, run on the jars that {@code package} left: the
     * layers hold the unpacked application, and the training run writes an ahead-of-time cache with neither a
     * database nor a broker (with the JDK 25 or newer that the images use; skipped on an older one).
     */
    @ParameterizedTest
    @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
    void theServicesJarHasTheLayersItsDockerfileCopiesAndTrainsItsCacheAlone(String name, @TempDir Path extracted)
            throws IOException {
        Path jar = executableJar(name);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Result layers = run(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "list-layers"));
        assertThat(layers.exitCode()).as(layers.errors()).isZero();
        assertThat(layers.output().lines().map(String::strip).filter(l -> !l.isEmpty()))
                .containsExactlyElementsOf(LAYERS);

        Result extract = run(List.of(
                java,
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--layers",
                "--application-filename",
                APPLICATION_JAR,
                "--destination",
                extracted.toString()));
        assertThat(extract.exitCode()).as(extract.errors()).isZero();
        assertThat(extracted.resolve("application").resolve(APPLICATION_JAR)).exists();
        assertThat(extracted.resolve("dependencies/lib")).isDirectoryContaining("glob:**spring-boot-*.jar");

        Assumptions.assumeTrue(
                Runtime.version().feature() >= 25, "the ahead-of-time cache needs JDK 25; this is " + java);
        // The image's working directory: the layers copied one over the other.
        Path app = Files.createDirectory(extracted.resolve("app"));
        for (String layer : LAYERS) {
            FileSystemUtils.copyRecursively(extracted.resolve(layer), app);
        }
        List<String> last = finalStage(ROOT.resolve(name).resolve("Dockerfile"));
        List<String> command = new ArrayList<>();
        Map<String, String> environment = new HashMap<>(imageEnvironment(last));
        for (String word : arguments(trainingRun(last)).split(" ")) {
            Matcher assignment = Pattern.compile("([A-Z_]+)=(.*)").matcher(word);
            if (command.isEmpty() && assignment.matches()) {
                environment.put(assignment.group(1), assignment.group(2));
            } else {
                command.add(command.isEmpty() ? java : word);
            }
        }
        Result training = run(command, app, environment);
        assertThat(training.exitCode())
                .as("%s%n%s", training.output(), training.errors())
                .isZero();
        assertThat(app.resolve(AOT_CACHE)).isNotEmptyFile();
    }

    /**
     * {@code docker-compose.cluster.yml}, the platform at cluster size on one machine: three Kafka nodes that form
     * one KRaft quorum, two instances of each service configured alike, and nginx in front of them on the ports of
     * the single-machine setup. Its databases and mail catcher are {@code docker-compose.yml}'s.
     */
    @Nested
    class Cluster {

        private static final String FILE = "docker-compose.cluster.yml";

        private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");

        private static final String LOAD_BALANCER = "load-balancer";

        /** What the cluster sets beyond the single machine, each with the property it sets. */
        private static final Map<String, String> REPLICATION = Map.of(
                "ORDERFLOW_MESSAGING_REPLICATION_FACTOR", "orderflow.messaging.replication.factor",
                "ORDERFLOW_MESSAGING_REPLICATION_MININSYNCREPLICAS",
                        "orderflow.messaging.replication.min-insync-replicas");

        @Test
        void runsThreeKafkaNodesEachABrokerAndAVoterOfOneQuorum() {
            Map<String, String> voters = new HashMap<>();
            for (int i = 0; i < BROKERS.size(); i++) {
                voters.put(String.valueOf(i + 1), BROKERS.get(i) + ":9093");
            }
            Set<String> clusterIds = new HashSet<>();
            Set<String> externalPorts = new HashSet<>();
            for (String broker : BROKERS) {
                Map<String, Object> environment = clusterEnvironment(broker);
                String id = text(environment.get("KAFKA_NODE_ID"));
                assertThat(voters.get(id)).as("voter of node %s", id).isEqualTo(broker + ":9093");
                assertThat(Set.of(text(environment.get("KAFKA_PROCESS_ROLES")).split(",")))
                        .as("roles of %s", broker)
                        .containsExactlyInAnyOrder("broker", "controller");
                assertThat(Stream.of(text(environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
                                        .split(","))
                                .map(voter -> voter.split("@", 2))
                                .collect(Collectors.toMap(voter -> voter[0], voter -> voter[1])))
                        .as("voters known to %s", broker)
                        .isEqualTo(voters);
                clusterIds.add(text(environment.get("CLUSTER_ID")));
                Port port = ports(clusterService(broker)).getFirst();
                String published = port.published();
                // the listener for tools has no authentication
                assertThat(port.hostIp())
                        .as("address %s is published on", broker)
                        .isEqualTo("127.0.0.1");
                externalPorts.add(published);
                assertThat(Set.of(text(environment.get("KAFKA_ADVERTISED_LISTENERS"))
                                .split(",")))
                        .as("advertised listeners of %s", broker)
                        .containsExactlyInAnyOrder(
                                "INTERNAL://" + broker + ":9092", "EXTERNAL://localhost:" + published);
            }
            assertThat(clusterIds).as("cluster ids").hasSize(1);
            assertThat(externalPorts)
                    .as("ports published for tools on the host")
                    .hasSize(BROKERS.size());
        }

        @Test
        void givesEveryTopicThreeReplicasOfWhichTwoMustHaveAWrite() {
            for (String name : SERVICES.keySet()) {
                for (String instance : instances(name)) {
                    MessagingProperties messaging = new Binder(
                                    ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                            clusterEnvironment(instance))))
                            .bindOrCreate("orderflow.messaging", MessagingProperties.class);
                    assertThat(TopicReplication.decide(messaging.replication(), BROKERS.size()))
                            .as("replication of the topics %s creates", instance)
                            .isEqualTo(new TopicReplication((short) 3, 2));
                }
            }
            for (String broker : BROKERS) {
                Map<String, Object> environment = clusterEnvironment(broker);
                // Topics made otherwise, and the broker's own: consumer offsets, transactions, share groups.
                assertThat(text(environment.get("KAFKA_DEFAULT_REPLICATION_FACTOR")))
                        .isEqualTo("3");
                assertThat(text(environment.get("KAFKA_MIN_INSYNC_REPLICAS"))).isEqualTo("2");
                assertThat(text(environment.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")))
                        .isEqualTo("3");
                assertThat(text(environment.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")))
                        .isEqualTo("3");
                assertThat(text(environment.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")))
                        .isEqualTo("2");
                assertThat(text(environment.get("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR")))
                        .isEqualTo("3");
                assertThat(text(environment.get("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR")))
                        .isEqualTo("2");
                assertThat(text(environment.get("KAFKA_NUM_PARTITIONS")))
                        .isEqualTo(text(environment("kafka").get("KAFKA_NUM_PARTITIONS")));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
        void runsTwoInstancesOfEachServiceAlikeWithNoPortOfTheirOwn(String name) {
            List<String> instances = instances(name);

            assertThat(cluster().keySet().stream().filter(container -> container.startsWith(name)))
                    .containsExactlyInAnyOrderElementsOf(instances);
            assertThat(instances).hasSize(2);
            Map<String, Object> first = clusterService(instances.getFirst());
            for (String instance : instances) {
                Map<String, Object> definition = clusterService(instance);
                assertThat(definition).as("%s", instance).doesNotContainKey("ports");
                assertThat(definition.get("environment")).as("%s", instance).isEqualTo(first.get("environment"));
                assertThat(definition.get("depends_on")).as("%s", instance).isEqualTo(first.get("depends_on"));
                assertThat(text(definition.get("image"))).isEqualTo("orderflow/" + name + ":local");
                Map<String, Object> build = map(definition.get("build"));
                assertThat(Path.of(text(build.get("context"))).normalize()).isEqualTo(ROOT);
                assertThat(text(build.get("dockerfile"))).isEqualTo(name + "/Dockerfile");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"order-service", "payment-service", "notification-service"})
        void setsTheContractsVariablesForTheClusterEachReachingItsSetting(String name) {
            Map<String, Object> environment = clusterEnvironment(instances(name).getFirst());
            Map<String, String> expected = new HashMap<>(CONTRACT);
            expected.putAll(SERVICES.get(name).moreVariables());
            expected.putAll(REPLICATION);

            assertThat(environment.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            Binder binder = new Binder(ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)));
            expected.forEach((variable, property) -> assertThat(
                            binder.bind(property, String.class).orElse(null))
                    .as("%s sets %s", variable, property)
                    .isEqualTo(text(environment.get(variable))));
            // The same database and credentials as on one machine, every broker's in-network listener.
            Map<String, Object> single = environment(name);
            for (String variable : List.of(
                    "SERVER_PORT",
                    "SPRING_DATASOURCE_URL",
                    "SPRING_DATASOURCE_USERNAME",
                    "SPRING_DATASOURCE_PASSWORD")) {
                assertThat(text(environment.get(variable))).as(variable).isEqualTo(text(single.get(variable)));
            }
            assertThat(List.of(text(environment.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                            .split(",")))
                    .containsExactlyInAnyOrderElementsOf(
                            BROKERS.stream().map(broker -> broker + ":9092").toList());
        }

        @Test
        void balancesEachServicesOwnPortOverItsInstancesWithoutBufferingTheLiveStream() throws IOException {
            Map<String, Object> balancer = clusterService(LOAD_BALANCER);
            Set<String> published = new HashSet<>();
            for (Object mapping : list(balancer.get("ports"))) {
                assertThat(text(map(mapping).get("target")))
                        .isEqualTo(text(map(mapping).get("published")));
                published.add(text(map(mapping).get("published")));
            }
            assertThat(published)
                    .containsExactlyInAnyOrderElementsOf(SERVICES.keySet().stream()
                            .map(name -> ownConfiguration(name).getProperty("server.port"))
                            .toList());
            Set<String> instances = new HashSet<>();
            SERVICES.keySet().forEach(name -> instances.addAll(instances(name)));
            assertThat(map(balancer.get("depends_on")).keySet()).containsExactlyInAnyOrderElementsOf(instances);

            Directive http = Directive.parse(nginxConfiguration(balancer)).only("http");
            Map<String, Set<String>> upstreams = new HashMap<>();
            for (Directive upstream : http.all("upstream")) {
                upstreams.put(
                        upstream.arguments().getFirst(),
                        upstream.all("server").stream()
                                .map(server -> server.arguments().getFirst())
                                .collect(Collectors.toSet()));
            }
            for (String name : SERVICES.keySet()) {
                String port = ownConfiguration(name).getProperty("server.port");
                List<Directive> servers = http.all("server").stream()
                        .filter(server -> server.all("listen").stream()
                                .anyMatch(listen -> listen.arguments().equals(List.of(port))))
                        .toList();
                assertThat(servers).as("nginx servers listening on %s", port).hasSize(1);
                List<Directive> locations = servers.getFirst().all("location");
                assertThat(locations).as("locations on %s", port).isNotEmpty();
                for (Directive location : locations) {
                    if (location.arguments().getFirst().startsWith("@")) {
                        continue; // a named location, for nginx's own answers
                    }
                    String upstream = location.only("proxy_pass").arguments().getFirst();
                    assertThat(upstream)
                            .as("location %s on %s", location.arguments(), port)
                            .startsWith("http://");
                    assertThat(upstreams.get(upstream.substring("http://".length())))
                            .as("instances behind %s on %s", location.arguments(), port)
                            .containsExactlyInAnyOrderElementsOf(instances(name).stream()
                                    .map(instance -> instance + ":" + port)
                                    .toList());
                }
                if (name.equals("notification-service")) {
                    Directive stream = locations.stream()
                            .filter(location -> location.arguments().equals(List.of("/api/notifications/stream")))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no location for the live stream"));
                    assertThat(stream.only("proxy_buffering").arguments()).containsExactly("off");
                }
            }
        }

        @Test
        void pointsTheBrowserAtTheLoadBalancer() {
            Map<String, String> published = new HashMap<>();
            for (Object mapping : list(clusterService(LOAD_BALANCER).get("ports"))) {
                published.put(
                        text(map(mapping).get("target")), text(map(mapping).get("published")));
            }
            String orders = published.get(ownConfiguration("order-service").getProperty("server.port"));
            String notifications =
                    published.get(ownConfiguration("notification-service").getProperty("server.port"));

            for (String instance : instances("notification-service")) {
                assertThat(text(clusterEnvironment(instance).get("NOTIFICATIONS_ORDER_SERVICE_URL")))
                        .isEqualTo("http://localhost:" + orders);
            }
            for (String instance : instances("order-service")) {
                assertThat(text(clusterEnvironment(instance).get("ORDERS_CORS_ALLOWED_ORIGINS")))
                        .isEqualTo("http://localhost:" + notifications);
            }
        }

        @Test
        void runsTheOfficialImagesAndTheSingleMachinesDatabasesAndMailCatcher() {
            Map<String, String> images = new HashMap<>(Map.of(
                    "orders-db",
                    "postgres:",
                    "payments-db",
                    "postgres:",
                    "notifications-db",
                    "postgres:",
                    "mailpit",
                    "axllent/mailpit:",
                    LOAD_BALANCER,
                    "nginx:"));
            BROKERS.forEach(broker -> images.put(broker, "apache/kafka:"));
            Set<String> containers = new HashSet<>(images.keySet());
            SERVICES.keySet().forEach(name -> containers.addAll(instances(name)));

            assertThat(cluster().keySet()).containsExactlyInAnyOrderElementsOf(containers);
            images.forEach((container, image) -> assertThat(
                            text(clusterService(container).get("image")))
                    .startsWith(image)
                    .doesNotEndWith(":latest"));
            for (String container : List.of("orders-db", "payments-db", "notifications-db", "mailpit")) {
                assertThat(clusterService(container)).as("%s", container).isEqualTo(service(container));
            }
            assertThat(text(clusterService("kafka-1").get("image")))
                    .isEqualTo(text(service("kafka").get("image")));
        }

        @Test
        void startsNothingBeforeWhatItNeedsIsHealthy() {
            everyContainerIsCheckedAndWaitsForWhatItNeedsToBeHealthy(cluster());
            SERVICES.forEach((name, service) -> {
                Set<String> needs = new LinkedHashSet<>(BROKERS);
                needs.add(service.database());
                needs.addAll(service.moreDependencies());
                for (String instance : instances(name)) {
                    assertThat(map(clusterService(instance).get("depends_on")).keySet())
                            .as("%s depends on", instance)
                            .containsExactlyInAnyOrderElementsOf(needs);
                    assertThat(String.join(
                                    " ",
                                    strings(map(clusterService(instance).get("healthcheck"))
                                            .get("test"))))
                            .contains("/actuator/health/readiness");
                }
            });
        }

        private static List<String> instances(String name) {
            return List.of(name + "-1", name + "-2");
        }

        private static Map<String, Object> cluster() {
            return resolve(FILE);
        }

        private static Map<String, Object> clusterService(String name) {
            assertThat(cluster()).containsKey(name);
            return map(cluster().get(name));
        }

        private static Map<String, Object> clusterEnvironment(String name) {
            return map(clusterService(name).get("environment"));
        }

        /** The file mounted as nginx's configuration, read-only. */
        private static String nginxConfiguration(Map<String, Object> balancer) throws IOException {
            List<Object> volumes = list(balancer.get("volumes"));
            assertThat(volumes).hasSize(1);
            Object volume = volumes.getFirst();
            String source;
            String target;
            boolean readOnly;
            if (volume instanceof String shortSyntax) { // Compose v1: source:target:mode
                String[] parts = shortSyntax.split(":");
                source = parts[0];
                target = parts[1];
                readOnly = parts.length > 2 && parts[2].equals("ro");
            } else {
                source = text(map(volume).get("source"));
                target = text(map(volume).get("target"));
                readOnly = Boolean.TRUE.equals(map(volume).get("read_only"));
            }
            assertThat(target).isEqualTo("/etc/nginx/nginx.conf");
            assertThat(readOnly).as("mounted read-only").isTrue();
            Path file = Path.of(source).normalize();
            assertThat(file).startsWith(ROOT).exists();
            return Files.readString(file);
        }
    }

    /** Every container has a health check, and each waits until what it depends on is healthy. */
    private static void everyContainerIsCheckedAndWaitsForWhatItNeedsToBeHealthy(Map<String, Object> services) {
        services.forEach((name, definition) -> {
            assertThat(map(definition)).as("%s", name).containsKey("healthcheck");
            Map<String, Object> healthcheck = map(map(definition).get("healthcheck"));
            assertThat(list(healthcheck.get("test")))
                    .as("healthcheck of %s", name)
                    .isNotEmpty()
                    .doesNotContain("NONE");
            assertThat(healthcheck.get("disable")).as("healthcheck of %s", name).isNotEqualTo(true);
            Object dependsOn = map(definition).get("depends_on");
            if (dependsOn != null) {
                map(dependsOn)
                        .forEach((dependency, condition) -> assertThat(map(condition))
                                .as("%s depends on %s", name, dependency)
                                .containsEntry("condition", "service_healthy"));
            }
        });
    }

    // --- the resolved compose files

    /** The services of {@code docker-compose.yml}, resolved. */
    private static Map<String, Object> compose() {
        return resolve("docker-compose.yml");
    }

    /**
     * The services of a compose file, as {@code docker-compose config} resolves them (once per file). Resolved by
     * each test that needs it rather than before all, so that a test skipped for want of docker-compose
     * says so in the report.
     */
    private static synchronized Map<String, Object> resolve(String file) {
        Map<String, Object> services = resolved.get(file);
        if (services == null) {
            Result config = run(List.of("docker-compose", "-f", file, "config"));
            assertThat(config.exitCode())
                    .as("docker-compose config rejects %s:%n%s", file, config.errors())
                    .isZero();
            YamlMapFactoryBean yaml = new YamlMapFactoryBean();
            yaml.setResources(new ByteArrayResource(config.output().getBytes(UTF_8)));
            services = map(yaml.getObject().get("services"));
            resolved.put(file, services);
        }
        return services;
    }

    private static Map<String, Object> service(String name) {
        assertThat(compose()).containsKey(name);
        return map(compose().get(name));
    }

    private static Map<String, Object> environment(String name) {
        return map(service(name).get("environment"));
    }

    private static String publishedPort(String name) {
        return ports(service(name)).getFirst().published();
    }

    /** A published port; {@code hostIp} empty when it is published on every address. */
    private record Port(String hostIp, String published, String target) {}

    /**
     * A service's published ports as {@code docker-compose config} renders them: Compose v2 as maps
     * ({@code host_ip}, {@code published}, {@code target}); v1 as maps too, except a port bound to one address,
     * which stays a string ({@code 127.0.0.1:8025:8025/tcp}).
     */
    private static List<Port> ports(Map<String, Object> service) {
        Object ports = service.get("ports");
        if (ports == null) {
            return List.of();
        }
        return list(ports).stream()
                .map(port -> {
                    if (port instanceof Map<?, ?> mapping) {
                        Object hostIp = mapping.get("host_ip");
                        return new Port(
                                hostIp == null ? "" : text(hostIp),
                                text(mapping.get("published")),
                                text(mapping.get("target")));
                    }
                    String[] parts = text(port).replaceFirst("/\\w+$", "").split(":");
                    assertThat(parts).as("port %s", port).hasSizeBetween(2, 3);
                    return parts.length == 3
                            ? new Port(parts[0], parts[1], parts[2])
                            : new Port("", parts[0], parts[1]);
                })
                .toList();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(ComposeFileTest::text).toList();
    }

    /**
     * A scalar as text: Compose v1 prints numbers as numbers, v2 as strings, and escapes {@code $} as
     * {@code $$}.
     */
    private static String text(Object value) {
        assertThat(value).isNotNull();
        return String.valueOf(value).replace("$$", "$");
    }

    // --- the services' own configuration

    /**
     * What a service's configuration files say: its own {@code <service>.yml} over the defaults every service shares
     * ({@code orderflow-defaults.yml}, platform), as the service reads them.
     */
    private static Properties ownConfiguration(String name) {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        ClassPathResource defaults = new ClassPathResource("orderflow-defaults.yml");
        ClassPathResource resource = new ClassPathResource(name + ".yml");
        assertThat(defaults.exists())
                .as("orderflow-defaults.yml on the class path")
                .isTrue();
        assertThat(resource.exists()).as("%s.yml on the class path", name).isTrue();
        yaml.setResources(defaults, resource);
        return yaml.getObject();
    }

    /** {@code <service>-<version>.jar}, which the Dockerfiles extract; no classified jar. */
    private static Path executableJar(String name) throws IOException {
        Path target = ROOT.resolve(name).resolve("target");
        Pattern runnable = Pattern.compile(Pattern.quote(name) + "-\\d[^-]*(-SNAPSHOT)?\\.jar");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                files.filter(f -> runnable.matcher(f.getFileName().toString()).matches())
                        .forEach(jars::add);
            }
        }
        if (jars.isEmpty()) {
            unavailable("no " + name + "/target/" + name + "-<version>.jar: package the services first");
        }
        assertThat(jars).as("runnable jars in %s", target).hasSize(1);
        return jars.getFirst();
    }

    // --- Dockerfiles

    private static String keyword(String instruction) {
        return instruction.split(" ", 2)[0].toUpperCase();
    }

    private static String arguments(String instruction) {
        return instruction.split(" ", 2)[1].strip();
    }

    private static List<String> finalStage(Path dockerfile) throws IOException {
        List<String> instructions = instructions(dockerfile);
        String last = instructions.stream()
                .filter(i -> keyword(i).equals("FROM"))
                .reduce((first, second) -> second)
                .orElseThrow();
        return instructions.subList(instructions.lastIndexOf(last), instructions.size());
    }

    /** The {@code RUN} that writes the ahead-of-time cache, or null. */
    private static String trainingRun(List<String> stage) {
        return stage.stream()
                .filter(i -> keyword(i).equals("RUN"))
                .filter(i -> i.contains(" java -XX:AOTCacheOutput=" + AOT_CACHE + " ")
                        && i.contains("-Dspring.context.exit=onRefresh")
                        && i.endsWith("-jar " + APPLICATION_JAR))
                .findFirst()
                .orElse(null);
    }

    /** The stage's {@code ENV NAME="value"} instructions. */
    private static Map<String, String> imageEnvironment(List<String> stage) {
        Map<String, String> environment = new HashMap<>();
        Pattern env = Pattern.compile("ENV ([A-Z_]+)=\"([^\"]*)\"");
        for (String instruction : stage) {
            Matcher matcher = env.matcher(instruction);
            if (matcher.matches()) {
                environment.put(matcher.group(1), matcher.group(2));
            }
        }
        return environment;
    }

    private static List<String> copiedLayers(List<String> instructions) {
        List<String> layers = new ArrayList<>();
        for (String instruction : instructions) {
            Matcher copy = LAYER_COPY.matcher(instruction);
            if (copy.find()) {
                layers.add(copy.group(1));
            }
        }
        return layers;
    }

    // --- nginx's configuration

    /**
     * A directive of nginx's configuration: its name, its arguments (quoted ones with their quotes) and the
     * directives of its block, if it has one.
     */
    private record Directive(String name, List<String> arguments, List<Directive> block) {

        private static final Pattern TOKEN = Pattern.compile("#[^\\n]*|'[^']*'|\"[^\"]*\"|[{};]|[^\\s{};'\"#]+");

        /** A whole configuration, as the block of a directive of no name. */
        static Directive parse(String configuration) {
            List<String> tokens = new ArrayList<>();
            Matcher matcher = TOKEN.matcher(configuration);
            while (matcher.find()) {
                if (!matcher.group().startsWith("#")) {
                    tokens.add(matcher.group());
                }
            }
            return new Directive("", List.of(), block(tokens.iterator()));
        }

        private static List<Directive> block(Iterator<String> tokens) {
            List<Directive> directives = new ArrayList<>();
            while (tokens.hasNext()) {
                String name = tokens.next();
                if (name.equals("}")) {
                    return directives;
                }
                List<String> arguments = new ArrayList<>();
                String token;
                do {
                    assertThat(tokens.hasNext())
                            .as("the directive %s ends", name)
                            .isTrue();
                    token = tokens.next();
                    if (!token.equals(";") && !token.equals("{")) {
                        arguments.add(token);
                    }
                } while (!token.equals(";") && !token.equals("{"));
                directives.add(new Directive(name, arguments, token.equals("{") ? block(tokens) : List.of()));
            }
            return directives;
        }

        List<Directive> all(String directive) {
            return block.stream().filter(d -> d.name().equals(directive)).toList();
        }

        Directive only(String directive) {
            List<Directive> found = all(directive);
            assertThat(found).as("%s in %s %s", directive, name, arguments).hasSize(1);
            return found.getFirst();
        }
    }

    // --- processes

    /**
     * Runs a command in the repository's root to its end. A missing program (docker-compose: Debian's
     * package of that name, which {@code .ci/run} installs) skips the test on a developer's machine and
     * fails it in CI.
     */
    private static Result run(List<String> command) {
        return run(command, ROOT, Map.of());
    }

    private static Result run(List<String> command, Path directory, Map<String, String> environment) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            unavailable(command.getFirst() + " cannot be run: " + e.getMessage());
            throw new AssertionError(e);
        }
        return Processes.finish(process, command, Duration.ofMinutes(5));
    }

    private static void unavailable(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            fail(reason);
        }
        Assumptions.abort(reason);
    }
}
