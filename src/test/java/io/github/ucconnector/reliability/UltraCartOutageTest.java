package io.github.ucconnector.reliability;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * UltraCart answers 503 to every call while a join arrives every two seconds, a start every four and customers keep
 * writing, on the connector's default retry settings: at most the commands in flight when the outage began fail;
 * every other one waits on Kafka and gets its normal outcome once UltraCart is back; readiness says why meanwhile;
 * the dead-letter topic is not flooded. With the poller running (two minutes), the poller's calls find the outage
 * and it reports every message written during it, once; with commands alone (one minute), the commands find it.
 */
class UltraCartOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOIN_EVERY = Duration.ofSeconds(2);
    private static final int CONVERSATIONS = 4;
    /** The consumer takes one command at a time: at most the one in flight, and the one it took just after. */
    private static final int MOST_FAILED = 2;

    @Test
    void withThePollerRunningAnOutageOfTwoMinutesFailsAtMostTheCommandsInFlightAndLosesNoMessage() throws Exception {
        outage(true, Duration.ofMinutes(2));
    }

    @Test
    void withCommandsAloneTheCommandsFindTheOutageAndAtMostTheOnesInFlightFail() throws Exception {
        outage(false, Duration.ofMinutes(1));
    }

    private void outage(boolean polling, Duration outage) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(Setting.POLL_ENABLED.property(), Boolean.toString(polling));
        settings.put(Setting.POLL_INTERVAL_MS.property(), "500");
        settings.put(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "1000000");
        settings.put(Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY.property(), "1000000");
        // The defaults a user has: 3 retries starting at 1 s, the response timeout of 30 s.
        settings.put(Setting.ULTRACART_RETRY_DELAY_MS.property(), Setting.ULTRACART_RETRY_DELAY_MS.defaultValue());
        settings.put(Setting.ULTRACART_RESPONSE_TIMEOUT_MS.property(),
                Setting.ULTRACART_RESPONSE_TIMEOUT_MS.defaultValue());
        try (RunningConnector connector = RunningConnector.start(settings)) {
            SandboxAdmin sandbox = new SandboxAdmin(connector.sandbox());
            connector.awaitReady();
            Map<String, Integer> customerMessages = new ConcurrentHashMap<>();
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < CONVERSATIONS; i++) {
                String uuid = sandbox.openConversation("Customer " + i, "Hello, I have a question " + i);
                conversations.add(uuid);
                customerMessages.put(uuid, 1);
            }
            if (polling) {
                await("the poller reported the first messages").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> messageEvents(connector).size() >= CONVERSATIONS);
            }

            List<String> commandIds = new ArrayList<>();
            AtomicLong outageBegan = new AtomicLong();
            long readinessDownAt = 0;
            boolean sawDown = false;
            sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}");
            outageBegan.set(System.nanoTime());
            long end = outageBegan.get() + outage.toNanos();
            int tick = 0;
            while (System.nanoTime() < end) {
                String conversation = conversations.get(tick % CONVERSATIONS);
                String joinId = "outage-join-" + tick + "-" + UUID.randomUUID();
                connector.send(Setting.TOPIC_COMMAND_JOIN, conversation, Commands.join(joinId, conversation).toJson(),
                        Map.of());
                commandIds.add(joinId);
                if (tick % 2 == 0) {
                    String startId = "outage-start-" + tick + "-" + UUID.randomUUID();
                    connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(startId).toJson(), Map.of());
                    commandIds.add(startId);
                }
                if (tick % 3 == 0) {
                    sandbox.addCustomerMessage(conversation, "Are you there? " + tick);
                    customerMessages.merge(conversation, 1, Integer::sum);
                }
                if (!sawDown && "DOWN".equals(connector.readiness().get("ultracart-availability"))) {
                    sawDown = true;
                    readinessDownAt = System.nanoTime();
                }
                tick++;
                Thread.sleep(JOIN_EVERY.toMillis());
            }
            long deadLettersDuringOutage = connector.all(Setting.TOPIC_DLQ, r -> true).size();
            sandbox.faults("{}");
            long back = System.nanoTime();

            await("an outcome for each of the " + commandIds.size() + " commands once UltraCart is back")
                    .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> outcomes(connector, commandIds).size() == commandIds.size());
            double recoverySeconds = (System.nanoTime() - back) / 1e9;
            if (polling) {
                await("every customer message reported").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> reportedNumbers(connector).entrySet().stream()
                                .filter(e -> customerMessages.containsKey(e.getKey()))
                                .mapToInt(e -> e.getValue().size()).sum()
                                >= customerMessages.values().stream().mapToInt(Integer::intValue).sum());
            }
            connector.awaitReady();

            Map<String, List<ConsumerRecord<byte[], byte[]>>> outcomes = outcomes(connector, commandIds);
            List<String> failed = outcomes.entrySet().stream()
                    .filter(e -> e.getValue().stream().anyMatch(r -> String.valueOf(header(r, "ce_type")).endsWith(".failed")))
                    .map(Map.Entry::getKey).sorted().toList();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = connector.all(Setting.TOPIC_DLQ, r -> true);
            Map<String, Map<Integer, Set<String>>> reported = reportedNumbers(connector);
            System.out.printf("UltraCartOutageTest (polling %s): %d commands during a %d s outage, readiness DOWN %.1f "
                            + "s after it began, %d failed, %d dead letters (%d during the outage), all outcomes %.1f s"
                            + " after UltraCart was back%n", polling ? "on" : "off", commandIds.size(),
                    outage.toSeconds(),
                    sawDown ? (readinessDownAt - outageBegan.get()) / 1e9 : Double.NaN, failed.size(),
                    deadLetters.size(), deadLettersDuringOutage, recoverySeconds);

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(sawDown).as("readiness check ultracart-availability DOWN during the outage").isTrue();
            soft.assertThat(failed).as("failed commands: at most those in flight when the outage began")
                    .hasSizeLessThanOrEqualTo(MOST_FAILED);
            soft.assertThat(deadLetters).as("dead letters").hasSizeLessThanOrEqualTo(MOST_FAILED);
            outcomes.forEach((commandId, records) -> soft.assertThat(records.stream()
                    .map(r -> header(r, "ce_id")).collect(Collectors.toSet()))
                    .as("outcome event ids of " + commandId).hasSize(1));
            soft.assertThat(outcomes.entrySet().stream().filter(e -> !failed.contains(e.getKey()))
                    .map(e -> header(e.getValue().get(0), "ce_type")).collect(Collectors.toSet()))
                    .as("the outcomes of the commands that waited")
                    .containsOnly("ultracart.conversation.started", "ultracart.conversation.joined");
            if (polling) {
                customerMessages.forEach((conversation, count) -> {
                    Map<Integer, Set<String>> numbers = reported.getOrDefault(conversation, Map.of());
                    for (int number = 1; number <= count; number++) {
                        soft.assertThat(numbers.get(number)).as("message " + number + " of " + conversation
                                + ": reported once, under one event id").hasSize(1);
                    }
                });
            }
            soft.assertThat(connector.readiness()).as("readiness after the outage").doesNotContainValue("DOWN");
            soft.assertAll();
        }
    }

    /** The outcome events of the given commands, by command id. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> outcomes(RunningConnector connector,
            List<String> commandIds) {
        Set<String> ids = new HashSet<>(commandIds);
        return connector.all(Setting.TOPIC_EVENTS, r -> ids.contains(header(r, "ce_correlationid"))).stream()
                .collect(Collectors.groupingBy(r -> header(r, "ce_correlationid")));
    }

    private static List<ConsumerRecord<byte[], byte[]>> messageEvents(RunningConnector connector) {
        return connector.all(Setting.TOPIC_EVENTS, r -> ChangeEvents.MESSAGE_RECEIVED.equals(header(r, "ce_type")));
    }

    /** Per conversation, per message number, the distinct event ids that reported it. */
    private static Map<String, Map<Integer, Set<String>>> reportedNumbers(RunningConnector connector)
            throws Exception {
        Map<String, Map<Integer, Set<String>>> reported = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : messageEvents(connector)) {
            JsonNode data = JSON.readTree(TopicProbe.text(record.value()));
            reported.computeIfAbsent(data.path("conversation_uuid").asText(), c -> new TreeMap<>())
                    .computeIfAbsent(data.path("message_number").asInt(), n -> new TreeSet<>())
                    .add(header(record, "ce_id"));
        }
        return reported;
    }
}
