package io.github.ucconnector.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.health.ReadinessCheck;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes when UltraCart rejects the credentials (401) or has disabled the application (410). That is not the
 * commands' fault, so they are neither failed nor dead-lettered: they stay uncommitted on Kafka, and one call is
 * tried again on a slow schedule until the credentials work. One clear error is logged when the gate closes.
 * <p>
 * As a Camel {@link Predicate} it tells the error handler that a failure is such a rejection.
 */
public final class CredentialsGate implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsGate.class);
    /** A command never holds its consumer longer than this, far below Kafka's max.poll.interval.ms. */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

    private final Duration retryInterval;
    private volatile long closedUntilNanos;
    private volatile boolean closed;

    public CredentialsGate(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Readiness is down while UltraCart rejects the credentials: the connector cannot do its work then. */
    public ReadinessCheck readinessCheck() {
        return new ReadinessCheck("ultracart-credentials", () -> isOpen() ? Optional.empty()
                : Optional.of("UltraCart rejects the credentials (401) or has disabled the application (410)"));
    }

    /**
     * Before a call: while the gate is closed, a command waits (at most {@link #LONGEST_HOLD}) and polling gives
     * way; once the retry interval has passed, one call goes through to find out whether the credentials work.
     *
     * @throws CredentialsRejectedException when the call must not be made now
     */
    public void beforeCall(ApiBudget.Priority priority) throws InterruptedException {
        if (!closed) {
            return;
        }
        long waitNanos = closedUntilNanos - System.nanoTime();
        if (waitNanos <= 0) {
            return;
        }
        if (priority == ApiBudget.Priority.COMMAND) {
            TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, LONGEST_HOLD.toNanos()));
        }
        throw new CredentialsRejectedException();
    }

    /** After a call: a 401 or 410 closes the gate for the retry interval; any 2xx opens it. */
    public synchronized void onAnswer(int status) {
        if (status == 401 || status == 410) {
            closedUntilNanos = System.nanoTime() + retryInterval.toNanos();
            if (!closed) {
                closed = true;
                LOG.error("UltraCart {} (HTTP {}): pausing every API call; commands stay on Kafka and one call is tried "
                        + "again every {} s until the credentials work", status == 401 ? "rejected the credentials"
                        : "has disabled this application", status, retryInterval.toSeconds());
            }
        } else if (status / 100 == 2 && closed) {
            closed = false;
            LOG.info("UltraCart accepts the credentials again: API calls resume");
        }
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable thrown = FailureClassifier.caught(exchange);
        if (thrown instanceof CredentialsRejectedException) {
            return true;
        }
        if (thrown instanceof HttpOperationFailedException http) {
            return http.getStatusCode() == 401 || http.getStatusCode() == 410;
        }
        return false;
    }

    /** Thrown instead of a call while the credentials are known to be rejected. */
    public static final class CredentialsRejectedException extends RuntimeException {
        CredentialsRejectedException() {
            super("UltraCart rejected the credentials; the call waits for them to work", null, false, false);
        }
    }
}
