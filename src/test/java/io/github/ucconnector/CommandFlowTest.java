package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands in, API calls at the sandbox, events and dead letters out: what a user of the connector sees. */
class CommandFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningConnector connector;

    @BeforeAll
    static void startConnector() throws Exception {
        connector = RunningConnector.start(Map.of());
    }

    @AfterAll
    static void stopConnector() {
        connector.close();
    }

    @Test
    void startCommandCallsStartConversationAndPublishesTheStartedConversation() throws Exception {
        String commandId = "start-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_START, "customer-7",
                Commands.start(commandId).withParticipants("arn:customer:7").toJson(),
                Map.of("trace-id", "t-1"));

        ConsumerRecord<byte[], byte[]> event = connector.outcomeOf(commandId);

        RecordedRequest call = onlyCallFor("PUT", "/rest/v2/conversation/conversations");
        assertThat(call.headers()).containsEntry("x-ultracart-simple-key", "****")
                .containsEntry("x-ultracart-api-version", "2017-03-01")
                .doesNotContainKey("trace-id");
        assertThat(call.headers().get("content-type")).startsWith("application/json");
        assertThat(JSON.readTree(call.body())).isEqualTo(JSON.readTree(
                "{\"add_conversation_participant_arns\":[\"arn:customer:7\"]}"));

        JsonNode data = JSON.readTree(event.value());
        String conversationUuid = data.path("conversation_uuid").asText();
        assertThat(conversationUuid).isNotBlank();
        assertThat(data.path("participants").findValuesAsText("conversation_participant_arn")).contains("arn:customer:7");
        assertThat(text(event.key())).isEqualTo(conversationUuid);
        assertThat(header(event, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(event, "ce_id")).isEqualTo(OutcomeEvents.eventId(commandId));
        assertThat(header(event, "ce_source")).isEqualTo("/ultracart-conversation-connector");
        assertThat(header(event, "ce_type")).isEqualTo("ultracart.conversation.started");
        assertThat(header(event, "ce_subject")).isEqualTo(conversationUuid);
        assertThat(header(event, "content-type")).isEqualTo("application/json");
        assertThat(OffsetDateTime.parse(header(event, "ce_time"))).isBefore(OffsetDateTime.now().plusSeconds(1));
        assertThat(event.headers().toArray()).extracting(h -> h.key())
                .containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                        "ce_correlationid", "content-type");
    }

    @Test
    void joinAndLeaveCallTheirOperationsAndPublishJoinedAndLeft() throws Exception {
        String conversationUuid = startConversation();

        String joinId = "join-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_JOIN, conversationUuid,
                Commands.join(joinId, conversationUuid).withLanguage("es").toJson(), Map.of());
        ConsumerRecord<byte[], byte[]> joined = connector.outcomeOf(joinId);

        RecordedRequest join = onlyCallFor("PUT", "/rest/v2/conversation/conversations/" + conversationUuid + "/join");
        assertThat(JSON.readTree(join.body())).isEqualTo(JSON.readTree("{\"participant_language_iso_code\":\"es\"}"));
        assertThat(header(joined, "ce_type")).isEqualTo("ultracart.conversation.joined");
        assertThat(header(joined, "ce_subject")).isEqualTo(conversationUuid);
        assertThat(text(joined.key())).isEqualTo(conversationUuid);
        assertThat(JSON.readTree(joined.value())).isEqualTo(JSON.readTree("{\"conversation_uuid\":\"" + conversationUuid
                + "\",\"participant_language_iso_code\":\"es\"}"));

        String leaveId = "leave-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_LEAVE, conversationUuid,
                Commands.leave(leaveId, conversationUuid).toJson(), Map.of());
        ConsumerRecord<byte[], byte[]> left = connector.outcomeOf(leaveId);

        RecordedRequest leave = onlyCallFor("DELETE", "/rest/v2/conversation/conversations/" + conversationUuid + "/leave");
        assertThat(leave.body()).isEmpty();
        assertThat(header(left, "ce_type")).isEqualTo("ultracart.conversation.left");
        assertThat(header(left, "ce_id")).isEqualTo(OutcomeEvents.eventId(leaveId));
        assertThat(JSON.readTree(left.value())).isEqualTo(JSON.readTree("{\"conversation_uuid\":\"" + conversationUuid + "\"}"));
    }

    @Test
    void apiErrorGivesAFailedEventAndADeadLetterAndTheRouteGoesOn() throws Exception {
        String commandId = "join-unknown-" + UUID.randomUUID();
        String value = Commands.join(commandId, "no-such-conversation").toJson();
        connector.send(Setting.TOPIC_COMMAND_JOIN, "my-key", value, Map.of("trace-id", "t-2"));

        ConsumerRecord<byte[], byte[]> failed = connector.outcomeOf(commandId);
        assertThat(header(failed, "ce_type")).isEqualTo("ultracart.conversation.command.failed");
        assertThat(header(failed, "ce_subject")).isEqualTo("no-such-conversation");
        JsonNode data = JSON.readTree(failed.value());
        assertThat(data.path("command_type").asText()).isEqualTo("join");
        assertThat(data.path("http_status").asInt()).isEqualTo(400);
        assertThat(data.path("category").asText()).isEqualTo("bad_request");
        assertThat(data.path("uc_rest_error").asText()).isNotBlank();
        assertThat(data.path("attempts").asInt()).isEqualTo(1);
        assertThat(connector.sandbox().requests()).filteredOn(r -> r.path().contains("no-such-conversation")).hasSize(1);

        ConsumerRecord<byte[], byte[]> deadLetter = connector.deadLetterOf(commandId);
        assertThat(text(deadLetter.key())).isEqualTo("my-key");
        assertThat(text(deadLetter.value())).isEqualTo(value);
        assertThat(header(deadLetter, "trace-id")).isEqualTo("t-2");
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(connector.topic(Setting.TOPIC_COMMAND_JOIN));
        assertThat(header(deadLetter, DeadLetters.HTTP_STATUS)).isEqualTo("400");
        assertThat(header(deadLetter, DeadLetters.CATEGORY)).isEqualTo("bad_request");
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_MESSAGE)).startsWith("UltraCart answered HTTP 400");
        assertThat(header(deadLetter, DeadLetters.COMMAND_TYPE)).isEqualTo("join");

        startConversation();
    }

    @Test
    void invalidCommandIsDeadLetteredWithoutAnApiCallAndTheRouteGoesOn() throws Exception {
        int callsBefore = connector.sandbox().requests().size();
        String ceId = "ce-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_LEAVE, null, "{\"conversation_uuid\":\"../../admin\"}",
                Map.of("ce_id", ceId));

        ConsumerRecord<byte[], byte[]> failed = connector.outcomeOf(ceId);
        JsonNode data = JSON.readTree(failed.value());
        assertThat(data.path("category").asText()).isEqualTo("invalid_command");
        assertThat(data.path("reason").asText()).contains("is not a conversation id");
        assertThat(data.has("http_status")).isFalse();
        assertThat(failed.key()).isNull();

        ConsumerRecord<byte[], byte[]> deadLetter = connector.deadLetterOf(ceId);
        assertThat(text(deadLetter.value())).isEqualTo("{\"conversation_uuid\":\"../../admin\"}");
        assertThat(header(deadLetter, "ce_id")).isEqualTo(ceId);
        assertThat(header(deadLetter, DeadLetters.CATEGORY)).isEqualTo("invalid_command");
        assertThat(header(deadLetter, DeadLetters.STAGE)).isEqualTo("VALUE_CONVERTER");
        assertThat(header(deadLetter, DeadLetters.HTTP_STATUS)).isNull();

        startConversation();
        assertThat(connector.sandbox().requests().subList(callsBefore, connector.sandbox().requests().size()))
                .extracting(RecordedRequest::path).doesNotContain("/rest/v2/conversation/conversations/../../admin/leave");
    }

    @Test
    void malformedJsonWithoutAnyIdGetsAnIdFromItsPositionOnKafka() throws Exception {
        String topic = connector.topic(Setting.TOPIC_COMMAND_START);
        connector.send(Setting.TOPIC_COMMAND_START, null, "{not json", Map.of());

        ConsumerRecord<byte[], byte[]> deadLetter = connector.only("dead letter", Setting.TOPIC_DLQ,
                r -> "{not json".equals(text(r.value())));
        String commandId = header(deadLetter, DeadLetters.COMMAND_ID);
        assertThat(commandId).isEqualTo(topic + "-0-" + header(deadLetter, DeadLetters.ORIGINAL_OFFSET));
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_MESSAGE)).startsWith("the record value is not valid JSON");
        assertThat(header(connector.outcomeOf(commandId), "ce_type")).isEqualTo("ultracart.conversation.command.failed");
    }

    private static String startConversation() throws Exception {
        String commandId = "start-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandId).toJson(), Map.of());
        ConsumerRecord<byte[], byte[]> started = connector.outcomeOf(commandId);
        assertThat(header(started, "ce_type")).isEqualTo("ultracart.conversation.started");
        return text(started.key());
    }

    private static RecordedRequest onlyCallFor(String method, String path) {
        List<RecordedRequest> calls = connector.sandbox().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
        assertThat(calls).as("%s %s", method, path).isNotEmpty();
        return calls.get(calls.size() - 1);
    }
}
