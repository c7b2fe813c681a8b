package dev.orderflow.localrunner;

import java.util.List;

/** The command line of {@code ./run-local.sh}. */
record Options(boolean clean, boolean quiet, boolean aot, int postgresPort, int kafkaPort, boolean help) {

    static final String USAGE = """
            Usage: ./run-local.sh [--clean] [--quiet] [--no-aot] [--pg-port=N] [--kafka-port=N]

            Starts PostgreSQL, an Apache Kafka broker and the three services on this machine, with
            nothing installed but a JDK 21 or newer. Data is kept in .local/ between runs; Ctrl-C
            stops everything.

              --clean         wipe .local/ (databases, Kafka topics, logs) and start afresh
              --quiet         write the services' output only to .local/logs/, not to the console
              --no-aot        start the services without their ahead-of-time caches (JDK 25+: trained
                              once after each build, they start the services in about half the time)
              --pg-port=N     PostgreSQL port (default 5432)
              --kafka-port=N  Kafka port (default 9092; its controller listens on N+1)
              --help          this text
            """;

    static Options parse(List<String> args) {
        boolean clean = false;
        boolean quiet = false;
        boolean aot = true;
        boolean help = false;
        int postgresPort = 5432;
        int kafkaPort = 9092;
        for (String arg : args) {
            if (arg.equals("--clean")) {
                clean = true;
            } else if (arg.equals("--quiet")) {
                quiet = true;
            } else if (arg.equals("--no-aot")) {
                aot = false;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("--pg-port=")) {
                postgresPort = port(arg);
            } else if (arg.startsWith("--kafka-port=")) {
                kafkaPort = port(arg);
            } else {
                throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        return new Options(clean, quiet, aot, postgresPort, kafkaPort, help);
    }

    private static int port(String arg) {
        String value = arg.substring(arg.indexOf('=') + 1);
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Not a port number: " + arg);
    }

    int kafkaControllerPort() {
        return kafkaPort + 1;
    }
}
