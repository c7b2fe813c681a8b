package dev.orderflow.platform.web;

import dev.orderflow.platform.security.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body to {@link WebLimits#maxBodySize()}, whatever handles it. A body that says it is
 * larger ({@code Content-Length}) is refused with a {@code 413} problem before a byte of it is read; one that
 * does not say (chunked) is counted as it is read, and reading past the limit fails with
 * {@link RequestBodyTooLargeException}, which the problem advice answers {@code 413}. Either way the connection
 * is closed after the answer, so the server does not go on reading the rest.
 */
class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    RequestBodyLimit(WebLimits limits) {
        this.maxBytes = limits.maxBodySize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            ProblemResponses.write(
                    request,
                    response,
                    HttpStatus.CONTENT_TOO_LARGE,
                    tooLarge(maxBytes),
                    Map.of("maxBodySize", maxBytes));
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    static String tooLarge(long maxBytes) {
        return "The request body is larger than the " + maxBytes + " bytes this service accepts";
    }

    /** The request with its body stream counted. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream counted;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (counted == null) {
                counted = new Counted(super.getInputStream(), maxBytes);
            }
            return counted;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counted extends ServletInputStream {

        private final ServletInputStream body;
        private final long maxBytes;
        private long read;

        Counted(ServletInputStream body, long maxBytes) {
            this.body = body;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = body.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = body.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestBodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                throw new RequestBodyTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }
    }
}
