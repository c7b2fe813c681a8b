package dev.orderflow.localrunner;

import dev.orderflow.launcher.ChildProcess;
import dev.orderflow.launcher.KafkaCluster;
import dev.orderflow.launcher.Launcher;
import dev.orderflow.launcher.Launcher.LaunchFailure;
import dev.orderflow.launcher.PostgresServer;
import dev.orderflow.launcher.Service;
import dev.orderflow.launcher.ServiceInstance;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Runs the whole suite on one machine with nothing installed but a JDK: PostgreSQL with one database per service,
 * Apache Kafka (one node, or a cluster with {@code --brokers}), and one or more instances of each service ({@code
 * --instances}), all kept under {@code .local/} at the repository root, through the {@link Launcher}. Stops them
 * all, services first, when it is interrupted or terminated.
 *
 * <p>Started by {@code ./run-local.sh}, which builds what is missing or stale first.
 */
public final class LocalSuite {

    /** The colour of each service's lines on the console (SGR codes). */
    static final Map<Service, String> COLOURS =
            Map.of(Service.ORDER, "36", Service.PAYMENT, "33", Service.NOTIFICATION, "32");

    /**
     * Every Kafka client a service creates logs its whole configuration and version at INFO, a hundred lines each;
     * locally that buries what the services themselves say. Warnings still show.
     */
    static final List<String> QUIET_KAFKA_CLIENTS = List.of(
            "-Dlogging.level.org.apache.kafka.common.config=WARN",
            "-Dlogging.level.org.apache.kafka.common.utils.AppInfoParser=WARN",
            "-Dlogging.level.org.apache.kafka.common.metrics=WARN");

    /**
     * Local data lives until --clean, like the databases: no time-based deletion of events or of the offsets of
     * consumers that were stopped for a while.
     */
    static final Map<String, String> KAFKA_RETENTION =
            Map.of("log.retention.hours", "-1", "offsets.retention.minutes", "5256000");

    /**
     * How long the parts may take to start: 180 s for each instance of a service, which share the same cores (one of
     * each starts in 15 s on two idle cores). {@code -Dlocalsuite.start-timeout-seconds} for a slower machine.
     */
    private Duration startTimeout() {
        return Duration.ofSeconds(Long.getLong("localsuite.start-timeout-seconds", 180L * options.instances()));
    }

    /** Long enough for the saga's code to be run often and its profiles to be worth keeping. */
    private static final Duration TRAINING = Duration.ofSeconds(30);

    private final Options options;
    private final Console console;
    private final Path root;
    private final Path home;
    private final Path logs;
    private final Launcher launcher;
    private final long startedAt = System.nanoTime();
    private long servicesLaunchedAt = System.nanoTime();

    private volatile PostgresServer database;
    /** Null when the user set ADMIN_PASSWORD, which the services then inherit. */
    private String adminPassword;
    /** Open, and locked, for as long as this runner lives; the lock goes with the process. */
    private FileChannel lockChannel;

    LocalSuite(Options options, Console console, Path root) {
        this.options = options;
        this.console = console;
        this.root = root;
        // another home (a test's) keeps its data, lock and processes apart from the developer's suite
        String givenHome = System.getProperty("localsuite.home");
        this.home = givenHome != null ? Path.of(givenHome).toAbsolutePath().normalize() : root.resolve(".local");
        this.logs = home.resolve("logs");
        this.launcher = new Launcher(home);
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(Options.USAGE);
            return;
        }
        Console console = Console.forTerminal(options.instances() > 1);
        Path root = repositoryRoot();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("order-service"))) {
            console.say("Not in the repository: " + root + ". Start the suite with ./run-local.sh.");
            System.exit(2);
        }
        LocalSuite suite = new LocalSuite(options, console, root);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "local-suite-stop"));
        try {
            suite.run();
        } catch (LaunchFailure e) {
            if (!suite.launcher.stopping()) {
                console.say(e.getMessage());
            }
        } catch (Exception e) {
            if (!suite.launcher.stopping()) {
                console.say("Failed: " + e);
                e.printStackTrace();
            }
        }
        // Something failed or ended on its own; the shutdown hook stops the rest.
        System.exit(1);
    }

    /** The repository this runner was built in: its jar is {@code <root>/local-runner/target/*.jar}. */
    private static Path repositoryRoot() {
        String override = System.getProperty("localsuite.root");
        if (override != null) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        try {
            Path location = Path.of(LocalSuite.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return location.getParent().getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts everything, then waits until a part ends on its own (a stop by signal never returns). */
    void run() throws Exception {
        lockHome();
        stopLeftovers();
        if (options.clean()) {
            wipe();
        }
        Files.createDirectories(logs);
        KafkaCluster kafka = kafkaCluster();
        checkPorts(kafka);
        List<String> parts = new ArrayList<>(List.of("postgres"));
        kafka.nodes().forEach(node -> parts.add(kafka.name(node.id())));
        for (int i = 0; i < options.instances(); i++) {
            for (Service service : Service.ALL) {
                parts.add(service.instanceName(i));
            }
        }
        for (String part : parts) {
            rotate(logs.resolve(part + ".log"));
        }
        adminPassword = adminPassword();
        console.say("Logs: .local/logs/<part>.log for postgres, "
                + (kafka.nodes().size() == 1 ? "kafka" : "each Kafka node") + " and each service"
                + (options.instances() > 1 ? " instance" : "")
                + (options.quiet() ? "." : "; the services' output also appears here."));

        console.say("Starting Kafka " + AppInfoParser.getVersion()
                + (kafka.nodes().size() == 1
                        ? " on " + kafka.bootstrapServers()
                        : ", a cluster of " + kafka.nodes().size() + " nodes, on "
                                + kafka.bootstrapServers().replace(",", ", "))
                + (kafka.fresh() ? " (first start: formatting its storage)" : "") + "...");
        CompletableFuture<Void> brokers = CompletableFuture.runAsync(() -> {
            try {
                kafka.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        startDatabase();

        try {
            brokers.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LaunchFailure failure
                    ? failure
                    : new LaunchFailure("Kafka did not start: " + e.getCause().getMessage());
        }
        kafka.awaitReady(startTimeout());
        console.say("Kafka is ready after " + elapsed() + ".");

        Map<Service, AheadOfTimeCache> caches = aheadOfTimeCaches();
        List<Service> untrained = new ArrayList<>();
        for (Service service : Service.ALL) {
            if (caches.containsKey(service) && !caches.get(service).trained()) {
                untrained.add(service);
            }
        }
        if (!untrained.isEmpty()) {
            train(caches, untrained, kafka.bootstrapServers());
        }

        console.say("Starting "
                + String.join(
                        ", ",
                        Service.ALL.stream()
                                .map(s -> s.name() + " on " + ports(s, ", "))
                                .toList())
                + (caches.isEmpty() ? "" : ", each with its ahead-of-time cache") + "...");
        servicesLaunchedAt = System.nanoTime();
        List<ServiceInstance> started = new ArrayList<>();
        for (int i = 0; i < options.instances(); i++) {
            for (Service service : Service.ALL) {
                AheadOfTimeCache cache = caches.get(service);
                started.add(
                        cache == null
                                ? startService(service, i, serviceJar(service), List.of(), kafka.bootstrapServers())
                                : startService(service, i, cache.jar(), cache.options(), kafka.bootstrapServers()));
            }
        }
        awaitHealthy(started, true);
        console.block(summary(kafka));

        ChildProcess ended = awaitFirstExit();
        if (!launcher.stopping()) {
            ended.awaitOutput(Duration.ofSeconds(2));
            console.say(ended.name() + " ended on its own (exit code "
                    + ended.process().exitValue() + "); stopping the rest. Its last lines ("
                    + root.relativize(ended.log()) + "):");
            System.out.println(ended.tail(30));
        }
    }

    private KafkaCluster kafkaCluster() throws IOException {
        Path kafkaHome = home.resolve("kafka");
        Files.createDirectories(kafkaHome);
        Path logConfig = kafkaHome.resolve("log4j2.xml");
        try (InputStream in = LocalSuite.class.getResourceAsStream("/kafka-log4j2.xml")) {
            Files.copy(in, logConfig, StandardCopyOption.REPLACE_EXISTING);
        }
        return new KafkaCluster(
                new KafkaCluster.Settings(
                        kafkaHome,
                        KafkaCluster.localLayout(options.brokers(), options.kafkaPort()),
                        KAFKA_RETENTION,
                        List.of("-Dlog4j2.configurationFile=" + logConfig),
                        kafkaClasspath(),
                        logs),
                launcher);
    }

    private void lockHome() throws IOException {
        Files.createDirectories(home);
        Path lockFile = home.resolve("suite.lock");
        lockChannel = FileChannel.open(
                lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            String pid = Files.readString(lockFile).strip();
            throw new LaunchFailure("The suite is already running (pid " + pid + ") on " + home
                    + ". Stop it first (Ctrl-C in its terminal, or kill " + pid + ").");
        }
        lockChannel.truncate(0);
        lockChannel.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"));
    }

    /**
     * A runner that was killed (SIGKILL, a crash) cannot stop its children; they would hold the ports and the data
     * directories. The launcher recognises them by the marks it puts on their command lines: the services are
     * stopped first, then the Kafka nodes together, then PostgreSQL.
     */
    private void stopLeftovers() {
        List<ProcessHandle> leftovers = launcher.leftovers();
        for (ProcessHandle leftover : leftovers) {
            console.say("Stopping " + Launcher.partOf(leftover) + " (pid " + leftover.pid()
                    + "), left running by an earlier run that was killed.");
            leftover.destroy();
            if (Launcher.partOf(leftover).contains("-service")) {
                ChildProcess.awaitExit(leftover, Launcher.SERVICE_STOP_GRACE);
            }
        }
        leftovers.forEach(leftover -> ChildProcess.awaitExit(leftover, Launcher.INFRASTRUCTURE_STOP_GRACE));
        Optional<ProcessHandle> postgres = PostgresServer.leftover(home.resolve("postgres"));
        if (postgres.isPresent()) {
            console.say("Stopping PostgreSQL (pid " + postgres.get().pid()
                    + "), left running by an earlier run that was killed.");
            ChildProcess.stop(postgres.get(), Duration.ofSeconds(30));
        }
    }

    /**
     * The admin endpoints (dead letters) have no password unless one is set; locally the suite makes one up on the
     * first start and keeps it in {@code .local/admin-password}, unless ADMIN_PASSWORD is set.
     */
    private String adminPassword() throws IOException {
        if (System.getenv("ADMIN_PASSWORD") != null) {
            return null;
        }
        Path file = home.resolve("admin-password");
        if (!Files.exists(file)) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; the file stays as readable as .local/ is
            }
        }
        return Files.readString(file).strip();
    }

    private void wipe() throws IOException {
        try (Stream<Path> entries = Files.list(home)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("suite.lock")) {
                    deleteRecursively(entry);
                }
            }
        }
        console.say("--clean: wiped .local/ (databases, Kafka data, logs).");
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Keeps the previous run's log as {@code <part>.log.1}. */
    private static void rotate(Path log) throws IOException {
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void checkPorts(KafkaCluster kafka) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(options.postgresPort(), "PostgreSQL; choose another with --pg-port=N or --port-offset=N");
        for (KafkaCluster.NodeLayout node : kafka.nodes()) {
            ports.put(
                    node.first().port(),
                    kafka.name(node.id()) + "; choose others with --kafka-port=N or --port-offset=N");
            ports.put(node.controllerPort(), "the controller of " + kafka.name(node.id()) + ", its port + 1");
        }
        for (int i = 0; i < options.instances(); i++) {
            for (Service service : Service.ALL) {
                ports.put(options.port(service, i), service.instanceName(i) + "; move it with --port-offset=N");
            }
        }
        List<String> taken = ports.entrySet().stream()
                .filter(e -> inUse(e.getKey()))
                .map(e -> "  port " + e.getKey() + " (" + e.getValue() + ")")
                .toList();
        if (!taken.isEmpty()) {
            throw new LaunchFailure("These ports are in use by other programs; stop them first:\n"
                    + String.join("\n", taken)
                    + "\n(`ss -ltnp` or `lsof -i :PORT` tells which program holds a port.)");
        }
        EphemeralPorts.ofThisMachine().ifPresent(ephemeral -> {
            List<Integer> exposed =
                    ports.keySet().stream().filter(ephemeral::contains).sorted().toList();
            if (!exposed.isEmpty()) {
                console.say("Warning: ports " + exposed + " lie in this machine's range of ephemeral ports ("
                        + ephemeral + "), from which every outgoing connection takes its local port: one of the"
                        + " suite's own connections can take such a port before its part has started. Ports below "
                        + ephemeral.from() + " (--port-offset, --pg-port, --kafka-port) avoid that.");
            }
        });
    }

    private static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException e) {
            // nobody answers on the loopback address; is the port free on every address, too?
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void startDatabase() throws Exception {
        Path data = home.resolve("postgres");
        boolean first = !Files.exists(data.resolve("PG_VERSION"));
        console.say("Starting PostgreSQL on port " + options.postgresPort()
                + (first ? " (first start: creating its data directory)" : "") + "...");
        try {
            database = launcher.startLast(
                    "PostgreSQL",
                    () -> PostgresServer.start(data, options.postgresPort(), logs.resolve("postgres.log")));
        } catch (LaunchFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new LaunchFailure("PostgreSQL did not start (" + e.getMessage() + "); see .local/logs/postgres.log.");
        }
        for (Service service : Service.ALL) {
            database.ensureDatabase(service.database());
        }
        console.say("PostgreSQL " + database.version() + " is ready after " + elapsed() + ".");
    }

    /**
     * The services' ahead-of-time caches, by service; none with a JDK older than {@value
     * AheadOfTimeCache#FIRST_JDK} or with {@code --no-aot}. One per service, used by every instance of it.
     */
    private Map<Service, AheadOfTimeCache> aheadOfTimeCaches() {
        Map<Service, AheadOfTimeCache> caches = new LinkedHashMap<>();
        if (!options.aot()) {
            return caches;
        }
        if (!AheadOfTimeCache.supported(Runtime.version())) {
            console.say("JDK " + Runtime.version().feature() + ": the services start without ahead-of-time caches"
                    + " (JDK " + AheadOfTimeCache.FIRST_JDK + " or newer starts them in about half the time).");
            return caches;
        }
        for (Service service : Service.ALL) {
            // with the runner's build output: a clean build forgets them, --clean (the data) keeps them; the
            // services' target/ keeps only their runnable jar
            caches.put(
                    service,
                    new AheadOfTimeCache(
                            serviceJar(service),
                            root.resolve("local-runner")
                                    .resolve("target")
                                    .resolve("aot")
                                    .resolve(service.name())));
        }
        return caches;
    }

    /**
     * Trains the caches that do not fit the services' jars: the first instance of each service runs for a while
     * under {@link TrainingLoad} (those with a cache that fits run with it), then stops, and each that trains
     * writes its cache as it exits. Once per build; the orders it places belong to customers {@code
     * aot-training-*}.
     */
    private void train(Map<Service, AheadOfTimeCache> caches, List<Service> untrained, String bootstrapServers)
            throws Exception {
        console.say("Training the ahead-of-time caches of "
                + String.join(", ", untrained.stream().map(Service::name).toList())
                + " (once after each build, a few minutes): the services start, take "
                + TRAINING.toSeconds() + " s of orders of customers aot-training-*, and stop...");
        List<ServiceInstance> training = new ArrayList<>();
        for (Service service : Service.ALL) {
            AheadOfTimeCache cache = caches.get(service);
            if (untrained.contains(service)) {
                cache.prepare(Launcher.java(), logs.resolve(service.name() + ".log"));
            }
            training.add(startService(
                    service,
                    0,
                    cache.jar(),
                    untrained.contains(service) ? cache.trainingOptions() : cache.options(),
                    bootstrapServers));
        }
        awaitHealthy(training, false);
        new TrainingLoad(
                        options.port(Service.ORDER, 0),
                        options.port(Service.PAYMENT, 0),
                        options.port(Service.NOTIFICATION, 0))
                .run(TRAINING);
        training.forEach(ServiceInstance::terminate);
        for (ServiceInstance service : training) {
            // recording the training takes a few seconds after the service has stopped
            if (ChildProcess.awaitExit(service.process().process().toHandle(), Duration.ofMinutes(2))) {
                console.say(service.name() + " did not stop after its training and was killed.");
            }
            launcher.forget(service.process());
        }
        Set<Service> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> assembling = new ArrayList<>();
        for (Service service : untrained) {
            assembling.add(CompletableFuture.runAsync(() -> {
                try {
                    caches.get(service).assemble(Launcher.java(), logs.resolve(service.name() + ".log"));
                } catch (IOException e) {
                    console.say(e.getMessage() + "; " + service.name() + " starts without its cache.");
                    failed.add(service);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.add(service);
                }
            }));
        }
        CompletableFuture.allOf(assembling.toArray(CompletableFuture[]::new)).join();
        failed.forEach(caches::remove);
        console.say("Trained after " + elapsed() + ".");
    }

    private ServiceInstance startService(
            Service service, int instance, Path jar, List<String> aheadOfTime, String bootstrapServers) {
        int port = options.port(service, instance);
        Map<String, String> environment = new LinkedHashMap<>(ServiceInstance.contractEnvironment(
                port, database.jdbcUrl(service.database()), service.database(), service.database(), bootstrapServers));
        environment.putAll(pageSettings(service));
        if (adminPassword != null) {
            environment.put("ADMIN_PASSWORD", adminPassword);
        }
        List<String> jvmOptions = new ArrayList<>(aheadOfTime);
        jvmOptions.addAll(QUIET_KAFKA_CLIENTS);
        String name = service.instanceName(instance);
        ChildProcess.Echo echo = options.quiet() ? null : line -> console.line(name, COLOURS.get(service), line);
        return ServiceInstance.start(
                launcher,
                new ServiceInstance.Spec(
                        service,
                        instance,
                        port,
                        jar,
                        jvmOptions,
                        environment,
                        List.of(),
                        logs.resolve(name + ".log"),
                        echo));
    }

    /**
     * Where notification-service's page sends its demo orders, and whose pages order-service lets in: their
     * defaults are the contract's ports, so they are given only when the services are elsewhere or several.
     */
    Map<String, String> pageSettings(Service service) {
        if (options.portOffset() == 0 && options.instances() == 1) {
            return Map.of();
        }
        if (service.equals(Service.NOTIFICATION)) {
            return Map.of("NOTIFICATIONS_ORDER_SERVICE_URL", "http://localhost:" + options.port(Service.ORDER, 0));
        }
        if (service.equals(Service.ORDER)) {
            return Map.of("ORDERS_CORS_ALLOWED_ORIGINS", ports(Service.NOTIFICATION, ",", "http://localhost:"));
        }
        return Map.of();
    }

    /**
     * The runnable jar that {@code package} leaves in {@code <service>/target/}, of this runner's own version; run
     * from an IDE (no version known), any runnable jar of the service.
     */
    private Path serviceJar(Service service) {
        return service.jar(root, LocalSuite.class.getPackage().getImplementationVersion());
    }

    /** @param report whether to say when each is healthy */
    private void awaitHealthy(List<ServiceInstance> started, boolean report) {
        try {
            ServiceInstance.awaitHealthy(started, startTimeout(), instance -> {
                if (report) {
                    console.say(instance.name() + " is healthy after " + elapsed() + " ("
                            + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - servicesLaunchedAt) / 1e9)
                            + " after the services' start).");
                }
            });
        } catch (ServiceInstance.LaunchFailure e) {
            throw new LaunchFailure(e.getMessage()
                    + (e.tail().contains("Migrations have failed validation")
                            ? "\nIts database in .local/ was migrated by an earlier version of a migration."
                                    + " ./run-local.sh --clean starts afresh."
                            : ""));
        }
    }

    private ChildProcess awaitFirstExit() {
        List<ChildProcess> watched =
                launcher.processes().stream().filter(ChildProcess::isAlive).toList();
        CompletableFuture.anyOf(watched.stream().map(c -> c.process().onExit()).toArray(CompletableFuture[]::new))
                .join();
        return watched.stream().filter(c -> !c.isAlive()).findFirst().orElseThrow();
    }

    /** The ports of a service's instances, each with a prefix. */
    private String ports(Service service, String separator, String prefix) {
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < options.instances(); i++) {
            ports.add(prefix + options.port(service, i));
        }
        return String.join(separator, ports);
    }

    private String ports(Service service, String separator) {
        return ports(service, separator, "");
    }

    String summary(KafkaCluster kafka) {
        int orders = options.port(Service.ORDER, 0);
        int payments = options.port(Service.PAYMENT, 0);
        int notifications = options.port(Service.NOTIFICATION, 0);
        String curl = "curl -i -X POST localhost:" + orders + "/api/orders -H 'Content-Type: application/json' \\\n"
                + "       -d '{\"customerId\":\"alice\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.50}]}'";
        int brokers = kafka.nodes().size();
        String kafkaLine = brokers == 1
                ? "localhost:%d  (topics order-events, payment-events)".formatted(options.kafkaPort())
                : """
                localhost:%d  (bootstrap; all brokers: %s)
                                       %d nodes, each a broker and a controller; topics order-events,
                                       payment-events with %d replicas, min.insync.replicas %d""".formatted(
                                options.kafkaPort(),
                                kafka.bootstrapServers().replace(",", ", "),
                                brokers,
                                KafkaCluster.replicationFactor(brokers),
                                KafkaCluster.minInsyncReplicas(brokers));
        String instances = options.instances() == 1
                ? ""
                : "\n  Instances            "
                        + Service.ALL.stream()
                                .map(s -> s.name() + " " + ports(s, ", "))
                                .collect(Collectors.joining("\n                       "))
                        + "\n                       (each answers the same API; one database and consumer group per"
                        + " service)";
        String logParts = Stream.concat(
                        Stream.concat(
                                Stream.of("postgres"), kafka.nodes().stream().map(n -> kafka.name(n.id()))),
                        Service.ALL.stream().map(Service::name))
                .collect(Collectors.joining(", "));
        return """
                %s, %s after the start.

                  Notifications page   http://localhost:%d/  (pick a customer, watch notifications arrive)
                  Orders API           http://localhost:%d/api/orders?customerId=alice
                  Payments API         http://localhost:%d/api/payments?orderId=<orderId>
                                       http://localhost:%d/api/customers/alice/credit?currency=EUR
                  Notifications API    http://localhost:%d/api/notifications?customerId=alice
                  Health               http://localhost:%d/actuator/health  (%d, %d alike)%s
                  Metrics              http://localhost:%d/actuator/prometheus  (%d, %d alike; a local
                                       Prometheus: prometheus --config.file=observability/prometheus/prometheus-local.yml)
                  Dead letters         http://localhost:%d/api/admin/dead-letters  (%d, %d alike)
                                       %s
                  PostgreSQL           jdbc:postgresql://localhost:%d/orders  (also payments, notifications;
                                       user and password = database name)
                  Kafka                %s
                  Logs                 .local/logs/  (%s%s)

                Place an order:
                  %s

                Ctrl-C stops everything. The data stays in .local/ for the next run; --clean starts afresh.
                """.formatted(
                        options.instances() == 1
                                ? "All three services are healthy"
                                : "All " + options.instances() * Service.ALL.size() + " service instances are healthy",
                        elapsed(),
                        notifications,
                        orders,
                        payments,
                        payments,
                        notifications,
                        orders,
                        payments,
                        notifications,
                        instances,
                        orders,
                        payments,
                        notifications,
                        orders,
                        payments,
                        notifications,
                        adminPassword == null
                                ? "HTTP Basic: your ADMIN_USERNAME (default admin) and ADMIN_PASSWORD"
                                : "HTTP Basic: user admin, password in .local/admin-password",
                        options.postgresPort(),
                        kafkaLine,
                        logParts,
                        options.instances() == 1 ? "" : "; -1, -2, ... for the other instances",
                        curl);
    }

    /**
     * Services first, so that they end their work against a live broker and database; then the brokers; then the
     * database. Run by the shutdown hook: on Ctrl-C, SIGTERM, or after a failure.
     */
    void stop() {
        boolean running = launcher.processes().stream().anyMatch(ChildProcess::isAlive) || database != null;
        if (!running) {
            launcher.stopAll(message -> {});
            return;
        }
        long begin = System.nanoTime();
        console.say("Stopping: the services, then Kafka, then PostgreSQL...");
        launcher.stopAll(console::say);
        database = null;
        console.say(String.format(Locale.ROOT, "Stopped everything in %.1f s.", (System.nanoTime() - begin) / 1e9));
    }

    private String elapsed() {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedAt) / 1e9);
    }

    /** The jars next to this runner's jar (lib/), or this JVM's classpath when run from an IDE. */
    private static String kafkaClasspath() {
        String own = System.getProperty("java.class.path");
        Path jar = Path.of(own.split(File.pathSeparator)[0]);
        Path lib = jar.toAbsolutePath().getParent().resolve("lib");
        if (jar.toString().endsWith(".jar") && Files.isDirectory(lib)) {
            return lib + File.separator + "*";
        }
        return own;
    }
}
