package dev.orderflow.localrunner;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Runs the whole suite on one machine with nothing installed but a JDK: PostgreSQL with one database
 * per service, a Kafka broker, and the three services, all kept under {@code .local/} at the
 * repository root. Stops them all, services first, when it is interrupted or terminated.
 *
 * <p>Started by {@code ./run-local.sh}, which builds what is missing or stale first.
 */
public final class LocalSuite {

    record Service(String name, int port, String database, String colour) {}

    static final List<Service> SERVICES = List.of(
            new Service("order-service", 8080, "orders", "36"),
            new Service("payment-service", 8081, "payments", "33"),
            new Service("notification-service", 8082, "notifications", "32"));

    /**
     * Small heaps and one GC thread: three Spring Boot services and a broker share two cores. A service keeps
     * about 60 MB alive; a young generation of 64 MB lets a request's garbage die young instead of filling the old
     * generation (with the default, 1/3 of a heap that started at 64 MB, the old generation of order-service
     * grew to 170 MB of garbage under load). Both JIT compilers stay on: C1 alone starts sooner, but warm, orders
     * took longer with it (p99 to the outcome at 25 orders/s: 171 ms with C1 alone, 51 ms with both).
     */
    static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms128m", "-Xmx192m", "-Xmn64m", "-XX:+UseSerialGC");

    /** glibc keeps an arena per thread by default, up to eight per core; two hold a service's few allocations. */
    static final Map<String, String> SERVICE_NATIVE_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * Every Kafka client a service creates logs its whole configuration and version at INFO, a hundred
     * lines each; locally that buries what the services themselves say. Warnings still show.
     */
    static final List<String> QUIET_KAFKA_CLIENTS = List.of(
            "-Dlogging.level.org.apache.kafka.common.config=WARN",
            "-Dlogging.level.org.apache.kafka.common.utils.AppInfoParser=WARN",
            "-Dlogging.level.org.apache.kafka.common.metrics=WARN");

    private static final Pattern PART_MARK = Pattern.compile("-Dlocalsuite\\.part=(\\S+)");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    /** Long enough for the saga's code to be run often and its profiles to be worth keeping. */
    private static final Duration TRAINING = Duration.ofSeconds(30);

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration KAFKA_STOP_GRACE = Duration.ofSeconds(30);

    private final Options options;
    private final Console console;
    private final Path root;
    private final Path home;
    private final Path logs;
    private final long startedAt = System.nanoTime();
    private long servicesLaunchedAt = System.nanoTime();

    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Held while a process is being started, so that a stop never misses one. */
    private final ReentrantLock starting = new ReentrantLock();
    /** Held while PostgreSQL is being started, for the same reason. */
    private final ReentrantLock startingDatabase = new ReentrantLock();

    private final List<ChildProcess> services = new CopyOnWriteArrayList<>();
    private final List<ChildProcess> infrastructure = new CopyOnWriteArrayList<>();
    private volatile Database database;
    /** Null when the user set ADMIN_PASSWORD, which the services then inherit. */
    private String adminPassword;
    /** Open, and locked, for as long as this runner lives; the lock goes with the process. */
    private FileChannel lockChannel;

    LocalSuite(Options options, Console console, Path root) {
        this.options = options;
        this.console = console;
        this.root = root;
        this.home = root.resolve(".local");
        this.logs = home.resolve("logs");
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
        Console console = Console.forTerminal();
        Path root = repositoryRoot();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("order-service"))) {
            console.say("Not in the repository: " + root + ". Start the suite with ./run-local.sh.");
            System.exit(2);
        }
        LocalSuite suite = new LocalSuite(options, console, root);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "local-suite-stop"));
        try {
            suite.run();
        } catch (StartFailure e) {
            if (!suite.stopping.get()) {
                console.say(e.getMessage());
            }
        } catch (Exception e) {
            if (!suite.stopping.get()) {
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
        checkPorts();
        for (String part : List.of("postgres", "kafka", "order-service", "payment-service", "notification-service")) {
            rotate(logs.resolve(part + ".log"));
        }
        adminPassword = adminPassword();
        console.say("Logs: .local/logs/<part>.log for postgres, kafka and each service"
                + (options.quiet() ? "." : "; the services' output also appears here."));

        KafkaBroker kafka = new KafkaBroker(home.resolve("kafka"), options.kafkaPort(), options.kafkaControllerPort());
        console.say("Starting Kafka " + AppInfoParser.getVersion() + " on " + kafka.bootstrapServers()
                + (Files.exists(kafka.dataDirectory()) ? "" : " (first start: formatting its storage)") + "...");
        CompletableFuture<ChildProcess> broker = CompletableFuture.supplyAsync(() -> {
            try {
                return kafka.start(java(), kafkaClasspath(), logs.resolve("kafka.log"), this::spawnInfrastructure);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        startDatabase();

        ChildProcess brokerProcess;
        try {
            brokerProcess = broker.get();
        } catch (ExecutionException e) {
            throw new StartFailure("Kafka did not start: " + e.getCause().getMessage());
        }
        awaitKafka(kafka, brokerProcess);

        Map<Service, AheadOfTimeCache> caches = aheadOfTimeCaches();
        List<Service> untrained = new ArrayList<>();
        for (Service service : SERVICES) {
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
                        SERVICES.stream().map(s -> s.name() + " on " + s.port()).toList())
                + (caches.isEmpty() ? "" : ", each with its ahead-of-time cache") + "...");
        servicesLaunchedAt = System.nanoTime();
        Map<Service, ChildProcess> started = new LinkedHashMap<>();
        for (Service service : SERVICES) {
            AheadOfTimeCache cache = caches.get(service);
            started.put(
                    service,
                    cache == null
                            ? startService(service, serviceJar(service), List.of(), kafka.bootstrapServers())
                            : startService(service, cache.jar(), cache.options(), kafka.bootstrapServers()));
        }
        awaitHealthy(started, true);
        console.block(summary());

        ChildProcess ended = awaitFirstExit();
        if (!stopping.get()) {
            ended.awaitOutput(Duration.ofSeconds(2));
            console.say(ended.name() + " ended on its own (exit code "
                    + ended.process().exitValue() + "); stopping the rest. Its last lines ("
                    + root.relativize(ended.log()) + "):");
            System.out.println(ended.tail(30));
        }
    }

    private void lockHome() throws IOException {
        Files.createDirectories(home);
        Path lockFile = home.resolve("suite.lock");
        lockChannel = FileChannel.open(
                lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            String pid = Files.readString(lockFile).strip();
            throw new StartFailure("The suite is already running (pid " + pid + ") on " + home
                    + ". Stop it first (Ctrl-C in its terminal, or kill " + pid + ").");
        }
        lockChannel.truncate(0);
        lockChannel.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"));
    }

    /**
     * A runner that was killed (SIGKILL, a crash) cannot stop its children; they would hold the ports
     * and the data directories. They are recognised by the marks {@link #spawn} puts on their command
     * lines.
     */
    private void stopLeftovers() {
        String mark = homeMark() + " ";
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(mark))
                .sorted(Comparator.comparing(p -> !partOf(p).endsWith("-service")))
                .toList();
        for (ProcessHandle leftover : leftovers) {
            console.say("Stopping " + partOf(leftover) + " (pid " + leftover.pid()
                    + "), left running by an earlier run that was killed.");
            ChildProcess.stop(leftover, SERVICE_STOP_GRACE);
        }
        Optional<ProcessHandle> postgres = Database.leftover(home.resolve("postgres"));
        if (postgres.isPresent()) {
            console.say("Stopping PostgreSQL (pid " + postgres.get().pid()
                    + "), left running by an earlier run that was killed.");
            ChildProcess.stop(postgres.get(), Duration.ofSeconds(30));
        }
    }

    private String homeMark() {
        return "-Dlocalsuite.home=" + home;
    }

    private static String partOf(ProcessHandle process) {
        Matcher part = PART_MARK.matcher(process.info().commandLine().orElse(""));
        return part.find() ? part.group(1) : "process";
    }

    /**
     * The admin endpoints (dead letters) have no password unless one is set; locally the suite makes one
     * up on the first start and keeps it in {@code .local/admin-password}, unless ADMIN_PASSWORD is set.
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

    private void checkPorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(options.postgresPort(), "PostgreSQL; choose another with --pg-port=N");
        ports.put(options.kafkaPort(), "Kafka; choose another with --kafka-port=N");
        ports.put(options.kafkaControllerPort(), "the Kafka controller, --kafka-port + 1");
        for (Service service : SERVICES) {
            ports.put(service.port(), service.name());
        }
        List<String> taken = ports.entrySet().stream()
                .filter(e -> inUse(e.getKey()))
                .map(e -> "  port " + e.getKey() + " (" + e.getValue() + ")")
                .toList();
        if (!taken.isEmpty()) {
            throw new StartFailure("These ports are in use by other programs; stop them first:\n"
                    + String.join("\n", taken)
                    + "\n(`ss -ltnp` or `lsof -i :PORT` tells which program holds a port.)");
        }
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
        startingDatabase.lock();
        try {
            if (stopping.get()) {
                throw new StartFailure("Stopped while starting.");
            }
            database = Database.start(data, options.postgresPort(), logs.resolve("postgres.log"));
        } catch (IOException | RuntimeException e) {
            throw new StartFailure("PostgreSQL did not start (" + e.getMessage() + "); see .local/logs/postgres.log.");
        } finally {
            startingDatabase.unlock();
        }
        for (Service service : SERVICES) {
            database.ensureDatabase(service.database());
        }
        console.say("PostgreSQL " + database.version() + " is ready after " + elapsed() + ".");
    }

    private void awaitKafka(KafkaBroker kafka, ChildProcess broker) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!kafka.answers()) {
            if (!broker.isAlive()) {
                throw new StartFailure(
                        "Kafka ended while starting; its last lines (.local/logs/kafka.log):\n" + broker.tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure(
                        "Kafka did not answer within " + START_TIMEOUT.toSeconds() + " s; see .local/logs/kafka.log.");
            }
            pause(200);
        }
        console.say("Kafka is ready after " + elapsed() + ".");
    }

    /**
     * The services' ahead-of-time caches, by service; none with a JDK older than {@value
     * AheadOfTimeCache#FIRST_JDK} or with {@code --no-aot}.
     */
    private Map<Service, AheadOfTimeCache> aheadOfTimeCaches() throws IOException {
        Map<Service, AheadOfTimeCache> caches = new LinkedHashMap<>();
        if (!options.aot()) {
            return caches;
        }
        if (!AheadOfTimeCache.supported(Runtime.version())) {
            console.say("JDK " + Runtime.version().feature() + ": the services start without ahead-of-time caches"
                    + " (JDK " + AheadOfTimeCache.FIRST_JDK + " or newer starts them in about half the time).");
            return caches;
        }
        for (Service service : SERVICES) {
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
     * Trains the caches that do not fit the services' jars: the services run for a while under {@link
     * TrainingLoad} (those with a cache that fits run with it), then stop, and each that trains writes its
     * cache as it exits. Once per build; the orders it places belong to customers {@code aot-training-*}.
     */
    private void train(Map<Service, AheadOfTimeCache> caches, List<Service> untrained, String bootstrapServers)
            throws Exception {
        console.say("Training the ahead-of-time caches of "
                + String.join(", ", untrained.stream().map(Service::name).toList())
                + " (once after each build, a few minutes): the services start, take "
                + TRAINING.toSeconds() + " s of orders of customers aot-training-*, and stop...");
        Map<Service, ChildProcess> training = new LinkedHashMap<>();
        for (Service service : SERVICES) {
            AheadOfTimeCache cache = caches.get(service);
            if (untrained.contains(service)) {
                cache.prepare(java(), logs.resolve(service.name() + ".log"));
            }
            training.put(
                    service,
                    startService(
                            service,
                            cache.jar(),
                            untrained.contains(service) ? cache.trainingOptions() : cache.options(),
                            bootstrapServers));
        }
        awaitHealthy(training, false);
        new TrainingLoad(
                        SERVICES.get(0).port(),
                        SERVICES.get(1).port(),
                        SERVICES.get(2).port())
                .run(TRAINING);
        starting.lock();
        try {
            training.values().forEach(ChildProcess::terminate);
            for (ChildProcess service : training.values()) {
                // recording the training takes a few seconds after the service has stopped
                if (ChildProcess.awaitExit(service.process().toHandle(), Duration.ofMinutes(2))) {
                    console.say(service.name() + " did not stop after its training and was killed.");
                }
            }
            services.removeAll(training.values());
        } finally {
            starting.unlock();
        }
        Set<Service> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> assembling = new ArrayList<>();
        for (Service service : untrained) {
            assembling.add(CompletableFuture.runAsync(() -> {
                try {
                    caches.get(service).assemble(java(), logs.resolve(service.name() + ".log"));
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

    private ChildProcess startService(Service service, Path jar, List<String> aheadOfTime, String bootstrapServers)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(aheadOfTime);
        command.addAll(QUIET_KAFKA_CLIENTS);
        command.add("-jar");
        command.add(jar.toString());
        Map<String, String> environment = new LinkedHashMap<>(
                serviceEnvironment(service, database.jdbcUrl(service.database()), bootstrapServers));
        environment.putAll(SERVICE_NATIVE_ENVIRONMENT);
        if (adminPassword != null) {
            environment.put("ADMIN_PASSWORD", adminPassword);
        }
        ChildProcess.Echo echo = options.quiet() ? null : line -> console.line(service.name(), service.colour(), line);
        return spawn(service.name(), command, environment, logs.resolve(service.name() + ".log"), echo, services);
    }

    /** The only configuration a service needs (see the contract): its port, its database and the broker. */
    static Map<String, String> serviceEnvironment(Service service, String jdbcUrl, String bootstrapServers) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SERVER_PORT", Integer.toString(service.port()));
        environment.put("SPRING_DATASOURCE_URL", jdbcUrl);
        environment.put("SPRING_DATASOURCE_USERNAME", service.database());
        environment.put("SPRING_DATASOURCE_PASSWORD", service.database());
        environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        return environment;
    }

    /**
     * The runnable jar that {@code package} leaves in {@code <service>/target/}, of this runner's own
     * version; run from an IDE (no version known), any runnable jar of the service.
     */
    private Path serviceJar(Service service) throws IOException {
        Path target = root.resolve(service.name()).resolve("target");
        String version = LocalSuite.class.getPackage().getImplementationVersion();
        Optional<Path> jar;
        if (version != null) {
            jar = Optional.of(target.resolve(service.name() + "-" + version + ".jar"))
                    .filter(Files::isRegularFile);
        } else {
            try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
                jar = files.filter(p -> p.getFileName().toString().startsWith(service.name() + "-"))
                        .filter(LocalSuite::isRunnableJar)
                        .findFirst();
            }
        }
        return jar.orElseThrow(() -> new StartFailure("No runnable jar of " + service.name() + " in "
                + root.relativize(target) + "; ./run-local.sh builds it (or ./mvnw package -DskipTests)."));
    }

    private static boolean isRunnableJar(Path path) {
        if (!path.getFileName().toString().endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getManifest() != null
                    && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private ChildProcess spawnInfrastructure(
            String name, List<String> command, Map<String, String> environment, Path log, ChildProcess.Echo echo)
            throws IOException {
        return spawn(name, command, environment, log, echo, infrastructure);
    }

    private ChildProcess spawn(
            String name,
            List<String> command,
            Map<String, String> environment,
            Path log,
            ChildProcess.Echo echo,
            List<ChildProcess> group)
            throws IOException {
        starting.lock();
        try {
            if (stopping.get()) {
                throw new StartFailure("Stopped while starting.");
            }
            // Marks that tell our processes apart from all others (see stopLeftovers), e.g. for pgrep -f.
            List<String> marked = new ArrayList<>(command);
            marked.addAll(1, List.of(homeMark(), "-Dlocalsuite.part=" + name));
            ChildProcess child = ChildProcess.start(name, marked, environment, log, echo);
            group.add(child);
            return child;
        } finally {
            starting.unlock();
        }
    }

    /** @param report whether to say when each is healthy */
    private void awaitHealthy(Map<Service, ChildProcess> started, boolean report) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Map<Service, ChildProcess> pending = new LinkedHashMap<>(started);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            for (var entry : List.copyOf(pending.entrySet())) {
                Service service = entry.getKey();
                ChildProcess child = entry.getValue();
                if (!child.isAlive()) {
                    child.awaitOutput(Duration.ofSeconds(2));
                    String tail = child.tail(40);
                    throw new StartFailure(service.name() + " ended while starting (exit code "
                            + child.process().exitValue() + "); its last lines (.local/logs/" + service.name()
                            + ".log):\n" + tail
                            + (tail.contains("Migrations have failed validation")
                                    ? "\nIts database in .local/ was migrated by an earlier version of a migration."
                                            + " ./run-local.sh --clean starts afresh."
                                    : ""));
                }
                if (healthy(http, service)) {
                    pending.remove(service);
                    if (report) {
                        console.say(service.name() + " is healthy after " + elapsed() + " ("
                                + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - servicesLaunchedAt) / 1e9)
                                + " after the services' start).");
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure("Not healthy within " + START_TIMEOUT.toSeconds() + " s: "
                        + String.join(
                                ", ",
                                pending.keySet().stream().map(Service::name).toList())
                        + "; see their logs in .local/logs/.");
            }
            if (!pending.isEmpty()) {
                pause(250);
            }
        }
    }

    private static boolean healthy(HttpClient http, Service service) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + service.port() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ChildProcess awaitFirstExit() {
        List<ChildProcess> all = new ArrayList<>(infrastructure);
        all.addAll(services);
        List<ChildProcess> watched = all.stream().filter(ChildProcess::isAlive).toList();
        CompletableFuture.anyOf(watched.stream().map(c -> c.process().onExit()).toArray(CompletableFuture[]::new))
                .join();
        return watched.stream().filter(c -> !c.isAlive()).findFirst().orElseThrow();
    }

    private String summary() {
        String curl = "curl -i -X POST localhost:8080/api/orders -H 'Content-Type: application/json' \\\n"
                + "       -d '{\"customerId\":\"alice\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.50}]}'";
        return """
                All three services are healthy, %s after the start.

                  Notifications page   http://localhost:8082/  (pick a customer, watch notifications arrive)
                  Orders API           http://localhost:8080/api/orders?customerId=alice
                  Payments API         http://localhost:8081/api/payments?orderId=<orderId>
                                       http://localhost:8081/api/customers/alice/credit?currency=EUR
                  Notifications API    http://localhost:8082/api/notifications?customerId=alice
                  Health               http://localhost:8080/actuator/health  (8081, 8082 alike)
                  Metrics              http://localhost:8080/actuator/prometheus  (8081, 8082 alike; a local
                                       Prometheus: prometheus --config.file=observability/prometheus/prometheus-local.yml)
                  Dead letters         http://localhost:8080/api/admin/dead-letters  (8081, 8082 alike)
                                       %s
                  PostgreSQL           jdbc:postgresql://localhost:%d/orders  (also payments, notifications;
                                       user and password = database name)
                  Kafka                localhost:%d  (topics order-events, payment-events)
                  Logs                 .local/logs/  (postgres, kafka, order-service, payment-service,
                                       notification-service)

                Place an order:
                  %s

                Ctrl-C stops everything. The data stays in .local/ for the next run; --clean starts afresh.
                """.formatted(
                        elapsed(),
                        adminPassword == null
                                ? "HTTP Basic: your ADMIN_USERNAME (default admin) and ADMIN_PASSWORD"
                                : "HTTP Basic: user admin, password in .local/admin-password",
                        options.postgresPort(),
                        options.kafkaPort(),
                        curl);
    }

    /**
     * Services first, so that they end their work against a live broker and database; then the broker;
     * then the database. Run by the shutdown hook: on Ctrl-C, SIGTERM, or after a failure.
     */
    void stop() {
        stopping.set(true);
        // No start is under way from here on, and none begins.
        starting.lock();
        startingDatabase.lock();
        long begin = System.nanoTime();
        List<ChildProcess> running = Stream.concat(services.stream(), infrastructure.stream())
                .filter(ChildProcess::isAlive)
                .toList();
        if (running.isEmpty() && database == null) {
            return;
        }
        console.say("Stopping: the services, then Kafka, then PostgreSQL...");
        services.forEach(ChildProcess::terminate);
        for (ChildProcess service : services) {
            report(service, ChildProcess.awaitExit(service.process().toHandle(), SERVICE_STOP_GRACE));
        }
        services.forEach(s -> s.awaitOutput(Duration.ofSeconds(2)));
        for (ChildProcess part : infrastructure) {
            if (part.isAlive()) {
                report(part, ChildProcess.stop(part.process().toHandle(), KAFKA_STOP_GRACE));
            }
        }
        if (database != null) {
            try {
                database.close();
                console.say("PostgreSQL stopped.");
            } catch (IOException | RuntimeException e) {
                console.say("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
        console.say(String.format(Locale.ROOT, "Stopped everything in %.1f s.", (System.nanoTime() - begin) / 1e9));
    }

    private void report(ChildProcess part, boolean killed) {
        console.say(part.name()
                + (killed
                        ? " did not stop within the grace period and was killed."
                        : " stopped (exit code " + part.process().exitValue() + ")."));
    }

    private String elapsed() {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedAt) / 1e9);
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailure("Interrupted.");
        }
    }

    /** A reason not to go on, told to the user as it is, without a stack trace. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message);
        }
    }
}
