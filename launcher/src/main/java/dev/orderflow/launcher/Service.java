package dev.orderflow.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * One of the suite's three services as the contract names it: its default port and the database it owns.
 *
 * @param name the service's name, also its module, its jar's prefix and its consumer group
 */
public record Service(String name, int port, String database) {

    public static final Service ORDER = new Service("order-service", 8080, "orders");
    public static final Service PAYMENT = new Service("payment-service", 8081, "payments");
    public static final Service NOTIFICATION = new Service("notification-service", 8082, "notifications");

    /** In the order they are started and listed. */
    public static final List<Service> ALL = List.of(ORDER, PAYMENT, NOTIFICATION);

    /** Instance {@code i} of a service listens on its port + 100·i (order-service: 8080, 8180, …), moved by offset. */
    public static final int INSTANCE_PORT_STEP = 100;

    public static Service named(String name) {
        return ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    public int port(int offset, int instance) {
        return port + offset + INSTANCE_PORT_STEP * instance;
    }

    /** How an instance is named in logs and marks: the service's name, with {@code -i} from the second on. */
    public String instanceName(int instance) {
        return instance == 0 ? name : name + "-" + instance;
    }

    /**
     * The runnable jar that {@code package} leaves in {@code <root>/<service>/target/}: of the given version when
     * known, otherwise any runnable jar of the service there.
     */
    public Path jar(Path root, String version) {
        Path target = root.resolve(name).resolve("target");
        Optional<Path> jar;
        if (version != null) {
            jar = Optional.of(target.resolve(name + "-" + version + ".jar")).filter(Files::isRegularFile);
        } else {
            try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
                jar = files.filter(p -> p.getFileName().toString().startsWith(name + "-"))
                        .filter(Service::isRunnableJar)
                        .sorted()
                        .findFirst();
            } catch (IOException e) {
                jar = Optional.empty();
            }
        }
        return jar.orElseThrow(() -> new Launcher.LaunchFailure("No runnable jar of " + name + " in "
                + target.toAbsolutePath().normalize() + "; ./mvnw package -DskipTests builds it."));
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
}
