package io.github.ucconnector.sandbox;

import java.util.Map;

/** An answer other than success, with the human-readable text that goes into {@code UC-REST-ERROR}. */
final class SandboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    SandboxException(int status, String message) {
        this(status, message, Map.of());
    }

    SandboxException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    /** Extra response headers, e.g. {@code Allow} on a 405. */
    Map<String, String> headers() {
        return headers;
    }
}
