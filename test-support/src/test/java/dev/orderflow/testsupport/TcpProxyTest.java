package dev.orderflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against an echo server on loopback. */
class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startAnEchoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket client = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (client;
                                InputStream in = client.getInputStream();
                                OutputStream out = client.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client is gone
                        }
                    });
                } catch (IOException ignored) {
                    // closed
                }
            }
        });
        proxy = TcpProxy.start("echo", "localhost", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void cutEndsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");

            proxy.cut();

            assertThatThrownBy(() -> roundTrip(open, "during")).isInstanceOf(IOException.class);
            try (Socket refused = connect()) {
                assertThatThrownBy(() -> roundTrip(refused, "during")).isInstanceOf(IOException.class);
            }
        }

        proxy.restore();

        try (Socket again = connect()) {
            assertThat(roundTrip(again, "after")).isEqualTo("after");
        }
    }

    @Test
    void delayHoldsEveryChunk() throws IOException {
        proxy.delay(Duration.ofMillis(200));
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
            // once on the way there, once on the way back
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("localhost", proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes());
        socket.getOutputStream().flush();
        byte[] answer = new byte[text.length()];
        new DataInputStream(socket.getInputStream()).readFully(answer);
        return new String(answer);
    }
}
