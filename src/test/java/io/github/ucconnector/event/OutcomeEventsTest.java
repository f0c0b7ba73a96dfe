package io.github.ucconnector.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.Failure;
import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import org.junit.jupiter.api.Test;

/** The outcome event of a command, from its flow: keyed by conversation, correlated to the command. */
class OutcomeEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutcomeEvents events = new OutcomeEvents(new CloudEventFactory(URI.create("/test"),
            UltraCartJson.mapper(), Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC)));

    @Test
    void aJoinedConversationIsTheKeyAndTheSubject() throws Exception {
        CommandFlow flow = flow(CommandType.JOIN, "join-1");
        Command join = new Command.Join("join-1", "u-1", new ConversationJoinRequest("de"));
        flow.read(join);
        flow.succeeded(join.outcome(new UltraCartResponses(UltraCartJson.mapper()), ""));

        EventRecord event = events.succeeded(flow);

        assertThat(event.key()).isEqualTo("u-1");
        assertThat(event.headers()).containsEntry("ce_id", OutcomeEvents.eventId("join-1"))
                .containsEntry("ce_type", "ultracart.conversation.joined").containsEntry("ce_subject", "u-1")
                .containsEntry("ce_correlationid", "join-1").containsEntry("ce_time", "2026-01-02T03:04:05Z");
        assertThat(JSON.readTree(event.value())).isEqualTo(JSON.readTree(
                "{\"conversation_uuid\":\"u-1\",\"participant_language_iso_code\":\"de\"}"));
    }

    @Test
    void aRejectedCommandFailsUnderTheIdItDeclaredWithoutAKey() throws Exception {
        CommandFlow flow = flow(CommandType.GET, "commands-0-7");
        flow.identifiedAs("get-7");
        flow.failed(new Failure(FailureCategory.INVALID_COMMAND, null, null, null, "limit must be a whole number"));

        EventRecord event = events.failed(flow);

        assertThat(event.key()).isNull();
        assertThat(event.headers()).containsEntry("ce_id", OutcomeEvents.eventId("get-7"))
                .containsEntry("ce_type", OutcomeEvents.COMMAND_FAILED).doesNotContainKey("ce_subject");
        assertThat(JSON.readTree(event.value())).isEqualTo(JSON.readTree("""
                {"command_type":"get","command_id":"get-7","category":"invalid_command",
                 "reason":"limit must be a whole number","attempts":1}"""));
    }

    @Test
    void aRejectedCommandThatNamesAValidConversationIsKeyedByIt() throws Exception {
        CommandFlow flow = flow(CommandType.JOIN, "commands-0-8");
        flow.identifiedAs("join-8");
        flow.concerns("7d3c6a4e-1b2f");
        flow.failed(new Failure(FailureCategory.INVALID_COMMAND, null, null, null, "unknown field 'colour'"));

        EventRecord event = events.failed(flow);

        // On the conversation's partition, behind its other events.
        assertThat(event.key()).isEqualTo("7d3c6a4e-1b2f");
        assertThat(event.headers()).containsEntry("ce_subject", "7d3c6a4e-1b2f")
                .containsEntry("ce_correlationid", "join-8");
        assertThat(JSON.readTree(event.value()).path("conversation_uuid").asText()).isEqualTo("7d3c6a4e-1b2f");
    }

    @Test
    void aFailedCallCountsItsAttemptsAndNamesItsConversation() throws Exception {
        CommandFlow flow = flow(CommandType.LEAVE, "leave-1");
        flow.read(new Command.Leave("leave-1", "u-2"));
        flow.retrying();
        flow.retrying();
        flow.failed(new Failure(FailureCategory.SERVER_ERROR, 503, "busy", null, "UltraCart answered HTTP 503: busy"));

        EventRecord event = events.failed(flow);

        assertThat(event.key()).isEqualTo("u-2");
        assertThat(JSON.readTree(event.value()).path("attempts").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(event.value()).path("http_status").asInt()).isEqualTo(503);
        assertThat(JSON.readTree(event.value()).path("uc_rest_error").asText()).isEqualTo("busy");
    }

    @Test
    void aRedrivenCommandFailsUnderAnIdOfItsOwnRedrive() {
        CommandFlow flow = flow(CommandType.LEAVE, "leave-1", Map.of(ReceivedRecord.REDRIVE_COUNT, bytes("2")));
        flow.read(new Command.Leave("leave-1", "u-2"));
        flow.failed(new Failure(FailureCategory.SERVER_ERROR, 503, "busy", null, "UltraCart answered HTTP 503: busy"));

        EventRecord event = events.failed(flow);

        assertThat(event.headers()).containsEntry("ce_id", OutcomeEvents.eventId("leave-1", 2))
                .containsEntry("ce_correlationid", "leave-1");
    }

    @Test
    void eachRedriveOfACommandHasItsOwnIdsAndADeliveryOfItTheSame() {
        assertThat(OutcomeEvents.eventId("c-1", 0)).isEqualTo(OutcomeEvents.eventId("c-1"));
        assertThat(OutcomeEvents.eventId("c-1", 1)).isEqualTo(OutcomeEvents.eventId("c-1", 1))
                .isNotEqualTo(OutcomeEvents.eventId("c-1"))
                .isNotEqualTo(OutcomeEvents.eventId("c-1", 2))
                .isNotEqualTo(OutcomeEvents.replyId("c-1", 1));
        assertThat(OutcomeEvents.replyId("c-1", 0)).isEqualTo(OutcomeEvents.replyId("c-1"));
        assertThat(OutcomeEvents.replyId("c-1", 1)).isEqualTo(OutcomeEvents.replyId("c-1", 1))
                .isNotEqualTo(OutcomeEvents.replyId("c-1"));
    }

    @Test
    void aRedriveCountThatNoRedriveWroteCountsAsNone() {
        assertThat(flow(CommandType.GET, "g", Map.of(ReceivedRecord.REDRIVE_COUNT, bytes("x"))).record()
                .redriveCount()).isZero();
        assertThat(flow(CommandType.GET, "g", Map.of(ReceivedRecord.REDRIVE_COUNT, bytes("-3"))).record()
                .redriveCount()).isZero();
        assertThat(flow(CommandType.GET, "g", Map.of(ReceivedRecord.REDRIVE_COUNT, bytes(" 4 "))).record()
                .redriveCount()).isEqualTo(4);
    }

    private static CommandFlow flow(CommandType type, String fallbackId) {
        return flow(type, fallbackId, Map.of());
    }

    private static CommandFlow flow(CommandType type, String fallbackId, Map<String, Object> headers) {
        return new CommandFlow(new ReceivedRecord("commands", 0, 7, null, new byte[0], headers), null, false, type,
                fallbackId);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
