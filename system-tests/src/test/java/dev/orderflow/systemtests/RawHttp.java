package dev.orderflow.systemtests;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as a hostile client writes it: control characters in headers, paths
 * no HTTP library would send, bodies sent while the server has long answered. Every request asks the server to
 * close the connection, so an answer ends where the stream ends.
 */
final class RawHttp {

    /** Reads at most this much of an answer: the hostile-input suite wants answers far smaller. */
    private static final int MAX_READ = 1 << 20;

    /** Reads an answer for at most this long. */
    private static final Duration MAX_TIME = Duration.ofSeconds(30);

    record Answer(int status, Map<String, String> headers, byte[] body, Duration elapsed) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        String text() {
            return new String(body, UTF_8);
        }
    }

    /** The body as chunks of one size written in turn, a body too large to build in memory at once. */
    record Body(byte[] chunk, int times) {

        static Body of(byte[] bytes) {
            return new Body(bytes, 1);
        }

        static Body of(String text) {
            return of(text.getBytes(UTF_8));
        }

        long length() {
            return (long) chunk.length * times;
        }
    }

    private RawHttp() {}

    /**
     * Sends a request to the base URL's host and port; {@code head} is the request line and headers without the
     * final blank line, to which Host and Connection are added (and Content-Length, given a body and no
     * {@code Transfer-Encoding}).
     */
    static Answer send(String baseUrl, String head, Body body) {
        URI base = URI.create(baseUrl);
        long start = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(head).append("\r\nHost: localhost\r\nConnection: close\r\n");
            if (body != null && !head.toLowerCase(Locale.ROOT).contains("transfer-encoding")) {
                request.append("Content-Length: ").append(body.length()).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(ISO_8859_1));
            if (body != null) {
                Thread writer = Thread.ofVirtual().start(() -> write(out, body));
                Answer answer = read(socket, start);
                writer.interrupt();
                return answer;
            }
            out.flush();
            return read(socket, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean setTimeout(Socket socket, long nanos) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(nanos).toMillis()));
        return true;
    }

    /** Writes the body; a server that answered early and closed the connection ends it. */
    private static void write(OutputStream out, Body body) {
        try {
            for (int i = 0; i < body.times(); i++) {
                out.write(body.chunk());
            }
            out.flush();
        } catch (IOException e) {
            // the server has answered and closed: the rest of the body is not wanted
        }
    }

    /**
     * The answer as far as it came within {@link #MAX_TIME} of the request, however the server trickles it (an
     * event stream that was not refused sends a heartbeat now and then, and never ends).
     */
    private static Answer read(Socket socket, long start) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            long deadline = start + MAX_TIME.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0
                    && all.size() < MAX_READ
                    && setTimeout(socket, left)
                    && (n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // reset after the answer: what was read is the answer
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(ISO_8859_1));
        if (end < 0) {
            throw new IllegalStateException("No HTTP answer: " + new String(bytes, ISO_8859_1));
        }
        String[] lines = new String(bytes, 0, end, ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
            body = unchunk(body);
        }
        return new Answer(status, headers, body, elapsed);
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(chunked, at, chunked.length), new byte[] {'\r', '\n'});
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(chunked, at, lineEnd, ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeLine, 16);
            at += lineEnd + 2;
            if (size == 0) {
                break;
            }
            body.write(chunked, at, Math.min(size, chunked.length - at));
            at += size + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
