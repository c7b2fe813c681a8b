package dev.orderflow.localrunner;

import java.io.PrintStream;

/**
 * The runner's terminal: its own lines and, unless quiet, the services' lines, each prefixed with
 * the name of the part it comes from, the way {@code docker compose up} does it.
 */
final class Console {

    private static final String RESET = "\u001B[0m";

    private final PrintStream out = System.out;
    private final boolean color;
    /** The longest part's name: the prefixes line up. */
    private final int width;

    Console(boolean color, int width) {
        this.color = color;
        this.width = width;
    }

    /**
     * Colours only on a terminal (run-local.sh tells), and never with NO_COLOR set.
     *
     * @param instances whether there are several instances of a service, whose names are longer
     */
    static Console forTerminal(boolean instances) {
        boolean terminal = Boolean.getBoolean("localsuite.color");
        String noColor = System.getenv("NO_COLOR");
        return new Console(
                terminal && (noColor == null || noColor.isEmpty()),
                (instances ? "notification-service-1" : "notification-service").length());
    }

    void say(String message) {
        line("suite", "1", message);
    }

    /** A line of a part's output; {@code ansi} is the SGR code of its colour. */
    void line(String part, String ansi, String text) {
        String prefix = String.format("%-" + width + "s | ", part);
        synchronized (out) {
            if (color) {
                out.println("\u001B[" + ansi + "m" + prefix + RESET + text);
            } else {
                out.println(prefix + text);
            }
        }
    }

    /** Lines without a prefix, so that they can be copied as they are. */
    void block(String text) {
        synchronized (out) {
            out.println();
            out.print(text);
            out.println();
        }
    }
}
