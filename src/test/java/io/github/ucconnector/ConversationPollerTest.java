package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What a helpdesk that only reads Kafka sees of the activity in UltraCart, and what it costs in API calls. */
class ConversationPollerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CHANGE_TYPES = Set.of(ChangeEvents.CREATED, ChangeEvents.MESSAGE_RECEIVED,
            ChangeEvents.CLOSED, ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT, ChangeEvents.UPDATED);
    private static final String LIST_PATH = "/rest/v2/conversation/conversations";
    /**
     * The first full scan reads each of the 450 conversations in detail before its summary: at a load average of 28
     * on 2 cores, 268 summaries were out after 20 s.
     */
    private static final Duration FIRST_SCAN_OF_450 = Duration.ofSeconds(90);

    private static RunningConnector polling(Map<String, String> overrides) throws Exception {
        return polling(overrides, sandbox -> { });
    }

    private static RunningConnector polling(Map<String, String> overrides, Consumer<SandboxAdmin> beforeStart)
            throws Exception {
        Map<String, String> values = new java.util.HashMap<>(Map.of(Setting.POLL_ENABLED.property(), "true"));
        values.putAll(overrides);
        return RunningConnector.start(values, beforeStart);
    }

    @Test
    void customerActivityAgentJoinAndLeaveAndCloseBecomeSummariesAndChangeEvents() throws Exception {
        try (RunningConnector connector = polling(Map.of())) {
            SandboxAdmin sandbox = new SandboxAdmin(connector.sandbox());
            String uuid = sandbox.openConversation("Ada", "Hello, I need help");
            // New to the running connector: created, the customer joined, then the message it already holds.
            List<ConsumerRecord<byte[], byte[]>> opened = changeEvents(connector, uuid, 3);
            assertThat(opened).extracting(r -> header(r, "ce_type")).containsExactly(ChangeEvents.CREATED,
                    ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.MESSAGE_RECEIVED);
            assertThat(JSON.readTree(opened.get(2).value()).path("message").path("body").asText())
                    .isEqualTo("Hello, I need help");

            sandbox.addCustomerMessage(uuid, "Where is my order?");
            List<ConsumerRecord<byte[], byte[]>> events = changeEvents(connector, uuid, 4);
            JsonNode received = JSON.readTree(events.get(3).value());
            assertThat(header(events.get(3), "ce_type")).isEqualTo(ChangeEvents.MESSAGE_RECEIVED);
            assertThat(received.path("message_number").asInt()).isEqualTo(2);
            // One new message: the summary describes it, no call needed.
            assertThat(received.path("message_source").asText()).isEqualTo(ChangeEvents.FROM_SUMMARY);
            assertThat(received.path("message").path("body").asText()).isEqualTo("Where is my order?");
            assertThat(received.path("message").path("author_conversation_participant_name").asText())
                    .isEqualTo("Ada");
            assertThat(connector.sandbox().requests()).extracting(RecordedRequest::path).containsOnly(LIST_PATH);

            connector.send(Setting.TOPIC_COMMAND_JOIN, uuid, "{\"conversation_uuid\":\"" + uuid + "\"}", Map.of());
            assertThat(changeTypes(connector, uuid, 5)).last().isEqualTo(ChangeEvents.PARTICIPANT_JOINED);
            connector.send(Setting.TOPIC_COMMAND_LEAVE, uuid, "{\"conversation_uuid\":\"" + uuid + "\"}", Map.of());
            assertThat(changeTypes(connector, uuid, 6)).last().isEqualTo(ChangeEvents.PARTICIPANT_LEFT);
            sandbox.close(uuid);
            assertThat(changeTypes(connector, uuid, 7)).last().isEqualTo(ChangeEvents.CLOSED);

            List<ConsumerRecord<byte[], byte[]>> summaries = connector.only("summary", Setting.TOPIC_SUMMARIES,
                    r -> uuid.equals(text(r.key())), 5);
            JsonNode last = JSON.readTree(summaries.get(4).value());
            assertThat(last.path("closed").asBoolean()).isTrue();
            assertThat(last.path("last_conversation_message_body").asText()).isEqualTo("Where is my order?");
            assertThat(last.has("messages")).as("a summary, not a conversation").isFalse();

            Thread.sleep(1500);
            connector.only("change event", Setting.TOPIC_EVENTS, r -> uuid.equals(header(r, "ce_subject"))
                    && CHANGE_TYPES.contains(header(r, "ce_type")), 7);
            connector.only("summary", Setting.TOPIC_SUMMARIES, r -> uuid.equals(text(r.key())), 5);
        }
    }

    @Test
    void pagesThroughAllConversationsThenSpendsOneCallPerQuietCycleAndRestartsWithoutDuplicates() throws Exception {
        try (RunningConnector connector = polling(Map.of(), ConversationPollerTest::open450Conversations)) {
            List<ConsumerRecord<byte[], byte[]>> summaries = connector.only("summary", Setting.TOPIC_SUMMARIES,
                    r -> true, 450, FIRST_SCAN_OF_450);
            assertThat(summaries.stream().map(r -> text(r.key())).collect(Collectors.toSet())).hasSize(450);
            assertThat(listQueries(connector).subList(0, 3))
                    .containsExactly("_limit=200&_offset=0", "_limit=200&_offset=200", "_limit=200&_offset=400");

            connector.sandbox().clearRequests();
            // Three cycles at 300 ms, however long they take on a loaded machine.
            await("three quiet cycles").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> listQueries(connector).size() >= 3);
            List<String> quietCycles = listQueries(connector);
            assertThat(quietCycles).containsOnly("_limit=200&_offset=0");
            assertThat(connector.sandbox().requests()).extracting(RecordedRequest::path).containsOnly(LIST_PATH);
            connector.only("summary", Setting.TOPIC_SUMMARIES, r -> true, 450);

            connector.restart();
            // The first cycle after the restart is a full scan; a start on a loaded machine takes a while.
            await().atMost(Duration.ofSeconds(30)).until(() -> listQueries(connector).contains("_limit=200&_offset=400"));
            Thread.sleep(1000);
            connector.only("summary after the restart", Setting.TOPIC_SUMMARIES, r -> true, 450);
            connector.only("created event after the restart", Setting.TOPIC_EVENTS,
                    r -> ChangeEvents.CREATED.equals(header(r, "ce_type")), 450);
            // Written before the connector first started, on an empty summaries topic: no backfill by default.
            connector.only("message.received event", Setting.TOPIC_EVENTS,
                    r -> ChangeEvents.MESSAGE_RECEIVED.equals(header(r, "ce_type")), 0);
        }
    }

    @Test
    void fullScanFindsAChangeThatQuickCyclesCannotSee() throws Exception {
        // The next full scan comes 12 s after the first ends; the quick cycles are looked at well before.
        try (RunningConnector connector = polling(Map.of(Setting.POLL_FULL_SCAN_INTERVAL_MS.property(), "12000"),
                ConversationPollerTest::open450Conversations)) {
            List<ConsumerRecord<byte[], byte[]>> summaries = connector.only("summary", Setting.TOPIC_SUMMARIES,
                    r -> true, 450, FIRST_SCAN_OF_450);
            // The oldest conversation is on the last page; closing it does not move it to the front.
            String oldest = text(summaries.get(0).key());
            connector.sandbox().clearRequests();
            new SandboxAdmin(connector.sandbox()).close(oldest);

            // Quick cycles ran after the close (counted, not assumed from a fixed sleep), and no cycle had read
            // the last page yet when the events were read: only that page shows the change.
            await("three quick cycles after the close").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> listQueries(connector).stream()
                            .filter("_limit=200&_offset=0"::equals).count() >= 3);
            connector.only("closed event before the full scan", Setting.TOPIC_EVENTS, r -> isClosed(r, oldest), 0);
            assertThat(listQueries(connector)).as("a full scan came before the quick cycles were looked at")
                    .doesNotContain("_limit=200&_offset=400");
            connector.only("closed event after the full scan", Setting.TOPIC_EVENTS, r -> isClosed(r, oldest), 1);
            assertThat(listQueries(connector)).contains("_limit=200&_offset=400");
        }
    }

    private static boolean isClosed(ConsumerRecord<byte[], byte[]> record, String uuid) {
        return uuid.equals(header(record, "ce_subject")) && ChangeEvents.CLOSED.equals(header(record, "ce_type"));
    }

    private static void open450Conversations(SandboxAdmin sandbox) {
        for (int i = 0; i < 450; i++) {
            sandbox.openConversation("Customer " + i, "Message " + i);
        }
        // The sandbox's clock moves at least 1 ms per event (times never repeat), so 900 events in less than 900 ms
        // run ahead of the wall clock: wait for it, so every message is older than the connector that starts next.
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> listQueries(RunningConnector connector) {
        return connector.sandbox().requests().stream().filter(r -> r.path().equals(LIST_PATH))
                .map(RecordedRequest::query).toList();
    }

    private static List<String> changeTypes(RunningConnector connector, String uuid, int count) {
        return changeEvents(connector, uuid, count).stream().map(r -> header(r, "ce_type")).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> changeEvents(RunningConnector connector, String uuid, int count) {
        return connector.only("change event", Setting.TOPIC_EVENTS, r -> uuid.equals(header(r, "ce_subject"))
                && CHANGE_TYPES.contains(header(r, "ce_type")), count);
    }
}
