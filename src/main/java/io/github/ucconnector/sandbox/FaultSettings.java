package io.github.ucconnector.sandbox;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Run-time faults and limits of the sandbox ({@code PUT /sandbox/faults}). A missing field means "off" or its default.
 *
 * @param latencyMs       extra delay before every API call is answered
 * @param faultShare      share (0..1) of API calls that fail with one of {@code faultKinds}
 * @param faultKinds      the kinds to choose from, uniformly: "400", "429", "500", "502", "503", "timeout"; by
 *                        default the five that a client may retry (all but "400")
 * @param timeoutMs       how long a "timeout" fault holds the request before answering 500
 * @param retryAfterSeconds the {@code Retry-After} header value of injected 429 and 503 answers, or null for none
 * @param requestsPerHour sliding one-hour limit of admitted API calls, or null for none
 * @param requestsPerDay  sliding one-day limit of admitted API calls, or null for none
 * @param maxConcurrent   most API calls in flight at once, or null for no limit
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record FaultSettings(
        @JsonProperty("latency_ms") Long latencyMs,
        @JsonProperty("fault_share") Double faultShare,
        @JsonProperty("fault_kinds") List<String> faultKinds,
        @JsonProperty("timeout_ms") Long timeoutMs,
        @JsonProperty("retry_after_seconds") Integer retryAfterSeconds,
        @JsonProperty("requests_per_hour") Integer requestsPerHour,
        @JsonProperty("requests_per_day") Integer requestsPerDay,
        @JsonProperty("max_concurrent") Integer maxConcurrent) {

    /** Every kind that can be injected. */
    static final List<String> ALL_KINDS = List.of("400", "429", "500", "502", "503", "timeout");
    /** The kinds used when none are given: the transient ones a client may retry, so "400" is opt-in. */
    static final List<String> DEFAULT_KINDS = List.of("429", "500", "502", "503", "timeout");
    /** Kinds whose answers carry {@code Retry-After} when {@code retry_after_seconds} is set. */
    static final Set<String> RETRY_AFTER_KINDS = Set.of("429", "503");
    private static final int MAX_RETRY_AFTER_SECONDS = 86_400;
    static final long DEFAULT_TIMEOUT_MS = 30_000;
    private static final long MAX_DELAY_MS = 600_000;

    /** Everything off. */
    static final FaultSettings OFF = new FaultSettings(null, null, null, null, null, null, null, null).normalized();

    /** The same settings with defaults filled in; throws a 400 {@link SandboxException} for values out of range. */
    FaultSettings normalized() {
        long latency = latencyMs == null ? 0 : latencyMs;
        if (latency < 0 || latency > MAX_DELAY_MS) {
            throw bad("latency_ms must be between 0 and " + MAX_DELAY_MS);
        }
        double share = faultShare == null ? 0.0 : faultShare;
        if (!(share >= 0.0 && share <= 1.0)) {
            throw bad("fault_share must be between 0.0 and 1.0");
        }
        List<String> kinds = faultKinds == null ? DEFAULT_KINDS : List.copyOf(faultKinds);
        if (kinds.isEmpty()) {
            throw bad("fault_kinds must not be empty; leave it out for the retryable kinds " + DEFAULT_KINDS);
        }
        for (String kind : kinds) {
            if (!Set.copyOf(ALL_KINDS).contains(kind)) {
                throw bad("unknown fault kind '" + kind + "'; use some of " + ALL_KINDS);
            }
        }
        long timeout = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        if (timeout < 0 || timeout > MAX_DELAY_MS) {
            throw bad("timeout_ms must be between 0 and " + MAX_DELAY_MS);
        }
        if (retryAfterSeconds != null && (retryAfterSeconds < 0 || retryAfterSeconds > MAX_RETRY_AFTER_SECONDS)) {
            throw bad("retry_after_seconds must be between 0 and " + MAX_RETRY_AFTER_SECONDS + ", or null for none");
        }
        positiveOrNull("requests_per_hour", requestsPerHour);
        positiveOrNull("requests_per_day", requestsPerDay);
        positiveOrNull("max_concurrent", maxConcurrent);
        return new FaultSettings(latency, share, kinds, timeout, retryAfterSeconds, requestsPerHour, requestsPerDay,
                maxConcurrent);
    }

    private static void positiveOrNull(String name, Integer value) {
        if (value != null && value < 1) {
            throw bad(name + " must be at least 1, or null for no limit");
        }
    }

    private static SandboxException bad(String message) {
        return new SandboxException(400, message);
    }
}
