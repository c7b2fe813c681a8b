package dev.orderflow.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy inside the test JVM, between a service and Kafka or PostgreSQL, that can cut and restore the
 * network path and slow it down: faults without Docker or a Toxiproxy server.
 *
 * <p>{@link #cut()} closes every open connection and refuses new ones (the port stays bound, so a client
 * gets its connection reset at once, as from a peer that is gone); {@link #restore()} lets connections
 * through again. {@link #delay} holds every chunk of bytes for a while in both directions.
 */
public final class TcpProxy implements AutoCloseable {

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile long delayNanos;
    private volatile boolean closed;

    private TcpProxy(String name, InetSocketAddress target, ServerSocket server) {
        this.name = name;
        this.target = target;
        this.server = server;
    }

    /** A proxy on a free local port to {@code host:port}. */
    public static TcpProxy start(String name, String host, int port) {
        return start(name, host, port, 0);
    }

    /** A proxy on {@code listenPort} (0: a free one) to {@code host:port}. */
    public static TcpProxy start(String name, String host, int port, int listenPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
            TcpProxy proxy = new TcpProxy(name, new InetSocketAddress(host, port), server);
            Thread.ofVirtual().name("proxy-" + name + "-accept").start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the " + name + " proxy", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code localhost:port} of the proxy. */
    public String address() {
        return "localhost:" + port();
    }

    /** Closes every connection through the proxy and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpProxy::reset);
    }

    /** Lets connections through again. */
    public void restore() {
        cut = false;
    }

    public boolean isCut() {
        return cut;
    }

    /** Holds every chunk of bytes this long before passing it on, in both directions; zero for none. */
    public void delay(Duration latency) {
        delayNanos = latency.toNanos();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(TcpProxy::closeQuietly);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                continue; // closed: the loop ends
            }
            if (cut) {
                reset(client);
                continue;
            }
            Thread.ofVirtual().name("proxy-" + name + "-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(upstream);
            reset(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        if (cut) { // cut while connecting
            closeQuietly(client);
            closeQuietly(upstream);
        }
        Thread.ofVirtual().name("proxy-" + name + "-up").start(() -> pipe(client, upstream));
        Thread.ofVirtual().name("proxy-" + name + "-down").start(() -> pipe(upstream, client));
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long delay = delayNanos;
                if (delay > 0) {
                    Thread.sleep(Duration.ofNanos(delay));
                }
                if (cut) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side is gone or cut: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /** Closes with a TCP reset rather than an orderly end, as a peer that vanished would. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closing is what matters
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + name + " " + address() + " -> " + target + (cut ? ", cut" : "") + "]";
    }
}
