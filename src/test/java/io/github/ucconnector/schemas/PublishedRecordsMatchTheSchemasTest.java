package io.github.ucconnector.schemas;

import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Runs the connector against the real broker and sandbox, makes it publish every kind of record it can (each
 * command type, succeeding and failing, and the poller's summaries and change events), then validates every
 * record on the events, replies, summaries, dead-letter and ledger topics against what {@code docs/asyncapi.yaml}
 * names for its channel and message: key, headers and payload.
 */
class PublishedRecordsMatchTheSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRecordTheConnectorPublishesMatchesTheDocumentedSchemas() throws Exception {
        AsyncApiDocument doc = AsyncApiDocument.load();
        try (RunningConnector connector = RunningConnector.start(Map.of(Setting.POLL_ENABLED.property(), "true"))) {
            SandboxAdmin sandbox = new SandboxAdmin(connector.sandbox());
            String uuid = sandbox.openConversation("Ada", "Hello, I need help");
            awaitChange(connector, uuid, ChangeEvents.CREATED);
            sandbox.addCustomerMessage(uuid, "Where is my order?");
            // The message the conversation was opened with, and this one.
            awaitChange(connector, uuid, ChangeEvents.MESSAGE_RECEIVED, 2);

            send(connector, Setting.TOPIC_COMMAND_START, null,
                    Commands.start("s-ok").withParticipants("arn:x").toJson());
            send(connector, Setting.TOPIC_COMMAND_JOIN, uuid, Commands.join("j-ok", uuid).withLanguage("en").toJson());
            connector.outcomeOf("j-ok");
            // The customer, when the conversation was first seen, and the agent.
            awaitChange(connector, uuid, ChangeEvents.PARTICIPANT_JOINED, 2);
            send(connector, Setting.TOPIC_COMMAND_GET, uuid, Commands.get("g-ok", uuid).withLimit(5).toJson());
            send(connector, Setting.TOPIC_COMMAND_UPLOAD_URL, null, Commands.uploadUrl("u-ok", "jpg").toJson());
            send(connector, Setting.TOPIC_COMMAND_AGENT_AUTH, null, Commands.agentAuth("a-ok").toJson());
            send(connector, Setting.TOPIC_COMMAND_LEAVE, uuid, Commands.leave("l-ok", uuid).toJson());
            // Failing ones: invalid (rejected by the schemas) and refused by UltraCart.
            send(connector, Setting.TOPIC_COMMAND_LEAVE, null, "{\"conversation_uuid\":\"../../admin\"}");
            send(connector, Setting.TOPIC_COMMAND_START, "k", "{\"force\":true}");
            send(connector, Setting.TOPIC_COMMAND_UPLOAD_URL, null, "{\"extension\":\".jpg\"}");
            send(connector, Setting.TOPIC_COMMAND_AGENT_AUTH, null, "not json");
            send(connector, Setting.TOPIC_COMMAND_GET, "no-such",
                    Commands.get("g-missing", "no-such-conversation").toJson());
            send(connector, Setting.TOPIC_COMMAND_JOIN, "no-such",
                    Commands.join("j-missing", "no-such-conversation").toJson());
            // An invalid command's id is its position on Kafka: its command_id was never read.
            for (String commandId : List.of("s-ok", "g-ok", "u-ok", "a-ok", "l-ok", "g-missing", "j-missing")) {
                connector.outcomeOf(commandId);
            }
            awaitChange(connector, uuid, ChangeEvents.PARTICIPANT_LEFT);
            sandbox.close(uuid);
            awaitChange(connector, uuid, ChangeEvents.CLOSED);

            List<String> problems = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            check(doc, connector, Setting.TOPIC_EVENTS, 12, problems, seen);
            check(doc, connector, Setting.TOPIC_REPLIES, 2, problems, seen);
            check(doc, connector, Setting.TOPIC_SUMMARIES, 5, problems, seen);
            check(doc, connector, Setting.TOPIC_DLQ, 6, problems, seen);
            check(doc, connector, Setting.TOPIC_LEDGER, 4, problems, seen);

            assertThat(problems).isEmpty();
            assertThat(seen).contains("ultracart.conversation.started", "ultracart.conversation.joined",
                    "ultracart.conversation.left", "ultracart.conversation.fetched",
                    "ultracart.conversation.upload-url.created", "ultracart.conversation.agent.authorized",
                    "ultracart.conversation.command.failed", ChangeEvents.CREATED, ChangeEvents.MESSAGE_RECEIVED,
                    ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT, ChangeEvents.CLOSED,
                    "ultracart.conversation.upload-url.reply", "ultracart.conversation.agent-auth.reply",
                    "conversation-summary", "dead-letter", "ledger-entry");
        }
    }

    /** Reads at least {@code atLeast} records of the topic and validates each against its documented message. */
    private static void check(AsyncApiDocument doc, RunningConnector connector, Setting topic, int atLeast,
            List<String> problems, Set<String> seen) throws IOException {
        JsonNode channel = doc.channelOf(topic.environmentVariable());
        List<JsonNode> messages = doc.messages(channel);
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicProbe probe = new TopicProbe(connector.setting(Setting.KAFKA_BOOTSTRAP_SERVERS))) {
            // Everything on the topic: the poller may have published more than the test awaited.
            records = probe.await(connector.topic(topic), r -> true, Integer.MAX_VALUE, Duration.ofSeconds(3));
        }
        assertThat(records).as(topic.name()).hasSizeGreaterThanOrEqualTo(atLeast);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String where = topic.name() + " offset " + record.offset();
            String ceType = header(record, "ce_type");
            JsonNode message;
            if (messages.size() == 1) {
                message = messages.get(0);
            } else {
                message = doc.message(channel, String.valueOf(ceType)).orElse(null);
                if (message == null) {
                    problems.add(where + ": no message named " + ceType + " in the channel");
                    continue;
                }
            }
            seen.add(message.path("name").asText());
            report(problems, where + " key", doc.violations(message.at("/bindings/kafka/key"), key(record)));
            if (message.has("headers")) {
                report(problems, where + " headers", doc.violations(message.get("headers"), headers(record)));
            }
            if (message.path("contentType").asText("application/json").equals("application/json")) {
                report(problems, where + " payload", doc.violations(message.get("payload"), JSON.readTree(record.value())));
            }
        }
    }

    private static JsonNode key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(text(record.key()));
    }

    private static ObjectNode headers(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode headers = JSON.createObjectNode();
        for (Header header : record.headers()) {
            headers.put(header.key(), text(header.value()));
        }
        return headers;
    }

    private static void report(List<String> problems, String where, List<String> violations) {
        violations.forEach(violation -> problems.add(where + ": " + violation));
    }

    private static void send(RunningConnector connector, Setting topic, String key, String value) {
        connector.send(topic, key, value, Map.of());
    }

    private static void awaitChange(RunningConnector connector, String uuid, String type) {
        awaitChange(connector, uuid, type, 1);
    }

    private static void awaitChange(RunningConnector connector, String uuid, String type, int count) {
        connector.only(type, Setting.TOPIC_EVENTS, r -> uuid.equals(header(r, "ce_subject")) && type.equals(header(r, "ce_type")), count);
    }
}
