package io.github.ucconnector.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.api.ApiGate;
import io.github.ucconnector.api.ApiMeters;
import io.github.ucconnector.api.ApiOperation;
import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The connector's own meters, named {@code ultracart.connector.*} ({@code ultracart_connector_*} in a Prometheus
 * scrape). Tags take a handful of values each (command types, failure categories, operations, HTTP statuses), never
 * ids or secrets. Each meter is looked up once per tag set and then kept, so counting costs a map lookup on the
 * command path, not a registry lookup.
 */
public final class ConnectorMetrics implements ApiMeters {

    static final String PREFIX = "ultracart.connector.";
    /** The category tag of an outcome that is not a failure. */
    static final String NO_CATEGORY = "none";
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final ConcurrentMap<CommandOutcome, Counter> commands = new ConcurrentHashMap<>();
    private final ConcurrentMap<DeadLetter, Counter> deadLetters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Retry, Counter> retries = new ConcurrentHashMap<>();
    private final ConcurrentMap<ApiCall, Timer> apiCalls = new ConcurrentHashMap<>();
    private final ConcurrentMap<PollCycleEnd, Timer> pollCycles = new ConcurrentHashMap<>();
    private final ConcurrentMap<Boolean, DistributionSummary> pollCycleCalls = new ConcurrentHashMap<>();
    /** Poll calls so far: a cycle's calls are the difference between its end and its start (cycles never overlap). */
    private final LongAdder pollCalls = new LongAdder();
    private volatile boolean pollerActive;
    /** When this instance became the active poller or last completed a poll cycle. */
    private volatile long lastPollProgressNanos = System.nanoTime();
    private final Timer messageLag;

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Buckets around what a live chat feels: seconds, not minutes.
        messageLag = Timer.builder(PREFIX + "message.lag")
                .description("From when a message was written (its message_dts) to its message.received event on"
                        + " Kafka")
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
                        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5))
                .register(registry);
        Gauge.builder(PREFIX + "poll.active", this, metrics -> metrics.pollerActive ? 1 : 0)
                .description("1 while this instance is the active poller, else 0")
                .register(registry);
        Gauge.builder(PREFIX + "poll.lag", this, ConnectorMetrics::pollLagSeconds)
                .description("Seconds since the active poller last completed a poll cycle (or became the active"
                        + " poller); NaN on an instance that is not the active poller")
                .baseUnit("seconds")
                .register(registry);
    }

    /** A command's outcome is on Kafka and its record committed. */
    public void commandSucceeded(CommandType type) {
        command(type, "succeeded", null);
    }

    /** A start, join or leave whose outcome was known: the outcome was published again, without an API call. */
    public void commandReplayed(CommandType type) {
        command(type, "replayed", null);
    }

    /** A failed command: {@code rejected} when the record was not a valid command, else {@code failed}. */
    public void commandFailed(CommandType type, FailureCategory category) {
        command(type, category == FailureCategory.INVALID_COMMAND ? "rejected" : "failed", category);
    }

    /** A command record went to the dead-letter topic; {@code topic} is the command topic it came from. */
    public void deadLettered(String topic, FailureCategory category) {
        deadLetters.computeIfAbsent(new DeadLetter(topic, category), key -> Counter
                .builder(PREFIX + "dead.letters")
                .description("Command records written to the dead-letter topic, by the command topic they came from")
                .tag("topic", key.topic())
                .tag("category", key.category().id())
                .register(registry)).increment();
    }

    /** Records written to the dead-letter topic since this instance started, by failure category id. */
    public Map<String, Long> deadLettersByCategory() {
        Map<String, Long> counts = new TreeMap<>();
        deadLetters.forEach((key, counter) -> counts.merge(key.category().id(), (long) counter.count(), Long::sum));
        return counts;
    }

    /** The error handler is about to call the API again for a command. */
    public void retried(CommandType type, FailureCategory category) {
        retries.computeIfAbsent(new Retry(type, category), key -> Counter
                .builder(PREFIX + "api.retries")
                .description("API calls of commands tried again after a failure that may pass (429, 5xx, timeouts)")
                .tag("type", typeTag(key.type()))
                .tag("category", key.category().id())
                .register(registry)).increment();
    }

    @Override
    public void apiCall(ApiOperation operation, ApiBudget.Priority caller, String status, long nanos) {
        if (caller == ApiBudget.Priority.POLL) {
            pollCalls.increment();
        }
        apiCalls.computeIfAbsent(new ApiCall(operation, caller, status), key -> Timer
                .builder(PREFIX + "api.calls")
                .description("Conversation API calls by operation, caller (command or poll) and HTTP status")
                .tag("operation", key.operation() == null ? UNKNOWN : key.operation().operationId())
                .tag("caller", key.caller().name().toLowerCase(Locale.ROOT))
                .tag("status", key.status())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A customer's or agent's message is on Kafka ({@code message.received}), this long after it was written: the
     * freshness a helpdesk feels. Clock skew between UltraCart and this host can make it negative: counted as zero.
     */
    public void messageReported(Duration lag) {
        messageLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** Whether UltraCart is taken to be down (the gate closed for an outage), read when Prometheus scrapes. */
    public void watch(ApiGate gate) {
        Gauge.builder(PREFIX + "api.unavailable", gate,
                        g -> g.closedFor().filter(ApiGate.Reason.UNAVAILABLE::equals).isPresent() ? 1 : 0)
                .description("1 while UltraCart counts as down: API calls pause but for one probe, commands wait on"
                        + " Kafka, polling stops")
                .strongReference(true)
                .register(registry);
    }

    /** Gauges of what is left of the API budget, read when Prometheus scrapes. */
    public void watch(ApiBudget budget) {
        Gauge.builder(PREFIX + "api.budget.remaining", budget, ApiBudget::availableRequestsThisHour)
                .description("API requests this instance may still make in the window")
                .tag("window", "hour")
                .strongReference(true)
                .register(registry);
        Gauge.builder(PREFIX + "api.budget.remaining", budget, ApiBudget::availableRequestsToday)
                .description("API requests this instance may still make in the window")
                .tag("window", "day")
                .strongReference(true)
                .register(registry);
        Gauge.builder(PREFIX + "api.budget.call.slots.available", budget, ApiBudget::availableCallSlots)
                .description("API calls that may start now (ultracart.budget.max-concurrent less those in flight)")
                .strongReference(true)
                .register(registry);
        Gauge.builder(PREFIX + "api.budget.commands.waiting", budget, ApiBudget::commandsWaiting)
                .description("Commands waiting for the API budget")
                .strongReference(true)
                .register(registry);
        Gauge.builder(PREFIX + "api.budget.pause", budget, b -> b.pause().toNanos() / 1e9)
                .description("Seconds every API call still waits after a 429")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /** This instance became the active poller ({@code true}) or gave the poller lease up. */
    public void pollerActive(boolean active) {
        lastPollProgressNanos = System.nanoTime();
        pollerActive = active;
    }

    /** Call when a poll cycle starts; end it with {@link PollCycleMeter#ended}. */
    public PollCycleMeter pollCycleStarted() {
        return new PollCycleMeter(System.nanoTime(), pollCalls.sum());
    }

    private void command(CommandType type, String outcome, FailureCategory category) {
        commands.computeIfAbsent(new CommandOutcome(type, outcome, category), key -> Counter
                .builder(PREFIX + "commands")
                .description("Commands handled, by type and outcome (succeeded, replayed, failed, rejected)")
                .tag("type", typeTag(key.type()))
                .tag("outcome", key.outcome())
                .tag("category", key.category() == null ? NO_CATEGORY : key.category().id())
                .register(registry)).increment();
    }

    private double pollLagSeconds() {
        return pollerActive ? (System.nanoTime() - lastPollProgressNanos) / 1e9 : Double.NaN;
    }

    /** A record from a topic that maps to no command type has none. */
    private static String typeTag(CommandType type) {
        return type == null ? UNKNOWN : type.id();
    }

    /** One poll cycle under way. */
    public final class PollCycleMeter {

        private final long startNanos;
        private final long pollCallsAtStart;

        private PollCycleMeter(long startNanos, long pollCallsAtStart) {
            this.startNanos = startNanos;
            this.pollCallsAtStart = pollCallsAtStart;
        }

        /**
         * @param fullScan  whether the cycle read every page
         * @param completed whether it ran to its end, rather than ending early (budget, errors, lease lost)
         */
        public void ended(boolean fullScan, boolean completed) {
            long now = System.nanoTime();
            if (completed) {
                lastPollProgressNanos = now;
            }
            String scan = fullScan ? "full" : "quick";
            pollCycles.computeIfAbsent(new PollCycleEnd(fullScan, completed), key -> Timer
                    .builder(PREFIX + "poll.cycles")
                    .description("Poll cycles by scan (full or quick) and outcome, with their duration")
                    .tag("scan", scan)
                    .tag("outcome", completed ? "completed" : "ended_early")
                    .register(registry)).record(now - startNanos, TimeUnit.NANOSECONDS);
            pollCycleCalls.computeIfAbsent(fullScan, key -> DistributionSummary
                    .builder(PREFIX + "poll.cycle.api.calls")
                    .description("API calls made by one poll cycle")
                    .tag("scan", scan)
                    .register(registry)).record(pollCalls.sum() - pollCallsAtStart);
        }
    }

    private record CommandOutcome(CommandType type, String outcome, FailureCategory category) {
    }

    private record DeadLetter(String topic, FailureCategory category) {
    }

    private record Retry(CommandType type, FailureCategory category) {
    }

    private record ApiCall(ApiOperation operation, ApiBudget.Priority caller, String status) {
    }

    private record PollCycleEnd(boolean fullScan, boolean completed) {
    }
}
