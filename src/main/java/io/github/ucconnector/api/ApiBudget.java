package io.github.ucconnector.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.bucket4j.Bucket;

/**
 * The one API budget every call of this connector draws from: requests per hour and per day (UltraCart counts both
 * per application and per IP) and calls in flight (UltraCart answers concurrent calls with 429).
 * <p>
 * Commands come first. A command waits for its turn; the poller only calls when no command is waiting and more
 * than a reserve of requests is left, so when the budget is tight polling slows down, never the commands. A 429
 * pauses every call for a while (UltraCart's {@code Retry-After} when it sends one), so retries cannot storm.
 * <p>
 * A call the connector stopped waiting for (a response timeout) may still be running at UltraCart, which refuses
 * every call beside it. So every call waits out a grace period after a timeout, and a 429 that still comes while
 * such a call may be running is the connector's own collision, not the API's verdict on the command (see
 * {@link #collidedWithAbandonedCall()}).
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

    /** The bucket's limits in the order they are added in the constructor. */
    private static final int HOURLY = 0;
    private static final int DAILY = 1;
    /** How long a poll call waits for the call slot a command is using before the cycle gives way. */
    private static final Duration POLL_SLOT_WAIT = Duration.ofSeconds(5);

    private final Bucket requests;
    private final Semaphore slots;
    private final long pollReserve;
    private final Supplier<Duration> commandTimeLeft;
    private final Duration basePause;
    private final Duration maxPause;
    private final Duration abandonedCallGrace;
    private final AtomicInteger commandsWaiting = new AtomicInteger();
    /**
     * When each call abandoned on a timeout, since UltraCart last answered anything but a 429, stops explaining a
     * 429: two grace periods after it was abandoned, one waited before the next call and one before that call is
     * sent again.
     */
    private final Deque<Long> abandonedCalls = new ArrayDeque<>();
    private final AtomicInteger rateLimitsInARow = new AtomicInteger();
    private volatile long pausedUntilNanos = System.nanoTime();

    /**
     * @param commandTimeLeft how long a command may still wait, asked on the command's thread: what is left of the
     *                  time limit of the poll it came with
     * @param basePause how long every call waits after a 429 without {@code Retry-After}; it doubles with each 429
     *                  in a row
     * @param maxPause  the longest pause, also the cap on a {@code Retry-After}
     * @param abandonedCallGrace how long a timed-out call may still run at UltraCart: every call waits this long
     *                  after a timeout
     */
    public ApiBudget(long perHour, long perDay, int maxConcurrent, long pollReserve, Supplier<Duration> commandTimeLeft,
            Duration basePause, Duration maxPause, Duration abandonedCallGrace) {
        this.requests = Bucket.builder()
                .addLimit(limit -> limit.capacity(perHour).refillGreedy(perHour, Duration.ofHours(1)))
                .addLimit(limit -> limit.capacity(perDay).refillGreedy(perDay, Duration.ofDays(1)))
                .build();
        this.slots = new Semaphore(maxConcurrent, true);
        this.pollReserve = pollReserve;
        this.commandTimeLeft = commandTimeLeft;
        this.basePause = basePause;
        this.maxPause = maxPause;
        this.abandonedCallGrace = abandonedCallGrace;
    }

    /**
     * One instance's part of an account-wide limit when {@code instances} connectors share the account: rounded
     * down, so that all of them together never exceed the limit UltraCart enforces.
     */
    public static long shareOf(long accountLimit, int instances) {
        return accountLimit / instances;
    }

    /**
     * Learns from an answer: a 429, or a 503 with {@code Retry-After}, pauses every call of the connector for the
     * time UltraCart asks (capped), or for a pause that doubles with each 429 in a row; any other answer below 500
     * ends the series.
     */
    public void onAnswer(int status, Duration retryAfter) {
        if (status != 429) {
            // UltraCart served this call, so no call of ours was still running beside it.
            synchronized (abandonedCalls) {
                abandonedCalls.clear();
            }
        }
        if (status == 429 || status == 503 && retryAfter != null) {
            int inARow = rateLimitsInARow.getAndIncrement();
            Duration pause = retryAfter != null ? retryAfter
                    : basePause.multipliedBy(1L << Math.min(inARow, 20));
            pauseFor(pause.compareTo(maxPause) > 0 ? maxPause : pause);
        } else if (status < 500) {
            rateLimitsInARow.set(0);
        }
    }

    /**
     * The connector stopped waiting for a call that UltraCart may still be running: the next calls wait out the
     * grace period, so they do not collide with it.
     */
    public void onAbandoned() {
        synchronized (abandonedCalls) {
            abandonedCalls.addLast(System.nanoTime() + 2 * abandonedCallGrace.toNanos());
        }
        pauseFor(abandonedCallGrace);
    }

    /**
     * Whether a 429 just received is explained by a call the connector abandoned: one was abandoned less than two
     * grace periods ago, and UltraCart has served no call since. Each abandoned call explains one 429; the calls
     * then wait another grace period, after which the refused call may be sent again, as it did nothing.
     */
    public boolean collidedWithAbandonedCall() {
        long now = System.nanoTime();
        synchronized (abandonedCalls) {
            abandonedCalls.removeIf(explainsUntil -> explainsUntil - now <= 0);
            if (abandonedCalls.pollFirst() == null) {
                return false;
            }
        }
        pauseFor(abandonedCallGrace);
        return true;
    }

    private synchronized void pauseFor(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        if (until - pausedUntilNanos > 0) {
            pausedUntilNanos = until;
        }
    }

    /** How long calls are still paused after a 429; zero when they are not. */
    public Duration pause() {
        return Duration.ofNanos(Math.max(0, pausedUntilNanos - System.nanoTime()));
    }

    /**
     * Waits until a call may be made.
     *
     * @throws BudgetExhaustedException when the budget stays exhausted for longer than the command may still wait
     *         (commands) or gives no room now (polling)
     */
    public Permit acquire(Priority priority) throws InterruptedException {
        return priority == Priority.COMMAND ? acquireForCommand() : acquireForPoll();
    }

    /** Requests left in the hourly window; a call needs one here and one in the daily window. */
    public long availableRequestsThisHour() {
        return availablePerWindow()[HOURLY];
    }

    /** Requests left in the daily window. */
    public long availableRequestsToday() {
        return availablePerWindow()[DAILY];
    }

    /** Calls that may start now without waiting for one in flight to end. */
    public int availableCallSlots() {
        return slots.availablePermits();
    }

    /** Commands waiting for the budget at this moment. */
    public int commandsWaiting() {
        return commandsWaiting.get();
    }

    private long[] availablePerWindow() {
        return requests.asVerbose().getAvailableTokens().getDiagnostics().getAvailableTokensPerEachBandwidth();
    }

    private Permit acquireForCommand() throws InterruptedException {
        commandsWaiting.incrementAndGet();
        try {
            Duration maxWait = commandTimeLeft.get();
            long deadline = System.nanoTime() + maxWait.toNanos();
            Duration pause = pause();
            if (pause.compareTo(maxWait) > 0) {
                sleepUntil(deadline);
                throw exhausted("UltraCart asked for a pause longer than what is left of the poll time limit");
            }
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
            if (!tryConsumeWithin(nanosUntil(deadline))) {
                sleepUntil(deadline);
                throw exhausted("the connector's API budget has no request left within the poll time limit");
            }
            if (!slots.tryAcquire(nanosUntil(deadline), TimeUnit.NANOSECONDS)) {
                // No call is made: the request goes back, or the share would shrink with every such wait.
                requests.addTokens(1);
                throw exhausted("no API call slot became free within the poll time limit");
            }
            return slots::release;
        } finally {
            commandsWaiting.decrementAndGet();
        }
    }

    /**
     * Waits as long as the command may before it goes back to Kafka: the budget knows at once that it cannot
     * serve the command in time, but giving up at once would have the consumer poll the same record again and
     * again.
     */
    private static void sleepUntil(long deadline) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanosUntil(deadline));
    }

    private static long nanosUntil(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private boolean tryConsumeWithin(long nanos) throws InterruptedException {
        // Bucket4j's blocking consume takes only a positive wait.
        return nanos > 0 ? requests.asBlocking().tryConsume(1, Duration.ofNanos(nanos)) : requests.tryConsume(1);
    }

    private Permit acquireForPoll() throws InterruptedException {
        // The slot queue is fair: a command already waiting is served before this call.
        if (commandsWaiting.get() > 0 || !pause().isZero() || requests.getAvailableTokens() <= pollReserve
                || !slots.tryAcquire(POLL_SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw exhausted("polling gives way to commands: the API budget is in use or nearly spent");
        }
        if (!requests.tryConsume(1)) {
            slots.release();
            throw exhausted("polling gives way to commands: the API budget is spent");
        }
        return slots::release;
    }

    private static BudgetExhaustedException exhausted(String message) {
        return new BudgetExhaustedException(message);
    }

    /**
     * No call may be made now. Not the command's fault: the command route leaves the record uncommitted and comes
     * back to it, so commands wait on Kafka for the budget instead of failing; a poll cycle just ends early.
     */
    public static final class BudgetExhaustedException extends RuntimeException {
        BudgetExhaustedException(String message) {
            super(message, null, false, false);
        }
    }
}
