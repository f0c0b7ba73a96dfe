package io.github.ucconnector.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.support.TopicProbe;
import io.github.ucconnector.reliability.CommandFeed.SentCommand;
import io.github.ucconnector.reliability.EventTopicReader.Event;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.SharedKafka;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (what an orchestrator sends before it kills a pod, by default 30 s later) while the packaged connector
 * works through a backlog at a slow API: it must stop by itself within 30 s, every call UltraCart answered must
 * have its outcome and its committed offset, and after a restart the rest must complete without any command
 * reaching the API twice or getting two outcome ids.
 */
class GracefulShutdownIT {

    /** A backlog the connector reads in one poll; at the API's latency it takes longer than 30 s to work off. */
    private static final int COMMANDS = 200;
    private static final int LATENCY_MS = 200;
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGGER_AND_MESSAGE = Pattern.compile("\\] (\\w+ - .*)$");

    private String kafka;
    private UltraCartSandbox sandbox;
    private SandboxAdmin sandboxAdmin;
    private ConnectorProcess connector;
    private CommandFeed feed;
    private EventTopicReader events;

    @BeforeEach
    void prepare() throws Exception {
        kafka = SharedKafka.bootstrapServers();
        sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0));
        sandboxAdmin = new SandboxAdmin(sandbox);
        sandboxAdmin.faults("{\"latency_ms\":" + LATENCY_MS + "}");
        connector = ConnectorProcess.configure("graceful-shutdown", kafka, sandbox.baseUrl(), Map.of());
        feed = new CommandFeed(kafka, connector);
    }

    @AfterEach
    void stop() {
        TestResources.closeAll(events, feed, connector, sandbox);
    }

    @Test
    void sigtermDuringABacklogStopsWithin30sPublishesEveryAnsweredCallAndTheRestCompleteAfterRestart()
            throws Exception {
        // The backlog is on the topic before the connector starts, so its first poll holds all of it.
        for (int i = 0; i < COMMANDS; i++) {
            feed.start("graceful-start-" + i);
        }
        feed.flush();
        List<String> ids = feed.sentIds();
        Map<String, SentCommand> byQueue = feed.sent().stream()
                .collect(Collectors.toMap(SentCommand::queueUuid, Function.identity()));
        connector.start();
        events = new EventTopicReader(kafka, connector.topic(Setting.TOPIC_EVENTS));

        await("the first outcomes at the slow API").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> events.answered(ids) >= 5);
        // SIGTERM while UltraCart is answering a call, so a command is really in flight.
        await("an API call in flight").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> sandbox.requests().stream().anyMatch(r -> r.status() == 0));
        long tTerm = System.nanoTime();
        connector.sigterm();
        // Bounded well beyond the grace period, so a slow stop is measured and reported, not just cut off.
        int exitCode = connector.awaitExit(GRACE_PERIOD.multipliedBy(2));
        Duration stopTime = Duration.ofNanos(System.nanoTime() - tTerm);
        String stopLog = connector.logSinceStart();

        List<RecordedRequest> callsBeforeStop = startCalls();
        List<String> answeredByApi = new ArrayList<>();
        for (RecordedRequest call : callsBeforeStop) {
            if (call.status() != 0) {
                answeredByApi.add(byQueue.get(queueOf(call)).commandId());
            }
        }
        // The events were written before the process ended; give the reader a moment to see all of them.
        waitQuietly(Duration.ofSeconds(5), () -> events.byCommandId().keySet().containsAll(answeredByApi));
        Map<String, List<Event>> outcomesAtStop = events.byCommandId();
        List<String> answeredWithoutOutcome = answeredByApi.stream()
                .filter(id -> !outcomesAtStop.containsKey(id)).toList();
        long published = events.answered(ids);
        long committed = committedOffset();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(stopTime).as("time from SIGTERM to the end of the process (exit code %d)", exitCode)
                .isLessThanOrEqualTo(GRACE_PERIOD);
        // Expected: the Kafka consumer going back to the first command the stopping connector handed back.
        soft.assertThat(stopLog.lines().filter(line -> line.contains(" WARN "))
                        .map(GracefulShutdownIT::loggerAndMessage)
                        .filter(line -> line.contains("hutdown") && !line.contains("the connector is stopping"))
                        .map(line -> line.length() > 160 ? line.substring(0, 160) + "…" : line).toList())
                .as("warnings about the shutdown in the connector's log (%s)", connector.logFile()).isEmpty();
        soft.assertThat(callsBeforeStop).as("API calls still unanswered when the process had ended")
                .noneMatch(call -> call.status() == 0);
        soft.assertThat(answeredWithoutOutcome)
                .as("commands UltraCart answered before the stop but without an outcome event").isEmpty();
        soft.assertThat(committed).as("committed offset of the start topic vs commands published at the stop")
                .isEqualTo(published);
        soft.assertThat(published).as("commands left for the restart (the SIGTERM came mid-backlog)")
                .isLessThan(COMMANDS);

        // The remaining commands need no latency to prove anything; without it the restart is quick.
        sandboxAdmin.faults("{}");
        long tRestart = System.nanoTime();
        connector.start();
        await("an outcome event for every one of the " + COMMANDS + " commands after the restart")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(events.answered(ids)).isEqualTo(COMMANDS));
        double restSeconds = (System.nanoTime() - tRestart) / 1e9;

        DeliveryReport report = DeliveryReport.of(feed.sent(), events.events(), sandbox.requests());
        System.out.printf("GracefulShutdownIT: exit code %d %.1f s after SIGTERM; %d of %d commands published before "
                        + "the stop, %d answered by the API, committed offset %d, answered without outcome %s; "
                        + "the rest done %.1f s after the restart; %s%n",
                exitCode, stopTime.toMillis() / 1e3, published, COMMANDS, answeredByApi.size(), committed,
                answeredWithoutOutcome, restSeconds, report);

        soft.assertThat(report.missing).as("commands without an outcome event").isEmpty();
        soft.assertThat(report.conflictingIds).as("commands with outcome events of different ce_id").isEmpty();
        soft.assertThat(report.unexpectedTypes).as("commands whose outcome is not a success").isEmpty();
        soft.assertThat(report.unknownOutcomeStarts)
                .as("start commands that failed as unknown_outcome (left pending by the connector)").isEmpty();
        soft.assertThat(report.startsCalledTwice).as("commands sent to the API twice").isEmpty();
        soft.assertThat(report.startPuts).as("start calls vs start commands").isEqualTo(COMMANDS);
        soft.assertThat(committedOffset()).as("committed offset after the restart").isEqualTo(COMMANDS);
        soft.assertAll();
    }

    /** "Logger - message" of a log line (the pattern is "time level [thread] Logger - message"). */
    private static String loggerAndMessage(String line) {
        Matcher matcher = LOGGER_AND_MESSAGE.matcher(line);
        return matcher.find() ? matcher.group(1) : line;
    }

    private List<RecordedRequest> startCalls() {
        return sandbox.requests().stream()
                .filter(r -> "PUT".equals(r.method()) && DeliveryReport.START_PATH.equals(r.path())).toList();
    }

    private static String queueOf(RecordedRequest call) {
        try {
            return JSON.readTree(call.body()).path("conversation_webchat_queue_uuid").asText();
        } catch (Exception e) {
            throw new AssertionError("unreadable start request body: " + call.body(), e);
        }
    }

    private static void waitQuietly(Duration timeout, BooleanSupplier condition) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            // The assertions that follow say what is missing.
        }
    }

    /** The connector group's committed offset on the (single-partition) start topic; 0 when nothing is committed. */
    private long committedOffset() throws Exception {
        try (TopicProbe probe = new TopicProbe(kafka)) {
            return probe.committedOffsets(connector.groupId()).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(connector.topic(Setting.TOPIC_COMMAND_START)))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }
}
