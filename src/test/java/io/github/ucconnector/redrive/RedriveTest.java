package io.github.ucconnector.redrive;

import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.hostile.LogCapture;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.SharedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead letters sent back with POST /admin/redrive (and the jar subcommand) against the real broker and sandbox: what
 * is selected, what goes back and how it looks, that nothing goes twice, and the rule for starts.
 */
class RedriveTest {

    private static final String TOKEN = "redrive-test-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STARTED = "ultracart.conversation.started";
    private static final String JOINED = "ultracart.conversation.joined";
    private static final String FETCHED = "ultracart.conversation.fetched";
    private static final String CONVERSATIONS = "/rest/v2/conversation/conversations";

    private RunningConnector connector;
    private SandboxAdmin sandbox;

    @BeforeEach
    void startConnector() throws Exception {
        connector = RunningConnector.start(Map.of(Setting.MANAGEMENT_ADMIN_TOKEN.property(), TOKEN));
        sandbox = new SandboxAdmin(connector.sandbox());
    }

    @AfterEach
    void stopConnector() {
        connector.close();
    }

    @Test
    void aJoinThatFailedWhileUltraCartFaultedGoesBackUnchangedAndSucceeds() throws Exception {
        String conversation = sandbox.openConversation("Ada", "hello");
        sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"500\"]}");
        connector.send(Setting.TOPIC_COMMAND_JOIN, conversation, join("join-1", conversation),
                Map.of("x-trace", "trace-7"));
        ConsumerRecord<byte[], byte[]> deadLetter = connector.deadLetterOf("join-1");
        assertThat(header(deadLetter, DeadLetters.CATEGORY)).isEqualTo("server_error");
        ConsumerRecord<byte[], byte[]> failed = outcome("join-1", OutcomeEvents.COMMAND_FAILED);
        sandbox.faults("{}");
        connector.sandbox().clearRequests();

        try (LogCapture log = LogCapture.start()) {
            JsonNode dryRun = redrive("category=server_error&dry_run");
            assertThat(dryRun.get("dry_run").asBoolean()).isTrue();
            assertThat(dryRun.get("sent").asInt()).isZero();
            assertThat(dryRun.get("selected")).hasSize(1);
            JsonNode listed = dryRun.get("selected").get(0);
            assertThat(listed.get("command_id").asText()).isEqualTo("join-1");
            assertThat(listed.get("type").asText()).isEqualTo("join");
            assertThat(listed.get("category").asText()).isEqualTo("server_error");
            assertThat(listed.get("status").asInt()).isEqualTo(500);
            assertThat(listed.get("offset").asLong()).isEqualTo(deadLetter.offset());
            assertThat(listed.get("to").asText()).isEqualTo(connector.topic(Setting.TOPIC_COMMAND_JOIN));
            assertThat(listed.has("conversation_uuid")).as("ids only, never the command's value").isFalse();
            connector.only("redriven join after a dry run", Setting.TOPIC_COMMAND_JOIN, RedriveTest::redriven, 0);

            JsonNode sent = redrive("category=server_error");
            assertThat(sent.get("sent").asInt()).isEqualTo(1);
            assertThat(ids(sent.get("selected"))).containsExactly("join-1");
            assertThat(log.messages()).filteredOn(line -> line.startsWith("Operator redrive"))
                    .containsExactly("Operator redrive category=server_error dry_run: would send back 1 of 1 dead"
                                    + " letter(s); 0 skipped, 0 not matching",
                            "Operator redrive category=server_error: sent back 1 of 1 dead letter(s); 0 skipped, 0 not"
                                    + " matching");
        }

        ConsumerRecord<byte[], byte[]> redriven = connector.only("redriven join", Setting.TOPIC_COMMAND_JOIN,
                RedriveTest::redriven);
        assertThat(text(redriven.key())).isEqualTo(conversation);
        assertThat(redriven.value()).isEqualTo(deadLetter.value());
        assertThat(headerNames(redriven)).containsExactlyInAnyOrder("x-trace", RedriveHeaders.COUNT,
                RedriveHeaders.REDRIVEN_AT, RedriveHeaders.REDRIVEN_FROM);
        assertThat(header(redriven, "x-trace")).isEqualTo("trace-7");
        assertThat(header(redriven, RedriveHeaders.COUNT)).isEqualTo("1");
        assertThat(header(redriven, RedriveHeaders.REDRIVEN_FROM)).isEqualTo(position(deadLetter));
        assertThat(Instant.parse(header(redriven, RedriveHeaders.REDRIVEN_AT)))
                .isAfterOrEqualTo(Instant.ofEpochMilli(deadLetter.timestamp()));

        ConsumerRecord<byte[], byte[]> joined = outcome("join-1", JOINED);
        assertThat(header(joined, "ce_id")).as("news to a consumer that dropped the failure's id")
                .isEqualTo(OutcomeEvents.eventId("join-1", 1)).isNotEqualTo(header(failed, "ce_id"));
        assertThat(calls("PUT", CONVERSATIONS + "/" + conversation + "/join")).isEqualTo(1);

        JsonNode again = redrive("category=server_error");
        assertThat(again.get("sent").asInt()).isZero();
        assertThat(again.get("skipped").get(0).get("reason").asText()).isEqualTo("already_redriven");
    }

    @Test
    void dryRunsSelectByCategoryTypeStatusAndTimeAndSendNothing() throws Exception {
        String conversation = sandbox.openConversation("Grace", "hi");
        connector.send(Setting.TOPIC_COMMAND_JOIN, null, join("bad-join", "no-such-conversation"), Map.of());
        ConsumerRecord<byte[], byte[]> badJoin = connector.deadLetterOf("bad-join");
        connector.send(Setting.TOPIC_COMMAND_LEAVE, null, "{\"command_id\":\"bad-leave\"}", Map.of());
        ConsumerRecord<byte[], byte[]> badLeave = connector.deadLetterOf("bad-leave");
        sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}");
        connector.send(Setting.TOPIC_COMMAND_GET, null, get("faulted-get", conversation), Map.of());
        ConsumerRecord<byte[], byte[]> faultedGet = connector.deadLetterOf("faulted-get");
        sandbox.faults("{}");
        List<ConsumerRecord<byte[], byte[]>> letters = List.of(badJoin, badLeave, faultedGet);

        assertThat(selected("type=leave&dry_run")).containsExactly("bad-leave");
        assertThat(selected("status=400&dry_run")).containsExactly("bad-join");
        assertThat(selected("category=invalid_command,server_error&dry_run"))
                .containsExactlyInAnyOrder("bad-leave", "faulted-get");
        assertThat(selected("type=join,get&status=503&dry_run")).containsExactly("faulted-get");
        assertThat(selected("dry_run")).containsExactlyInAnyOrder("bad-join", "bad-leave", "faulted-get");
        Instant middle = Instant.ofEpochMilli(badLeave.timestamp());
        assertThat(selected("since=" + middle + "&dry_run")).containsExactlyInAnyOrderElementsOf(
                ids(letters, letter -> letter.timestamp() >= middle.toEpochMilli()));
        assertThat(selected("until=" + middle + "&dry_run")).containsExactlyInAnyOrderElementsOf(
                ids(letters, letter -> letter.timestamp() < middle.toEpochMilli()));
        assertThat(selected("since=1h&dry_run")).hasSize(3);
        JsonNode report = redrive("type=leave&dry_run");
        assertThat(report.get("scanned").asInt()).isEqualTo(3);
        assertThat(report.get("not_matching").asInt()).isEqualTo(2);

        HttpResponse<String> refused = admin("category=server-error");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").asText())
                .startsWith("category names no failure category 'server-error'");

        // The jar subcommand reads the same settings and prints the same report.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(RedriveCommand.run(settings(), List.of("--type", "leave", "--dry-run"), print(out), print(err)))
                .isEqualTo(RedriveCommand.OK);
        assertThat(ids(JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("selected"))).containsExactly("bad-leave");
        assertThat(RedriveCommand.run(settings(), List.of("--type", "joins"), print(out), print(err)))
                .isEqualTo(RedriveCommand.BAD_ARGUMENTS);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("type names no command type 'joins'", "usage: redrive");

        for (Setting topic : List.of(Setting.TOPIC_COMMAND_JOIN, Setting.TOPIC_COMMAND_LEAVE, Setting.TOPIC_COMMAND_GET)) {
            connector.only("redriven command after dry runs", topic, RedriveTest::redriven, 0);
        }
    }

    @Test
    void anInterruptedRedriveRepeatedSendsEachDeadLetterOnce() throws Exception {
        String conversation = sandbox.openConversation("Linus", "hey");
        sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"500\"]}");
        List<String> gets = List.of("get-1", "get-2", "get-3");
        Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new HashMap<>();
        for (String id : gets) {
            connector.send(Setting.TOPIC_COMMAND_GET, conversation, get(id, conversation), Map.of());
            deadLetters.put(id, connector.deadLetterOf(id));
        }
        sandbox.faults("{}");
        connector.sandbox().clearRequests();

        JsonNode first = redrive("limit=1");
        assertThat(first.get("sent").asInt()).isEqualTo(1);
        assertThat(first.get("complete").asBoolean()).isFalse();
        assertThat(ids(first.get("selected"))).containsExactly("get-1");

        // A redrive that stopped in the middle of its transaction: its record of get-2 is on the topic, not committed.
        ConsumerRecord<byte[], byte[]> interrupted = deadLetters.get("get-2");
        try (KafkaProducer<byte[], byte[]> crashed = transactionalProducer()) {
            crashed.initTransactions();
            crashed.beginTransaction();
            crashed.send(new ProducerRecord<>(connector.topic(Setting.TOPIC_COMMAND_GET), interrupted.key(),
                    interrupted.value())).get();

            JsonNode resumed = redrive("");
            assertThat(ids(resumed.get("selected"))).containsExactly("get-2", "get-3");
            assertThat(resumed.get("sent").asInt()).isEqualTo(2);
            assertThat(resumed.get("complete").asBoolean()).isTrue();
        }

        JsonNode repeated = redrive("");
        assertThat(repeated.get("sent").asInt()).isZero();
        assertThat(repeated.get("skipped")).extracting(letter -> letter.get("reason").asText())
                .containsExactly("already_redriven", "already_redriven", "already_redriven");

        for (String id : gets) {
            outcome(id, FETCHED);
        }
        assertThat(calls("GET", CONVERSATIONS + "/" + conversation)).as("one call per command").isEqualTo(3);
        for (String id : gets) {
            assertThat(connector.all(Setting.TOPIC_EVENTS, outcomeOf(id, FETCHED))).as(id).hasSize(1);
        }
    }

    @Test
    void aStartWhoseOutcomeIsUnknownGoesBackOnlyWhenAskedAndThenMakesOneMoreCall() throws Exception {
        // start-a: a 500 may hide a started conversation, so its ledger entry stays pending.
        sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"500\"]}");
        connector.send(Setting.TOPIC_COMMAND_START, null, "{\"command_id\":\"start-a\"}", Map.of());
        ConsumerRecord<byte[], byte[]> firstLetter = connector.deadLetterOf("start-a");
        // start-b: a 503 comes from a gateway, before UltraCart: certainly no conversation.
        sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}");
        connector.send(Setting.TOPIC_COMMAND_START, null, "{\"command_id\":\"start-b\"}", Map.of());
        connector.deadLetterOf("start-b");
        sandbox.faults("{}");
        connector.sandbox().clearRequests();

        JsonNode withoutOverride = redrive("type=start");
        assertThat(ids(withoutOverride.get("selected"))).containsExactly("start-b");
        assertThat(withoutOverride.get("skipped")).singleElement().satisfies(letter -> {
            assertThat(letter.get("command_id").asText()).isEqualTo("start-a");
            assertThat(letter.get("reason").asText()).isEqualTo("unknown_outcome_start");
        });
        outcome("start-b", STARTED);
        assertThat(calls("PUT", CONVERSATIONS)).isEqualTo(1);

        // With the override start-a makes one more call; UltraCart still fails, so it is a dead letter again.
        sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"500\"]}");
        connector.sandbox().clearRequests();
        JsonNode withOverride = redrive("type=start&include_unknown_starts");
        assertThat(ids(withOverride.get("selected"))).containsExactly("start-a");
        ConsumerRecord<byte[], byte[]> redriven = connector.only("redriven start-a", Setting.TOPIC_COMMAND_START,
                record -> position(firstLetter).equals(header(record, RedriveHeaders.REDRIVEN_FROM)));
        assertThat(header(redriven, RedriveHeaders.UNKNOWN_START_OVERRIDE)).isEqualTo(position(firstLetter));
        List<ConsumerRecord<byte[], byte[]>> letters = deadLettersOf("start-a", 2);
        assertThat(header(letters.get(1), DeadLetters.HTTP_STATUS)).isEqualTo("500");
        assertThat(header(letters.get(1), RedriveHeaders.COUNT)).as("the dead letter keeps the count").isEqualTo("1");
        assertThat(calls("PUT", CONVERSATIONS)).isEqualTo(1);

        // The same redriven record once more, as a redelivery would bring it: the override has had its one call.
        connector.send(Setting.TOPIC_COMMAND_START, null, text(redriven.value()), headersOf(redriven));
        letters = deadLettersOf("start-a", 3);
        assertThat(header(letters.get(2), DeadLetters.CATEGORY)).isEqualTo("unknown_outcome");
        assertThat(calls("PUT", CONVERSATIONS)).as("no call for the redelivery").isEqualTo(1);

        // Redriving the second dead letter (the one with a status) makes one more call, which now succeeds.
        sandbox.faults("{}");
        connector.sandbox().clearRequests();
        JsonNode last = redrive("type=start&status=500&include_unknown_starts");
        assertThat(ids(last.get("selected"))).containsExactly("start-a");
        assertThat(last.get("selected").get(0).get("offset").asLong()).isEqualTo(letters.get(1).offset());
        outcome("start-a", STARTED);
        assertThat(calls("PUT", CONVERSATIONS)).isEqualTo(1);
    }

    private JsonNode redrive(String query) throws Exception {
        HttpResponse<String> response = admin(query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> admin(String query) throws Exception {
        return connector.management("POST", "/admin/redrive" + (query.isEmpty() ? "" : "?" + query),
                Map.of("Authorization", "Bearer " + TOKEN));
    }

    private List<String> selected(String query) throws Exception {
        JsonNode report = redrive(query);
        assertThat(report.get("sent").asInt()).isZero();
        return ids(report.get("selected"));
    }

    private static List<String> ids(JsonNode letters) {
        return StreamSupport.stream(letters.spliterator(), false).map(letter -> letter.get("command_id").asText())
                .toList();
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> letters,
            Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        return letters.stream().filter(matching).map(letter -> header(letter, DeadLetters.COMMAND_ID)).toList();
    }

    /** The one outcome event of the given type, waiting for it. */
    private ConsumerRecord<byte[], byte[]> outcome(String commandId, String type) {
        return connector.only(type + " of " + commandId, Setting.TOPIC_EVENTS, outcomeOf(commandId, type));
    }

    private static Predicate<ConsumerRecord<byte[], byte[]>> outcomeOf(String commandId, String type) {
        return record -> commandId.equals(header(record, "ce_correlationid")) && type.equals(header(record, "ce_type"));
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLettersOf(String commandId, int count) {
        return connector.only("dead letters of " + commandId, Setting.TOPIC_DLQ,
                record -> commandId.equals(header(record, DeadLetters.COMMAND_ID)), count);
    }

    private long calls(String method, String path) {
        return connector.sandbox().requests().stream()
                .filter(request -> request.method().equals(method) && request.path().equals(path))
                .count();
    }

    /** Where a dead letter is, as the redrive names it. */
    private String position(ConsumerRecord<byte[], byte[]> deadLetter) {
        return connector.topic(Setting.TOPIC_DLQ) + "/" + deadLetter.partition() + "/" + deadLetter.offset();
    }

    private static boolean redriven(ConsumerRecord<byte[], byte[]> record) {
        return header(record, RedriveHeaders.COUNT) != null;
    }

    private static List<String> headerNames(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key()));
        return names;
    }

    private static Map<String, String> headersOf(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** A producer of the redrive's own transactional id, as a redrive that crashed had one. */
    private KafkaProducer<byte[], byte[]> transactionalProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, connector.setting(Setting.KAFKA_GROUP_ID) + "-redrive"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private ConnectorSettings settings() {
        return ConnectorSettings.resolve(connector::setting);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String join(String commandId, String conversation) {
        return "{\"command_id\":\"" + commandId + "\",\"conversation_uuid\":\"" + conversation + "\"}";
    }

    private static String get(String commandId, String conversation) {
        return join(commandId, conversation);
    }
}
