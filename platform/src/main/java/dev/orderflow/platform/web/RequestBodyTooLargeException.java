package dev.orderflow.platform.web;

import java.io.IOException;

/**
 * A request body went past {@link WebLimits#maxBodySize()} while it was read. An {@link IOException}, so that
 * whatever reads the body (Jackson, a converter) fails as on a broken stream; the problem advice finds it in
 * the cause chain and answers {@code 413}.
 */
class RequestBodyTooLargeException extends IOException {

    private final long limit;

    RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
