package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteProcessesUnitTest {

    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 35097 1 0000 100 0 0 10 0
               1: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 35098 1 0000 100 0 0 10 0
               2: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 35099 1 0000 100 0 0 10 0
               3: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36001 1 0000 100 0 0 10 0
            """;

    private static final Map<String, List<SuiteProcesses.Endpoint>> ENDPOINTS = endpoints("localhost");

    private static Map<String, List<SuiteProcesses.Endpoint>> endpoints(String serviceHost) {
        Map<String, List<SuiteProcesses.Endpoint>> endpoints = new LinkedHashMap<>();
        endpoints.put(SuiteProcesses.ORDER, List.of(new SuiteProcesses.Endpoint(serviceHost, 8080)));
        endpoints.put(SuiteProcesses.PAYMENT, List.of(new SuiteProcesses.Endpoint("localhost", 8081)));
        endpoints.put(SuiteProcesses.NOTIFICATION, List.of(new SuiteProcesses.Endpoint("localhost", 8082)));
        endpoints.put(SuiteProcesses.KAFKA, List.of(new SuiteProcesses.Endpoint("localhost", 9092)));
        endpoints.put(SuiteProcesses.POSTGRES, List.of(new SuiteProcesses.Endpoint("127.0.0.1", 5432)));
        return endpoints;
    }

    /** Two instances of order-service, on 8080 and 8180, and three brokers, on 9092, 9192 and 9292. */
    private static Map<String, List<SuiteProcesses.Endpoint>> cluster() {
        Map<String, List<SuiteProcesses.Endpoint>> endpoints = new LinkedHashMap<>(ENDPOINTS);
        endpoints.put(
                SuiteProcesses.ORDER,
                List.of(
                        new SuiteProcesses.Endpoint("localhost", 8080),
                        new SuiteProcesses.Endpoint("localhost", 8180)));
        endpoints.put(
                SuiteProcesses.KAFKA,
                SuiteProcesses.Endpoint.ofBootstrap("localhost:9092,localhost:9192,localhost:9292"));
        return endpoints;
    }

    /** {@link #suite} with the second order-service and the second and third broker listening. */
    private static Proc clusterSuite(Path root) throws Exception {
        Proc proc = suite(root);
        Files.writeString(
                root.resolve("net/tcp6"),
                TCP6
                        + "   4: 00000000000000000000000000000000:1FF4 00000000000000000000000000000000:0000 0A"
                        + " 00000000:00000000 00:00000000 00000000     0        0 35197 1 0000 100 0 0 10 0\n"
                        + "   5: 0000000000000000FFFF00000100007F:23E8 00000000000000000000000000000000:0000 0A"
                        + " 00000000:00000000 00:00000000 00000000     0        0 36101 1 0000 100 0 0 10 0\n"
                        + "   6: 0000000000000000FFFF00000100007F:244C 00000000000000000000000000000000:0000 0A"
                        + " 00000000:00000000 00:00000000 00000000     0        0 36201 1 0000 100 0 0 10 0\n");
        process(root, 6491, stat(6491, "java", 6165, 700, 100, 0, 0, 40_500), 35197);
        process(root, 6251, stat(6251, "java", 6165, 4000, 400, 0, 0, 39_100), 36101);
        process(root, 6252, stat(6252, "java", 6165, 3000, 300, 0, 0, 39_200), 36201);
        Files.writeString(root.resolve("6491/status"), "Name:\tjava\nVmRSS:\t  409600 kB\n");
        return proc;
    }

    /** A stat line of a process of {@code comm}, with the times that matter; the rest as a JVM's. */
    static String stat(long pid, String comm, long ppid, long utime, long stime, long cutime, long cstime, long start) {
        return pid + " (" + comm + ") S " + ppid + " " + pid + " " + pid + " 0 -1 4194304 6640 64149 0 0 " + utime + " "
                + stime + " " + cutime + " " + cstime + " 20 0 40 0 " + start
                + " 229978112 9784 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487 1 0 0 17 1 0 0 0 0 0\n";
    }

    /** The suite of ./run-local.sh, as /proc shows it. */
    private static Proc suite(Path root) throws Exception {
        Files.writeString(root.resolve("uptime"), "1000.00 1500.00\n");
        Files.createDirectories(root.resolve("net"));
        Files.writeString(root.resolve("net/tcp"), ProcUnitTest.TCP);
        Files.writeString(root.resolve("net/tcp6"), TCP6);
        process(root, 6391, stat(6391, "java", 6165, 1000, 200, 0, 0, 40_000), 35097);
        process(root, 6392, stat(6392, "java", 6165, 2000, 300, 0, 0, 40_100), 35098);
        process(root, 6394, stat(6394, "java", 6165, 3000, 400, 0, 0, 40_200), 35099);
        process(root, 6250, stat(6250, "java", 6165, 5000, 500, 0, 0, 39_000), 36001);
        // the postmaster, and a backend and a worker of it; a process of someone else
        process(root, 6288, stat(6288, "postgres", 1, 10, 20, 300, 100, 39_500), 33439);
        process(root, 6452, stat(6452, "postgres: order order 127.0.0.1(54000) idle", 6288, 50, 10, 0, 0, 80_000));
        process(root, 6289, stat(6289, "postgres: checkpointer ", 6288, 5, 5, 0, 0, 39_600));
        process(root, 9999, stat(9999, "sshd", 1, 777, 777, 777, 777, 100));
        process(root, 7000, stat(7000, "java", 6000, 100, 10, 0, 0, 99_000));
        Files.writeString(root.resolve("6391/status"), "Name:\tjava\nVmRSS:\t  307200 kB\n");
        Files.writeString(root.resolve("6250/status"), "Name:\tjava\nVmRSS:\t  524288 kB\n");
        return new Proc(root, 100);
    }

    private static void process(Path root, long pid, String stat, long... sockets) throws Exception {
        ProcUnitTest.process(root, pid, stat);
        int fd = 10;
        for (long socket : sockets) {
            Files.createSymbolicLink(root.resolve(pid + "/fd/" + fd++), Path.of("socket:[" + socket + "]"));
        }
    }

    @Test
    void findsEachProcessByTheSocketListeningOnItsPort(@TempDir Path root) throws Exception {
        SuiteProcesses processes = SuiteProcesses.find(suite(root), ENDPOINTS, 7000);

        assertThat(processes.pids())
                .containsExactly(
                        entry("order-service", List.of(6391L)),
                        entry("payment-service", List.of(6392L)),
                        entry("notification-service", List.of(6394L)),
                        entry("kafka", List.of(6250L)),
                        entry("postgresql", List.of(6288L)),
                        entry("bench", List.of(7000L)));
        assertThat(processes.missing()).isEmpty();
        // started 400, 401 and 402 s after the boot, 1000 s ago
        assertThat(processes.serviceAges())
                .containsExactly(
                        entry("order-service", 600.0),
                        entry("payment-service", 599.0),
                        entry("notification-service", 598.0));
        Map<String, Double> rss = processes.rssMib();
        assertThat(rss).containsEntry("order-service", 300.0).containsEntry("kafka", 512.0);
        assertThat(rss.get("payment-service")).isNull();
        assertThat(rss).doesNotContainKey("postgresql");
    }

    @Test
    void saysWhyAProcessWasNotFound(@TempDir Path root) throws Exception {
        Proc proc = suite(root);
        // the broker's socket is there, no process visible holds it (another namespace)
        Files.delete(root.resolve("6250/fd/10"));
        // PostgreSQL's port is published by a container's proxy
        Files.writeString(root.resolve("6288/stat"), stat(6288, "docker-proxy", 1, 1, 1, 0, 0, 39_500));
        Map<String, List<SuiteProcesses.Endpoint>> endpoints = new HashMap<>(endpoints("192.0.2.10"));
        endpoints.put(SuiteProcesses.PAYMENT, List.of(new SuiteProcesses.Endpoint("localhost", 8085)));

        SuiteProcesses processes = SuiteProcesses.find(proc, endpoints, 7000);

        assertThat(processes.pids()).containsOnlyKeys("notification-service", "bench");
        assertThat(processes.missing())
                .containsEntry("order-service", "192.0.2.10 is not this machine")
                .containsEntry("payment-service", "nothing here listens on port 8085")
                .containsEntry("kafka", "no process visible here holds port 9092")
                .containsEntry("postgresql", "port 5432 is published by docker-proxy, the process is in a container");
        assertThat(SuiteProcesses.find(new Proc(root.resolve("none"), 100), ENDPOINTS, 7000)
                        .missing())
                .containsEntry("order-service", "no /proc (not Linux)")
                .hasSize(6);
    }

    @Test
    void takesTheParentOfProcessesSharingASocketAndNeverOneProcessTwice(@TempDir Path root) throws Exception {
        Proc proc = suite(root);
        // a worker forked with the listening socket, and payment-service's port held by order-service's process
        Files.createSymbolicLink(root.resolve("6452/fd/3"), Path.of("socket:[33439]"));
        Files.createSymbolicLink(root.resolve("6391/fd/11"), Path.of("socket:[35098]"));
        Files.delete(root.resolve("6392/fd/10"));

        SuiteProcesses processes = SuiteProcesses.find(proc, ENDPOINTS, 7000);

        assertThat(processes.pids()).containsEntry("postgresql", List.of(6288L)).doesNotContainKey("payment-service");
        assertThat(processes.missing())
                .containsEntry("payment-service", "port 8081 is held by the same process as order-service");
    }

    @Test
    void groupsEveryInstanceOfAServiceAndEveryBrokerIntoOnePart(@TempDir Path root) throws Exception {
        Proc proc = clusterSuite(root);

        SuiteProcesses processes = SuiteProcesses.find(proc, cluster(), 7000);

        assertThat(processes.pids())
                .containsEntry("order-service", List.of(6391L, 6491L))
                .containsEntry("kafka", List.of(6250L, 6251L, 6252L))
                .containsEntry("payment-service", List.of(6392L));
        assertThat(processes.missing()).isEmpty();
        // order-service 1000+200 and 700+100; the brokers 5000+500, 4000+400 and 3000+300
        assertThat(processes.read().ticks())
                .containsEntry("order-service", 2000L)
                .containsEntry("kafka", 13_200L)
                .containsEntry("payment-service", 2300L);
        // the larger of 300 and 400 MiB; the younger instance, started 405 s after the boot
        assertThat(processes.rssMib()).containsEntry("order-service", 400.0).containsEntry("kafka", 512.0);
        assertThat(processes.serviceAges()).containsEntry("order-service", 595.0);
    }

    @Test
    void countsWhatItFoundOfAPartAndSaysWhatItDidNot(@TempDir Path root) throws Exception {
        Proc proc = clusterSuite(root);
        // the third broker is not up; the second order-service instance also holds 8080's socket
        Files.writeString(
                root.resolve("net/tcp6"),
                Files.readString(root.resolve("net/tcp6")).replace(":244C", ":244D"));
        Files.createSymbolicLink(root.resolve("6491/fd/11"), Path.of("socket:[35097]"));

        SuiteProcesses processes = SuiteProcesses.find(proc, cluster(), 7000);

        assertThat(processes.pids())
                .containsEntry("order-service", List.of(6391L, 6491L))
                .containsEntry("kafka", List.of(6250L, 6251L));
        assertThat(processes.missing()).containsExactly(entry("kafka", "nothing here listens on port 9292"));
        assertThat(processes.read().ticks()).containsEntry("kafka", 9900L);

        // an instance that ends leaves its part without a figure rather than with a smaller one
        Files.walk(root.resolve("6491"))
                .sorted(Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        assertThat(processes.read().ticks()).doesNotContainKey("order-service").containsKey("kafka");
    }

    @Test
    void countsPostgresqlWithItsBackendsAlsoOnesThatEndedBetweenReadings(@TempDir Path root) throws Exception {
        Proc proc = suite(root);
        SuiteProcesses processes = SuiteProcesses.find(proc, ENDPOINTS, 7000);

        SuiteProcesses.Reading before = processes.read();
        // postmaster 10+20+300+100, backend 50+10, checkpointer 5+5; not the other user's 9999
        assertThat(before.ticks()).containsEntry("postgresql", 500L).containsEntry("order-service", 1200L);

        // the backend worked 40 more ticks and ended; the postmaster reaped it: its 100 ticks are in cutime, cstime
        Files.walk(root.resolve("6452"))
                .sorted(Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        Files.writeString(root.resolve("6288/stat"), stat(6288, "postgres", 1, 10, 20, 380, 120, 39_500));
        Files.writeString(root.resolve("6391/stat"), stat(6391, "java", 6165, 1150, 250, 0, 0, 40_000));
        SuiteProcesses.Reading after = processes.read();

        assertThat(after.ticks()).containsEntry("postgresql", 540L).containsEntry("order-service", 1400L);
    }

    @Test
    void countsTheJitCompilerThreadsOfEachServiceApart(@TempDir Path root) throws Exception {
        Proc proc = suite(root);
        // order-service's threads: its main thread, a C2 and a C1 compiler; the other services show none
        for (String[] thread :
                new String[][] {{"6391", "java"}, {"6401", "C2 CompilerThre"}, {"6402", "C1 CompilerThre"}}) {
            Path task = Files.createDirectories(root.resolve("6391/task/" + thread[0]));
            long ticks = thread[0].equals("6391") ? 500 : thread[0].equals("6401") ? 300 : 40;
            Files.writeString(task.resolve("stat"), stat(Long.parseLong(thread[0]), thread[1], 1, ticks, 0, 0, 0, 0));
        }
        SuiteProcesses processes = SuiteProcesses.find(proc, ENDPOINTS, 7000);

        SuiteProcesses.Reading reading = processes.read();

        assertThat(reading.ticks()).containsEntry(SuiteProcesses.jit("order-service"), 340L);
        assertThat(reading.ticks()).doesNotContainKey(SuiteProcesses.jit("payment-service"));
        Map<String, Long> later = new LinkedHashMap<>(reading.ticks());
        later.put(SuiteProcesses.jit("order-service"), 440L);
        // 100 ticks of 10 ms over 50 orders: 20 ms per order
        assertThat(SuiteProcesses.jitMsPerOrder(reading, new SuiteProcesses.Reading(1, later), 50, 100))
                .containsEntry("order-service", 20.0)
                .containsEntry("payment-service", null)
                .containsEntry("notification-service", null);
        assertThat(Proc.isJitCompiler("C2 CompilerThre")).isTrue();
        assertThat(Proc.isJitCompiler("Catalina-utilit")).isFalse();
    }

    @Test
    void dividesEachProcesssTimeByTheOrdersAndAddsUpTheSuite() {
        Map<String, Long> from = new LinkedHashMap<>(Map.of(
                "order-service", 1000L,
                "payment-service", 2000L,
                "notification-service", 3000L,
                "kafka", 5000L,
                "postgresql", 500L,
                "bench", 100L));
        Map<String, Long> to = new LinkedHashMap<>(Map.of(
                "order-service", 1200L,
                "payment-service", 2100L,
                "notification-service", 3050L,
                "kafka", 5030L,
                "postgresql", 620L,
                "bench", 180L));
        long second = 1_000_000_000L;

        // 200 orders; order-service 200 ticks = 2 s = 10 ms per order
        Map<String, Double> ms = SuiteProcesses.msPerOrder(
                new SuiteProcesses.Reading(0, from), new SuiteProcesses.Reading(10 * second, to), 200, 100);

        assertThat(ms)
                .containsExactly(
                        entry("order-service", 10.0),
                        entry("payment-service", 5.0),
                        entry("notification-service", 2.5),
                        entry("kafka", 1.5),
                        entry("postgresql", 6.0),
                        entry("bench", 4.0),
                        entry("suite", 25.0));

        // over 10 s: order-service 2 s = 20 % of a core; the services 3.5 s
        Map<String, Double> idle = SuiteProcesses.corePercent(
                new SuiteProcesses.Reading(0, from), new SuiteProcesses.Reading(10 * second, to), 100);
        assertThat(idle)
                .containsEntry("order-service", 20.0)
                .containsEntry("postgresql", 12.0)
                .containsEntry("services", 35.0);
    }

    @Test
    void takesEachPortFromTheOptions() {
        assertThat(SuiteProcesses.Endpoint.of(URI.create("http://localhost:8080")))
                .isEqualTo(new SuiteProcesses.Endpoint("localhost", 8080));
        assertThat(SuiteProcesses.Endpoint.of(URI.create("https://orders.example")))
                .isEqualTo(new SuiteProcesses.Endpoint("orders.example", 443));
        assertThat(SuiteProcesses.Endpoint.ofBootstrap("localhost:9092"))
                .containsExactly(new SuiteProcesses.Endpoint("localhost", 9092));
        assertThat(SuiteProcesses.Endpoint.ofBootstrap("PLAINTEXT://b1:19092, b2:19093"))
                .containsExactly(new SuiteProcesses.Endpoint("b1", 19092), new SuiteProcesses.Endpoint("b2", 19093));
        assertThat(SuiteProcesses.Endpoint.ofBootstrap("[::1]:9094"))
                .containsExactly(new SuiteProcesses.Endpoint("::1", 9094));
        assertThat(SuiteProcesses.Endpoint.ofJdbc("jdbc:postgresql://localhost:5432/postgres?user=postgres"))
                .isEqualTo(new SuiteProcesses.Endpoint("localhost", 5432));
        assertThat(SuiteProcesses.Endpoint.ofJdbc("jdbc:postgresql://db,db2:5433/orders"))
                .isEqualTo(new SuiteProcesses.Endpoint("db", 5432));
        assertThat(SuiteProcesses.Endpoint.ofJdbc("jdbc:postgresql://[::1]:5433/x"))
                .isEqualTo(new SuiteProcesses.Endpoint("::1", 5433));
        assertThat(SuiteProcesses.Endpoint.ofJdbc("jdbc:postgresql:///postgres?user=postgres"))
                .isEqualTo(new SuiteProcesses.Endpoint("localhost", 5432));
        assertThat(SuiteProcesses.Endpoint.ofJdbc("jdbc:postgresql:orders"))
                .isEqualTo(new SuiteProcesses.Endpoint("localhost", 5432));
        // what it cannot read, it does not fail on
        assertThat(SuiteProcesses.Endpoint.ofBootstrap("[::1:9092"))
                .containsExactly(new SuiteProcesses.Endpoint("[::1:9092", 9092));
        assertThat(SuiteProcesses.Endpoint.ofBootstrap("broker:x"))
                .containsExactly(new SuiteProcesses.Endpoint("broker", 9092));
        assertThat(SuiteProcesses.isThisMachine(null)).isFalse();
        assertThat(SuiteProcesses.isThisMachine("localhost")).isTrue();
    }

    @Test
    void leavesOutWhatItCannotKnow() {
        Map<String, Long> from = new LinkedHashMap<>(Map.of("order-service", 1000L, "kafka", 50L));
        // kafka's pid now belongs to a younger process
        Map<String, Long> to = new LinkedHashMap<>(Map.of("order-service", 1200L, "kafka", 10L));

        Map<String, Double> ms = SuiteProcesses.msPerOrder(
                new SuiteProcesses.Reading(0, from), new SuiteProcesses.Reading(1, to), 100, 100);

        assertThat(ms.get("order-service")).isEqualTo(20.0);
        assertThat(ms)
                .containsEntry("kafka", null)
                .containsEntry("postgresql", null)
                .containsEntry("suite", null);
        assertThat(SuiteProcesses.msPerOrder(
                                new SuiteProcesses.Reading(0, from), new SuiteProcesses.Reading(1, to), 0, 100)
                        .get("order-service"))
                .isNull();
        assertThat(SuiteProcesses.treeTicks(1, List.of())).isEqualTo(OptionalLong.empty());
    }
}
