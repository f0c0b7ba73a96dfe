package io.github.ucconnector.api;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.health.ReadinessCheck;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes every API call of the connector while UltraCart cannot serve it, for one of two {@link Reason}s: it rejects
 * the credentials, or it is unreachable or failing for everything. Neither is the commands' fault, so they are
 * neither failed nor dead-lettered: they stay uncommitted on Kafka, and polling stops. While the gate is closed one
 * call at a time probes, on a schedule; its answer opens the gate again or keeps it closed. One clear line is logged
 * when the gate closes and one when it opens.
 * <p>
 * "Failing for everything" is told apart from one command that keeps failing, and from faults here and there: it
 * takes {@code outageThreshold} failed calls in a row (5xx, or no answer: connection refused or reset, timeout),
 * made for at least two different exchanges (commands or poll steps), and failing for at least
 * {@code outageMinDuration} since the first of them. One command's own retries never close it, and neither does a
 * short run of bad luck among frequent calls.
 * <p>
 * As a Camel {@link Predicate} it tells the error handler that a failure is one of these: the route leaves the
 * command for later instead of failing it.
 */
public final class ApiGate implements Predicate {

    /** Why the gate is closed. */
    public enum Reason {
        /** UltraCart answered 401 or 410. */
        CREDENTIALS_REJECTED,
        /** UltraCart is unreachable, or answers 5xx, for every call. */
        UNAVAILABLE
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiGate.class);
    /** A command never holds its consumer longer than this, far below Kafka's max.poll.interval.ms. */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

    private final Duration credentialsRetryInterval;
    private final int outageThreshold;
    private final Duration outageMinDuration;
    private final Duration firstProbeInterval;
    private final Duration maxProbeInterval;

    private volatile Reason closedFor;
    private long nextProbeNanos;
    private boolean probeInFlight;
    private Duration probeInterval;
    private int failuresInARow;
    private long firstFailureNanos;
    private final Set<String> failedCallers = new HashSet<>();

    /**
     * @param credentialsRetryInterval how often a call is tried while the credentials are rejected
     * @param outageThreshold          failed calls in a row, for at least two exchanges, that close the gate
     * @param outageMinDuration        how long calls must have been failing in a row before the gate closes
     * @param firstProbeInterval       the wait before the first probe once UltraCart is found down; it doubles
     *                                 with each failed probe
     * @param maxProbeInterval         the longest wait between two probes
     */
    public ApiGate(Duration credentialsRetryInterval, int outageThreshold, Duration outageMinDuration,
            Duration firstProbeInterval, Duration maxProbeInterval) {
        this.credentialsRetryInterval = credentialsRetryInterval;
        this.outageThreshold = outageThreshold;
        this.outageMinDuration = outageMinDuration;
        this.firstProbeInterval = firstProbeInterval;
        this.maxProbeInterval = maxProbeInterval;
    }

    /** Why the gate is closed, or empty while it is open. */
    public Optional<Reason> closedFor() {
        return Optional.ofNullable(closedFor);
    }

    /** Readiness is down while UltraCart rejects the credentials: the connector cannot do its work then. */
    public ReadinessCheck credentialsCheck() {
        return new ReadinessCheck("ultracart-credentials", () -> closedFor == Reason.CREDENTIALS_REJECTED
                ? Optional.of("UltraCart rejects the credentials (401) or has disabled the application (410)")
                : Optional.empty());
    }

    /** Readiness is down while UltraCart is unreachable or failing for every call. */
    public ReadinessCheck availabilityCheck() {
        return new ReadinessCheck("ultracart-availability", () -> closedFor == Reason.UNAVAILABLE
                ? Optional.of("UltraCart is unreachable or answers 5xx to every call: commands wait on Kafka, polling"
                        + " stops, and one call probes every " + probeIntervalSeconds() + " s")
                : Optional.empty());
    }

    /**
     * Whether no command may call now: the gate is closed and no probe may go, because it is not yet time for one
     * or one is under way. The command consumer then leaves the commands on Kafka (it pauses their partitions) and
     * lets them come once a probe may go.
     */
    public synchronized boolean holdsCommands() {
        return closedFor != null && (probeInFlight || nextProbeNanos - System.nanoTime() > 0);
    }

    private synchronized long probeIntervalSeconds() {
        return probeInterval == null ? 0 : probeInterval.toSeconds();
    }

    /**
     * Before a call: while the gate is closed, a command waits (at most {@link #LONGEST_HOLD}) and polling gives
     * way, unless it is time for a probe and no other call is probing: then this call is the probe.
     *
     * @return whether this call is the probe; pass it to {@link #afterCall}
     * @throws ApiUnavailableException when the call must not be made now
     */
    public boolean beforeCall(ApiBudget.Priority priority) throws InterruptedException {
        long waitNanos;
        Reason reason;
        synchronized (this) {
            reason = closedFor;
            if (reason == null) {
                return false;
            }
            waitNanos = nextProbeNanos - System.nanoTime();
            if (waitNanos <= 0 && !probeInFlight) {
                probeInFlight = true;
                return true;
            }
        }
        if (priority == ApiBudget.Priority.COMMAND) {
            TimeUnit.NANOSECONDS.sleep(Math.min(Math.max(waitNanos, 0), LONGEST_HOLD.toNanos()));
        }
        throw new ApiUnavailableException(reason);
    }

    /** After a call that passed {@link #beforeCall}, answered or not: a probe that ends lets the next one go. */
    public synchronized void afterCall(boolean probe) {
        if (probe) {
            probeInFlight = false;
        }
    }

    /**
     * UltraCart answered: a 401 or 410 closes the gate for the credentials' retry interval and a 5xx counts as a
     * failed call; any other answer shows that UltraCart serves calls again, and a 2xx that it takes the credentials.
     *
     * @param caller the exchange the call was made for, or {@code null} when unknown
     */
    public synchronized void onAnswer(int status, String caller) {
        if (status == 401 || status == 410) {
            if (close(Reason.CREDENTIALS_REJECTED, credentialsRetryInterval)) {
                LOG.error("UltraCart {} (HTTP {}): pausing every API call; commands stay on Kafka and one call is "
                        + "tried again every {} s until the credentials work", status == 401
                        ? "rejected the credentials" : "has disabled this application", status,
                        credentialsRetryInterval.toSeconds());
            }
        } else if (status >= 500) {
            onFailure(caller);
        } else {
            failuresInARow = 0;
            failedCallers.clear();
            if (closedFor == Reason.UNAVAILABLE || closedFor == Reason.CREDENTIALS_REJECTED && status / 100 == 2) {
                open();
            }
        }
    }

    /** A call got no answer: the connection was refused or reset, or the answer did not come in time. */
    public synchronized void onNoAnswer(String caller) {
        onFailure(caller);
    }

    private void onFailure(String caller) {
        if (failuresInARow++ == 0) {
            firstFailureNanos = System.nanoTime();
        }
        failedCallers.add(caller == null ? "call-" + failuresInARow : caller);
        if (closedFor == Reason.UNAVAILABLE) {
            probeInterval = probeInterval.multipliedBy(2).compareTo(maxProbeInterval) > 0 ? maxProbeInterval
                    : probeInterval.multipliedBy(2);
            nextProbeNanos = System.nanoTime() + probeInterval.toNanos();
        } else if (closedFor == null && failuresInARow >= outageThreshold && failedCallers.size() >= 2
                && System.nanoTime() - firstFailureNanos >= outageMinDuration.toNanos()
                && close(Reason.UNAVAILABLE, firstProbeInterval)) {
            LOG.error("UltraCart is unreachable or failing: {} calls in a row over {} s got no answer or a 5xx. "
                    + "Pausing every API call; commands stay on Kafka, polling stops, and one call probes with backoff"
                    + " (first in {} s, then up to every {} s) until UltraCart answers", failuresInARow,
                    Duration.ofNanos(System.nanoTime() - firstFailureNanos).toSeconds(),
                    firstProbeInterval.toSeconds(), maxProbeInterval.toSeconds());
        }
    }

    /** Closes the gate, or keeps it closed, until the interval has passed; whether it was not closed for this. */
    private boolean close(Reason reason, Duration interval) {
        boolean newly = closedFor != reason;
        closedFor = reason;
        probeInterval = interval;
        nextProbeNanos = System.nanoTime() + interval.toNanos();
        return newly;
    }

    private void open() {
        LOG.info(closedFor == Reason.UNAVAILABLE ? "UltraCart answers again: API calls and polling resume"
                : "UltraCart accepts the credentials again: API calls resume");
        closedFor = null;
        probeInterval = null;
        failuresInARow = 0;
        failedCallers.clear();
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable thrown = FailureClassifier.caught(exchange);
        if (thrown instanceof ApiUnavailableException) {
            return true;
        }
        if (thrown instanceof HttpOperationFailedException http) {
            return http.getStatusCode() == 401 || http.getStatusCode() == 410;
        }
        return false;
    }

    /** Thrown instead of a call while the gate is closed. */
    public static final class ApiUnavailableException extends RuntimeException {

        private final Reason reason;

        ApiUnavailableException(Reason reason) {
            super(reason == Reason.CREDENTIALS_REJECTED
                    ? "UltraCart rejected the credentials; the call waits for them to work"
                    : "UltraCart is unreachable or failing; the call waits for it to answer again", null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
