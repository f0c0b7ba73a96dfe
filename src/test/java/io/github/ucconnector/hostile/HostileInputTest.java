package io.github.ucconnector.hostile;

import static io.github.ucconnector.hostile.HostileCommands.preview;
import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.hostile.HostileCommands.Category;
import io.github.ucconnector.hostile.HostileCommands.Hostile;
import io.github.ucconnector.hostile.HostileCommands.Type;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import io.github.ucconnector.support.TopicProbe.Outgoing;
import io.github.ucconnector.support.TopicProbe.Position;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand hostile command records, and a hundred and more good ones among them, against one running connector:
 * every hostile record comes back unchanged as a dead letter with a failed event and never reaches UltraCart, every
 * good command succeeds, and the connector keeps consuming.
 */
class HostileInputTest {

    private static final long SEED = 20_240_611L;
    private static final int HOSTILE_RECORDS = 10_000;
    private static final int GOOD_COMMANDS = 150;
    private static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED = "ultracart.conversation.command.failed";

    /** A good command and what it should give. */
    private record Good(Setting topic, String commandId, String key, String value, String eventType, String method,
            String path, String query) {
    }

    @Test
    void tenThousandHostileRecordsAreDeadLetteredUnchangedWithoutAnyApiCallAndGoodCommandsStillSucceed() throws Exception {
        List<String> conversations = new ArrayList<>();
        try (LogCapture logs = LogCapture.start();
                RunningConnector connector = RunningConnector.start(Map.of(
                        Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "10000000",
                        Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY.property(), "10000000",
                        Setting.COMMAND_MAX_BYTES.property(), Integer.toString(MAX_BYTES)),
                        sandbox -> {
                            for (int n = 0; n < 30; n++) {
                                conversations.add(sandbox.openConversation("Customer " + n, "Hello " + n));
                            }
                        })) {
            TopicProbe kafka = connector.kafka();
            List<Hostile> hostile = new HostileCommands(SEED, MAX_BYTES).generate(HOSTILE_RECORDS);
            List<Good> good = goodCommands(conversations, GOOD_COMMANDS);

            // Good commands are spread evenly among the hostile records, all sent in one go.
            List<Outgoing> outgoing = new ArrayList<>();
            List<Object> sentOrder = new ArrayList<>();
            int every = HOSTILE_RECORDS / GOOD_COMMANDS;
            int nextGood = 0;
            for (Hostile record : hostile) {
                outgoing.add(new Outgoing(connector.topic(record.type().topic), record.key(), record.value()));
                sentOrder.add(record);
                if (record.index() % every == every - 1 && nextGood < good.size()) {
                    Good command = good.get(nextGood++);
                    outgoing.add(new Outgoing(connector.topic(command.topic()), bytes(command.key()), bytes(command.value())));
                    sentOrder.add(command);
                }
            }
            while (nextGood < good.size()) {
                Good command = good.get(nextGood++);
                outgoing.add(new Outgoing(connector.topic(command.topic()), bytes(command.key()), bytes(command.value())));
                sentOrder.add(command);
            }
            long start = System.nanoTime();
            List<Position> positions = kafka.sendAll(outgoing);
            Map<Position, Hostile> hostileAt = new LinkedHashMap<>();
            for (int n = 0; n < positions.size(); n++) {
                if (sentOrder.get(n) instanceof Hostile record) {
                    hostileAt.put(positions.get(n), record);
                }
            }
            List<String> commandTopics = Arrays.stream(Type.values()).map(type -> connector.topic(type.topic)).toList();
            kafka.awaitCommitted(connector.setting(Setting.KAFKA_GROUP_ID), commandTopics,
                    Duration.ofSeconds(90));
            long processedMs = (System.nanoTime() - start) / 1_000_000;

            // Still running and consuming: a command sent now is handled like any other.
            assertThat(connector.camelContext().getStatus()).isEqualTo(ServiceStatus.Started);
            assertThat(connector.camelContext().getRouteController().getRouteStatus("conversation-commands"))
                    .isEqualTo(ServiceStatus.Started);
            Good last = new Good(Setting.TOPIC_COMMAND_GET, "good-get-after-all", conversations.get(0),
                    Commands.get("good-get-after-all", conversations.get(0)).toJson(),
                    "ultracart.conversation.fetched", "GET", "/rest/v2/conversation/conversations/" + conversations.get(0), "");
            kafka.sendAll(List.of(new Outgoing(connector.topic(last.topic()), bytes(last.key()),
                    bytes(last.value()))));
            kafka.awaitCommitted(connector.setting(Setting.KAFKA_GROUP_ID), commandTopics,
                    Duration.ofSeconds(20));
            List<Good> allGood = new ArrayList<>(good);
            allGood.add(last);

            List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(connector.topic(Setting.TOPIC_DLQ));
            List<ConsumerRecord<byte[], byte[]>> events = kafka.readAll(connector.topic(Setting.TOPIC_EVENTS));
            List<ConsumerRecord<byte[], byte[]>> replies = kafka.readAll(connector.topic(Setting.TOPIC_REPLIES));
            List<RecordedRequest> calls = connector.sandbox().requests();
            System.out.printf("HostileInputTest: %d hostile %s + %d good records processed in %d ms%n", hostile.size(),
                    countByCategory(hostile), allGood.size(), processedMs);

            Problems problems = new Problems();
            checkDeadLetters(connector, hostileAt, deadLetters, problems);
            checkFailedEvents(hostileAt.values().size(), deadLetters, events, problems);
            checkGoodCommands(allGood, events, deadLetters, calls, problems);
            checkLogLines(logs.messages(), problems);
            if (!replies.isEmpty()) {
                problems.add("the reply topic has " + replies.size() + " records, but no upload-url or agent-auth command was valid");
            }
            problems.assertNone();
            assertThat(deadLetters).hasSize(HOSTILE_RECORDS);
            assertThat(calls).hasSize(allGood.size());
            assertThat(hostile).extracting(Hostile::category).containsAll(List.of(Category.values()));
        }
    }

    /**
     * Invalid UTF-8 that Jackson's byte parser lets through (found by the fuzzing above), which the connector must
     * reject itself. Each record is sent after a valid command, as in real traffic: the field names it spells are
     * then in the parser's name cache.
     */
    @Test
    void invalidUtf8ThatTheJsonParserDecodesLenientlyIsStillRejected() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of())) {
            String conversation = new SandboxAdmin(connector.sandbox()).openConversation("Ada", "Hello");
            connector.send(Setting.TOPIC_COMMAND_GET, null,
                    Commands.get("warm-up", conversation).withLimit(5).toJson(), Map.of());
            assertThat(header(connector.outcomeOf("warm-up"), "ce_type")).isEqualTo("ultracart.conversation.fetched");
            connector.sandbox().clearRequests();
            Map<String, byte[]> records = new LinkedHashMap<>();
            // 0xFF in a field name, where it pads the name's last 4-byte group: read as "command_id" / "limit".
            records.put("ff-in-name-agent-auth", latin1("{\"command_\u00ffid\":\"ff-in-name-agent-auth\"}"));
            records.put("ff-in-name-get", latin1("{\"command_id\":\"ff-in-name-get\",\"conversation_uuid\":\""
                    + conversation + "\",\"limi\u00fft\":5}"));
            // Overlong encodings of '/', a UTF-16 surrogate and a code point above U+10FFFF, inside strings.
            records.put("overlong-2", withBytes("{\"command_id\":\"overlong-2", 0xC0, 0xAF, "\"}"));
            records.put("overlong-3", withBytes("{\"command_id\":\"overlong-3", 0xE0, 0x80, 0xAF, "\"}"));
            records.put("surrogate", withBytes("{\"command_id\":\"surrogate", 0xED, 0xA0, 0x80, "\"}"));
            records.put("above-10ffff", withBytes("{\"command_id\":\"above-10ffff", 0xF4, 0x90, 0x80, 0x80, "\"}"));
            for (Map.Entry<String, byte[]> record : records.entrySet()) {
                Setting topic = record.getKey().equals("ff-in-name-get") ? Setting.TOPIC_COMMAND_GET
                        : Setting.TOPIC_COMMAND_AGENT_AUTH;
                connector.kafka().sendAll(List.of(new Outgoing(connector.topic(topic), null, record.getValue())));
            }
            connector.kafka().awaitCommitted(connector.setting(Setting.KAFKA_GROUP_ID),
                    List.of(connector.topic(Setting.TOPIC_COMMAND_GET), connector.topic(Setting.TOPIC_COMMAND_AGENT_AUTH)),
                    Duration.ofSeconds(20));

            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    connector.kafka().readAll(connector.topic(Setting.TOPIC_DLQ));
            Problems problems = new Problems();
            records.forEach((name, value) -> {
                if (deadLetters.stream().noneMatch(d -> Arrays.equals(d.value(), value)
                        && "invalid_command".equals(header(d, DeadLetters.CATEGORY)))) {
                    problems.add(name + " " + preview(value) + " was not dead-lettered as invalid_command");
                }
            });
            connector.sandbox().requests().forEach(call -> problems.add("API called for an invalid record: "
                    + call.method() + " " + call.path() + (call.query().isEmpty() ? "" : "?" + call.query())));
            connector.kafka().readAll(connector.topic(Setting.TOPIC_EVENTS))
                    .stream().filter(e -> !"warm-up".equals(header(e, "ce_correlationid"))
                            && !FAILED.equals(header(e, "ce_type")))
                    .forEach(e -> problems.add("success event " + header(e, "ce_type") + " for command id "
                            + HostileCommands.printable(String.valueOf(header(e, "ce_correlationid")))));
            problems.assertNone();

            // A schema-invalid join still names its conversation: its failure goes to the conversation's partition.
            connector.send(Setting.TOPIC_COMMAND_JOIN, null, "{\"command_id\":\"join-unknown-field\","
                    + "\"conversation_uuid\":\"" + conversation + "\",\"colour\":\"red\"}", Map.of());
            connector.send(Setting.TOPIC_COMMAND_JOIN, null, "{\"command_id\":\"join-bad-uuid\","
                    + "\"conversation_uuid\":\"../" + conversation + "\"}", Map.of());
            ConsumerRecord<byte[], byte[]> named = connector.outcomeOf("join-unknown-field");
            ConsumerRecord<byte[], byte[]> unnamed = connector.outcomeOf("join-bad-uuid");
            assertThat(List.of(header(named, "ce_type"), header(unnamed, "ce_type"))).containsOnly(FAILED);
            assertThat(text(named.key())).isEqualTo(conversation);
            assertThat(header(named, "ce_subject")).isEqualTo(conversation);
            assertThat(unnamed.key()).isNull();
            assertThat(header(unnamed, "ce_subject")).isNull();
        }
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] withBytes(String before, Object... rest) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.US_ASCII));
        for (Object part : rest) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /** Every hostile record: exactly one dead letter, key and value byte for byte, with an invalid_command reason. */
    private static void checkDeadLetters(RunningConnector connector, Map<Position, Hostile> hostileAt,
            List<ConsumerRecord<byte[], byte[]>> deadLetters, Problems problems) {
        Map<Position, List<ConsumerRecord<byte[], byte[]>>> byOrigin = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
            String topic = header(deadLetter, DeadLetters.ORIGINAL_TOPIC);
            String partition = header(deadLetter, DeadLetters.ORIGINAL_PARTITION);
            String offset = header(deadLetter, DeadLetters.ORIGINAL_OFFSET);
            if (topic == null || partition == null || offset == null) {
                problems.add("a dead letter without its origin headers: " + preview(deadLetter.value()));
                continue;
            }
            byOrigin.computeIfAbsent(new Position(topic, Integer.parseInt(partition), Long.parseLong(offset)),
                    p -> new ArrayList<>()).add(deadLetter);
        }
        Map<String, Type> typeByTopic = new HashMap<>();
        for (Type type : Type.values()) {
            typeByTopic.put(connector.topic(type.topic), type);
        }
        for (Map.Entry<Position, Hostile> entry : hostileAt.entrySet()) {
            Hostile record = entry.getValue();
            List<ConsumerRecord<byte[], byte[]>> found = byOrigin.getOrDefault(entry.getKey(), List.of());
            if (found.size() != 1) {
                problems.add(found.size() + " dead letters (expected 1) for " + record.describe());
                continue;
            }
            ConsumerRecord<byte[], byte[]> deadLetter = found.get(0);
            if (!Arrays.equals(deadLetter.value(), record.value())) {
                problems.add("dead letter value " + preview(deadLetter.value()) + " is not what was sent: " + record.describe());
            }
            if (!Arrays.equals(deadLetter.key(), record.key())) {
                problems.add("dead letter key " + preview(deadLetter.key()) + " is not what was sent: " + record.describe());
            }
            String category = header(deadLetter, DeadLetters.CATEGORY);
            if (!"invalid_command".equals(category)) {
                problems.add("dead letter category " + category + " for " + record.describe());
            }
            String reason = header(deadLetter, DeadLetters.EXCEPTION_MESSAGE);
            if (reason == null || reason.isBlank()) {
                problems.add("dead letter without a reason for " + record.describe());
            } else if (!isOneCleanLine(reason)) {
                problems.add("dead letter reason with control characters or over " + MAX_REASON + " characters: "
                        + HostileCommands.printable(reason) + " for " + record.describe());
            }
            if (!"VALUE_CONVERTER".equals(header(deadLetter, DeadLetters.STAGE))) {
                problems.add("dead letter stage " + header(deadLetter, DeadLetters.STAGE) + " for " + record.describe());
            }
            if (!record.type().id.equals(header(deadLetter, DeadLetters.COMMAND_TYPE))) {
                problems.add("dead letter command type " + header(deadLetter, DeadLetters.COMMAND_TYPE) + " for "
                        + record.describe());
            }
            if (typeByTopic.get(entry.getKey().topic()) != record.type()) {
                problems.add("test bookkeeping: " + entry.getKey() + " is not a " + record.type().id + " topic");
            }
            // README: the sender's command id whenever the record is an object with a valid one, else the position.
            String expectedId = HostileCommands.readableCommandId(record.value())
                    .orElse(entry.getKey().topic() + "-" + entry.getKey().partition() + "-" + entry.getKey().offset());
            String commandId = header(deadLetter, DeadLetters.COMMAND_ID);
            if (!expectedId.equals(commandId)) {
                problems.add("dead letter command id " + HostileCommands.printable(String.valueOf(commandId))
                        + " instead of " + HostileCommands.printable(expectedId) + " for " + record.describe());
            }
        }
        long withSenderId = hostileAt.values().stream()
                .filter(record -> HostileCommands.readableCommandId(record.value()).isPresent()).count();
        if (withSenderId < hostileAt.size() / 4) {
            problems.add("test bookkeeping: only " + withSenderId + " hostile records carry a readable command id");
        }
        byOrigin.keySet().stream().filter(origin -> !hostileAt.containsKey(origin)).limit(20).forEach(origin ->
                problems.add("a dead letter for a record that was not hostile: " + origin + " "
                        + preview(byOrigin.get(origin).get(0).value()) + " reason: "
                        + header(byOrigin.get(origin).get(0), DeadLetters.EXCEPTION_MESSAGE)));
    }

    /**
     * What a hostile record makes the connector log stays one bounded line: no line breaks or terminal escapes from
     * the record can forge log lines, and a 10,000-character value is not echoed.
     */
    private static void checkLogLines(List<String> messages, Problems problems) {
        List<String> failures = messages.stream().filter(m -> m.contains("failed after")).toList();
        if (failures.size() < HOSTILE_RECORDS) {
            problems.add("only " + failures.size() + " 'failed after' log lines for " + HOSTILE_RECORDS + " hostile records");
        }
        failures.stream().filter(m -> !isOneCleanLine(m)).limit(20).forEach(m ->
                problems.add("a log line with control characters or over " + MAX_REASON + " characters: "
                        + HostileCommands.printable(m)));
    }

    private static final int MAX_REASON = 2000;

    private static boolean isOneCleanLine(String text) {
        return text.length() <= MAX_REASON && text.chars().noneMatch(Character::isISOControl);
    }

    /** Every dead letter has exactly one failed event with the same command id, category invalid_command. */
    private static void checkFailedEvents(int hostileCount, List<ConsumerRecord<byte[], byte[]>> deadLetters,
            List<ConsumerRecord<byte[], byte[]>> events, Problems problems) throws Exception {
        Map<String, Long> deadLettersById = deadLetters.stream().map(r -> String.valueOf(header(r, DeadLetters.COMMAND_ID)))
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        Map<String, List<ConsumerRecord<byte[], byte[]>>> failedById = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> event : events) {
            if (FAILED.equals(header(event, "ce_type"))) {
                failedById.computeIfAbsent(String.valueOf(header(event, "ce_correlationid")), id -> new ArrayList<>()).add(event);
            }
        }
        int failedEvents = failedById.values().stream().mapToInt(List::size).sum();
        if (failedEvents != hostileCount) {
            problems.add(failedEvents + " failed events for " + hostileCount + " hostile records");
        }
        for (Map.Entry<String, Long> entry : deadLettersById.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> failed = failedById.getOrDefault(entry.getKey(), List.of());
            if (failed.size() != entry.getValue()) {
                problems.add(failed.size() + " failed events for command id " + entry.getKey() + " with "
                        + entry.getValue() + " dead letter(s)");
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> event : failed) {
                JsonNode data = JSON.readTree(event.value());
                if (!entry.getKey().equals(data.path("command_id").asText())) {
                    problems.add("failed event correlated with " + entry.getKey() + " names command id "
                            + data.path("command_id"));
                }
                if (!"invalid_command".equals(data.path("category").asText())
                        || data.path("reason").asText().isBlank() || !isOneCleanLine(data.path("reason").asText())
                        || data.has("http_status")) {
                    problems.add("failed event of " + entry.getKey() + " is not an invalid_command failure: " + data);
                }
            }
        }
    }

    /** Every good command: its success event, no dead letter, and exactly its own API call. */
    private static void checkGoodCommands(List<Good> good, List<ConsumerRecord<byte[], byte[]>> events,
            List<ConsumerRecord<byte[], byte[]>> deadLetters, List<RecordedRequest> calls, Problems problems) {
        Map<String, List<String>> eventTypesById = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> event : events) {
            eventTypesById.computeIfAbsent(String.valueOf(header(event, "ce_correlationid")), id -> new ArrayList<>())
                    .add(header(event, "ce_type"));
        }
        for (Good command : good) {
            List<String> types = eventTypesById.getOrDefault(command.commandId(), List.of());
            if (!types.equals(List.of(command.eventType()))) {
                problems.add("good command " + command.commandId() + " (" + command.value() + ") got events " + types);
            }
        }
        deadLetters.stream().filter(r -> String.valueOf(header(r, DeadLetters.COMMAND_ID)).startsWith("good-"))
                .forEach(r -> problems.add("good command dead-lettered: " + text(r.value())));

        // The API saw the good commands and nothing else.
        Map<String, Long> expected = good.stream().collect(Collectors.groupingBy(
                g -> g.method() + " " + g.path() + "?" + g.query(), Collectors.counting()));
        Map<String, Long> actual = calls.stream().collect(Collectors.groupingBy(
                c -> c.method() + " " + c.path() + "?" + c.query(), Collectors.counting()));
        if (!expected.equals(actual)) {
            Map<String, Long> unexpected = new LinkedHashMap<>(actual);
            expected.forEach((call, count) -> unexpected.merge(call, -count, Long::sum));
            unexpected.values().removeIf(count -> count == 0);
            problems.add("API calls differ from the good commands' calls (positive: extra calls, negative: missing): "
                    + unexpected);
        }
        calls.stream().filter(call -> call.status() / 100 != 2).forEach(call ->
                problems.add("API call answered " + call.status() + ": " + call.method() + " " + call.path()));
    }

    private static List<Good> goodCommands(List<String> conversations, int count) {
        Random random = new Random(SEED + 1);
        List<Good> good = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String conversation = conversations.get(random.nextInt(conversations.size()));
            switch (n % 3) {
                case 0 -> {
                    String id = "good-start-" + n;
                    good.add(new Good(Setting.TOPIC_COMMAND_START, id, null,
                            Commands.start(id).withParticipants("arn:good:" + n).toJson(),
                            "ultracart.conversation.started", "PUT", "/rest/v2/conversation/conversations", ""));
                }
                case 1 -> {
                    String id = "good-leave-" + n;
                    good.add(new Good(Setting.TOPIC_COMMAND_LEAVE, id, conversation,
                            Commands.leave(id, conversation).toJson(), "ultracart.conversation.left", "DELETE",
                            "/rest/v2/conversation/conversations/" + conversation + "/leave", ""));
                }
                default -> {
                    String id = "good-get-" + n;
                    int limit = 1 + random.nextInt(20);
                    good.add(new Good(Setting.TOPIC_COMMAND_GET, id, conversation,
                            Commands.get(id, conversation).withLimit(limit).toJson(),
                            "ultracart.conversation.fetched", "GET", "/rest/v2/conversation/conversations/" + conversation,
                            "limit=" + limit));
                }
            }
        }
        return good;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Collects every violation, so one run shows all of them (the first ones in full). */
    static final class Problems {
        private final List<String> found = new ArrayList<>();

        void add(String problem) {
            found.add(problem);
        }

        void assertNone() {
            if (!found.isEmpty()) {
                throw new AssertionError(found.size() + " problem(s), the first ones:\n  "
                        + String.join("\n  ", found.subList(0, Math.min(40, found.size()))));
            }
        }
    }

    private static Map<Category, Integer> countByCategory(List<Hostile> records) {
        Map<Category, Integer> counts = new EnumMap<>(Category.class);
        records.forEach(r -> counts.merge(r.category(), 1, Integer::sum));
        return counts;
    }
}
