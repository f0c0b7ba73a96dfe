package io.github.ucconnector.api;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.bucket4j.Bucket;

/**
 * The one API budget every call of this connector draws from: requests per hour and per day (UltraCart counts both
 * per application and per IP) and calls in flight (UltraCart answers concurrent calls with 429).
 * <p>
 * Commands come first. A command waits for its turn; the poller only calls when no command is waiting and more
 * than a reserve of requests is left, so when the budget is tight polling slows down, never the commands.
 */
public final class ApiBudget {

    /** Who is calling: commands wait for the budget, polling gives way. */
    public enum Priority {
        COMMAND, POLL
    }

    /** A call in flight; closing it frees the slot. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** How long a poll call waits for the call slot a command is using before the cycle gives way. */
    private static final Duration POLL_SLOT_WAIT = Duration.ofSeconds(5);

    private final Bucket requests;
    private final Semaphore slots;
    private final long pollReserve;
    private final Duration commandMaxWait;
    private final AtomicInteger commandsWaiting = new AtomicInteger();

    public ApiBudget(long perHour, long perDay, int maxConcurrent, long pollReserve, Duration commandMaxWait) {
        this.requests = Bucket.builder()
                .addLimit(limit -> limit.capacity(perHour).refillGreedy(perHour, Duration.ofHours(1)))
                .addLimit(limit -> limit.capacity(perDay).refillGreedy(perDay, Duration.ofDays(1)))
                .build();
        this.slots = new Semaphore(maxConcurrent, true);
        this.pollReserve = pollReserve;
        this.commandMaxWait = commandMaxWait;
    }

    /**
     * Waits until a call may be made.
     *
     * @throws UltraCartApiException of category {@link FailureCategory#RATE_LIMITED} when the budget stays
     *         exhausted for longer than the command wait limit (commands) or gives no room now (polling)
     */
    public Permit acquire(Priority priority) throws InterruptedException {
        return priority == Priority.COMMAND ? acquireForCommand() : acquireForPoll();
    }

    public long availableRequests() {
        return requests.getAvailableTokens();
    }

    private Permit acquireForCommand() throws InterruptedException {
        commandsWaiting.incrementAndGet();
        try {
            long deadline = System.nanoTime() + commandMaxWait.toNanos();
            if (!requests.asBlocking().tryConsume(1, commandMaxWait)) {
                throw exhausted("the connector's API budget has no request left within "
                        + commandMaxWait.toSeconds() + " s");
            }
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw exhausted("no API call slot became free within " + commandMaxWait.toSeconds() + " s");
            }
            return slots::release;
        } finally {
            commandsWaiting.decrementAndGet();
        }
    }

    private Permit acquireForPoll() throws InterruptedException {
        // The slot queue is fair: a command already waiting is served before this call.
        if (commandsWaiting.get() > 0 || requests.getAvailableTokens() <= pollReserve
                || !slots.tryAcquire(POLL_SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw exhausted("polling gives way to commands: the API budget is in use or nearly spent");
        }
        if (!requests.tryConsume(1)) {
            slots.release();
            throw exhausted("polling gives way to commands: the API budget is spent");
        }
        return slots::release;
    }

    private static UltraCartApiException exhausted(String message) {
        return new UltraCartApiException(FailureCategory.RATE_LIMITED, null, null, null, message);
    }
}
