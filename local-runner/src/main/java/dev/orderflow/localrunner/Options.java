package dev.orderflow.localrunner;

import dev.orderflow.launcher.KafkaCluster;
import dev.orderflow.launcher.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code ./run-local.sh}.
 *
 * @param givenPostgresPort PostgreSQL's port, null for the default (5432 + the offset)
 * @param givenKafkaPort the first broker's port, null for the default (9092 + the offset)
 */
record Options(
        boolean clean,
        boolean quiet,
        boolean aot,
        Integer givenPostgresPort,
        Integer givenKafkaPort,
        int portOffset,
        int brokers,
        int instances,
        boolean help) {

    /** A group's consumers beyond the partitions of its topic get none (6 per topic). */
    static final int MAX_INSTANCES = 6;

    static final int MAX_BROKERS = 5;

    private static final Set<String> WITH_VALUE =
            Set.of("--pg-port", "--kafka-port", "--port-offset", "--brokers", "--instances");

    static final String USAGE = """
            Usage: ./run-local.sh [--clean] [--quiet] [--no-aot] [--brokers N] [--instances N]
                                  [--port-offset N] [--pg-port=N] [--kafka-port=N]

            Starts PostgreSQL, Apache Kafka and the three services on this machine, with nothing installed
            but a JDK 21 or newer. Data is kept in .local/ between runs; Ctrl-C stops everything.

              --clean           wipe .local/ (databases, Kafka topics, logs) and start afresh
              --quiet           write the services' output only to .local/logs/, not to the console
              --no-aot          start the services without their ahead-of-time caches (JDK 25+: trained
                                once after each build, they start the services in about half the time)
              --brokers N       a Kafka cluster of N nodes (1-5, default 1), each a broker and a
                                controller: node i (from 0) on the Kafka port + 100·i (9092, 9192,
                                9292), its controller on the port after it. Topics get a replica per
                                broker up to three, and min.insync.replicas 2 with three or more. The
                                data of one size is not used by another: --clean to change it
              --instances N     N instances of each service (1-6, default 1), instance i (from 0) on the
                                service's port + 100·i (order-service 8080, 8180, ...); instances of a
                                service share its database and consumer group
              --port-offset N   move every default port by N (PostgreSQL 5432+N, Kafka 9092+N, the
                                services 8080+N, ...), e.g. to run beside another suite; best kept
                                below the machine's ephemeral ports (on Linux from 32768 by default)
              --pg-port=N       PostgreSQL port (default 5432, moved by --port-offset)
              --kafka-port=N    the first broker's port (default 9092, moved by --port-offset)
              --help            this text
            """;

    static Options parse(List<String> args) {
        boolean clean = false;
        boolean quiet = false;
        boolean aot = true;
        boolean help = false;
        Integer postgresPort = null;
        Integer kafkaPort = null;
        int portOffset = 0;
        int brokers = 1;
        int instances = 1;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            String value = equals < 0 ? null : arg.substring(equals + 1);
            if (WITH_VALUE.contains(name) && value == null) {
                // --name value as well as --name=value
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args.get(++i);
                arg = name + "=" + value;
            }
            switch (name) {
                case "--clean" -> clean = true;
                case "--quiet" -> quiet = true;
                case "--no-aot" -> aot = false;
                case "--help", "-h" -> help = true;
                case "--pg-port" -> postgresPort = port(arg, value);
                case "--kafka-port" -> kafkaPort = port(arg, value);
                case "--port-offset" -> portOffset = number(arg, value, 0, 50_000);
                case "--brokers" -> brokers = number(arg, value, 1, MAX_BROKERS);
                case "--instances" -> instances = number(arg, value, 1, MAX_INSTANCES);
                default -> throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        Options options = new Options(clean, quiet, aot, postgresPort, kafkaPort, portOffset, brokers, instances, help);
        options.checkPorts();
        return options;
    }

    private static int port(String arg, String value) {
        return number(arg, value, 1, 65_534);
    }

    private static int number(String arg, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Not a number from " + min + " to " + max + ": " + arg);
    }

    private void checkPorts() {
        int highest = ports().stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (highest > 65_535) {
            throw new IllegalArgumentException(
                    "The ports would go beyond 65535 (up to " + highest + "); choose a smaller --port-offset");
        }
    }

    /**
     * Every port the suite listens on: PostgreSQL's, each broker's and its controller's (the broker's port + 1, as
     * {@link KafkaCluster#localLayout} lays them out), and each service instance's.
     */
    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(List.of(postgresPort()));
        for (int node = 0; node < brokers; node++) {
            ports.add(kafkaPort(node));
            ports.add(kafkaPort(node) + 1);
        }
        for (int instance = 0; instance < instances; instance++) {
            for (Service service : Service.ALL) {
                ports.add(port(service, instance));
            }
        }
        return ports;
    }

    int postgresPort() {
        return givenPostgresPort != null ? givenPostgresPort : 5432 + portOffset;
    }

    int kafkaPort() {
        return givenKafkaPort != null ? givenKafkaPort : 9092 + portOffset;
    }

    /** Node {@code i} (from 0) of the cluster. */
    int kafkaPort(int node) {
        return kafkaPort() + KafkaCluster.NODE_PORT_STEP * node;
    }

    int kafkaControllerPort() {
        return kafkaPort() + 1;
    }

    /** Instance {@code i} (from 0) of the service. */
    int port(Service service, int instance) {
        return service.port(portOffset, instance);
    }
}
