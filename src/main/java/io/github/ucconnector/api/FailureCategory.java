package io.github.ucconnector.api;

import java.util.Locale;

/** Why a command failed, in words a machine can branch on. Only some categories can succeed when tried again. */
public enum FailureCategory {
    /** The command record itself is wrong (JSON, fields, size); the API was not called. */
    INVALID_COMMAND(false),
    /** 400: UltraCart rejected the request. */
    BAD_REQUEST(false),
    /** 401: the API key or OAuth token was refused. */
    UNAUTHORIZED(false),
    /** 410: UltraCart disabled the application. */
    APPLICATION_DISABLED(false),
    /** Any other 4xx. */
    CLIENT_ERROR(false),
    /** 429: over the rate limit, or a concurrent call. */
    RATE_LIMITED(true),
    /** 5xx. */
    SERVER_ERROR(true),
    /** No answer within the response timeout. */
    TIMEOUT(true),
    /** The API could not be reached. */
    CONNECTION_ERROR(true),
    /** A 2xx answer that says it failed ({@code success: false}) or lacks what the operation returns. */
    API_ERROR(false),
    /** An answer that cannot be read: not JSON, or too large. */
    INVALID_RESPONSE(false),
    /**
     * An earlier attempt of a start command may have reached UltraCart (the connector stopped, or the call timed
     * out, before its outcome was known); it is not repeated, so no second conversation is started.
     */
    UNKNOWN_OUTCOME(false),
    /** A fault of the connector itself. */
    INTERNAL_ERROR(false);

    private final boolean retryable;

    FailureCategory(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The name used in events and headers: {@code rate_limited} and so on. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureCategory forStatus(int status) {
        if (status == 400) {
            return BAD_REQUEST;
        } else if (status == 401) {
            return UNAUTHORIZED;
        } else if (status == 410) {
            return APPLICATION_DISABLED;
        } else if (status == 429) {
            return RATE_LIMITED;
        } else if (status >= 500) {
            return SERVER_ERROR;
        }
        return CLIENT_ERROR;
    }
}
