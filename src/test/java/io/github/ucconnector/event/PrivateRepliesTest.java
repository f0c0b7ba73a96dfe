package io.github.ucconnector.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationAgentAuthMerchant;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;
import io.github.ucconnector.api.model.ConversationTwilioAccount;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.ReceivedRecord;
import org.junit.jupiter.api.Test;

/** The private reply carries the full result; the outcome event built from the same command carries no secret. */
class PrivateRepliesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UltraCartResponses RESPONSES = new UltraCartResponses(UltraCartJson.mapper());

    private final OutcomeEvents events = new OutcomeEvents(new CloudEventFactory(URI.create("/test"),
            UltraCartJson.mapper(), Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC)));
    private final PrivateReplies replies = new PrivateReplies(events);

    private static final ConversationAgentAuth AUTH = new ConversationAgentAuth(true, false, "arn:agent", "Agent", true,
            "+1555", List.of(1), "JWT-SECRET", "DEMO", List.of(new ConversationAgentAuthMerchant("Demo", true, "DEMO")),
            "DEMO", false, "PBX-JWT-SECRET", true, true, "VOICE-IDENTITY", "VOICE-TOKEN-SECRET", "WORKER-TOKEN-SECRET",
            "WORKER-TOKEN-V2-SECRET", List.of(new ConversationTwilioAccount("DEMO", List.of("+1555"))), 1001,
            "wss://socket.example/SECRET-PATH");

    /** @param answer what UltraCart answered, or {@code null} when the test needs no outcome */
    private static CommandFlow flow(Command command, Map<String, Object> answer) throws Exception {
        return flow(command, answer, Map.of());
    }

    private static CommandFlow flow(Command command, Map<String, Object> answer, Map<String, Object> headers)
            throws Exception {
        CommandFlow flow = new CommandFlow(new ReceivedRecord("commands", 0, 0, null, new byte[0], headers), null,
                true, command.type(), command.commandId());
        flow.read(command);
        if (answer != null) {
            flow.succeeded(command.outcome(RESPONSES, UltraCartJson.mapper().writeValueAsString(answer)));
        }
        return flow;
    }

    @Test
    void agentAuthReplyHoldsEverythingAndTheOutcomeOnlyTheIdentity() throws Exception {
        CommandFlow flow = flow(new Command.AgentAuth("cmd-1"), Map.of("agent_auth", AUTH));

        assertThat(replies.expected(flow)).isTrue();
        EventRecord reply = replies.build(flow);
        assertThat(reply.key()).isEqualTo("cmd-1");
        assertThat(reply.headers().get("ce_id")).isEqualTo(OutcomeEvents.replyId("cmd-1"));
        assertThat(reply.headers().get("ce_type")).isEqualTo("ultracart.conversation.agent-auth.reply");
        assertThat(reply.headers().get("ce_correlationid")).isEqualTo("cmd-1");
        assertThat(reply.headers().get("ce_subject")).isNull();
        assertThat(JSON.readTree(reply.value()))
                .isEqualTo(JSON.readTree(UltraCartJson.mapper().writeValueAsString(AUTH)));

        EventRecord event = events.succeeded(flow);
        String outcome = event.value();
        assertThat(event.headers().get("ce_id")).isEqualTo(OutcomeEvents.eventId("cmd-1"));
        assertThat(event.headers().get("ce_type")).isEqualTo("ultracart.conversation.agent.authorized");
        assertThat(event.key()).isNull();
        assertThat(JSON.readTree(outcome)).isEqualTo(JSON.readTree("""
                {"conversation_participant_arn":"arn:agent","conversation_participant_name":"Agent","merchant_id":"DEMO",
                 "user_id":1001,"chat_admin":true,"chat_user":false,"pbx_admin":false,"pbx_supervisor":true,
                 "pbx_user":true}"""));
        String everything = outcome + event.headers();
        assertThat(everything).doesNotContain("SECRET", "VOICE", "socket.example");
    }

    @Test
    void uploadUrlOutcomeHoldsTheKeyOnly() throws Exception {
        ConversationMultimediaUploadUrl upload = new ConversationMultimediaUploadUrl("up/1.jpg",
                "https://s3.example/up/1.jpg?X-Amz-Signature=SECRET");
        CommandFlow flow = flow(new Command.UploadUrl("cmd-2", "jpg"), Map.of("conversation_multimedia_upload_url", upload));

        EventRecord reply = replies.build(flow);
        assertThat(JSON.readTree(reply.value()))
                .isEqualTo(JSON.readTree("{\"key\":\"up/1.jpg\",\"url\":\"https://s3.example/up/1.jpg?X-Amz-Signature=SECRET\"}"));
        assertThat(reply.headers().get("ce_type")).isEqualTo("ultracart.conversation.upload-url.reply");

        EventRecord event = events.succeeded(flow);
        assertThat(event.headers().get("ce_type")).isEqualTo("ultracart.conversation.upload-url.created");
        assertThat(JSON.readTree(event.value())).isEqualTo(JSON.readTree("{\"key\":\"up/1.jpg\"}"));
        assertThat(event.headers().toString()).doesNotContain("SECRET");
    }

    @Test
    void aRedrivenCommandsReplyAndOutcomeHaveTheIdsOfItsRedrive() throws Exception {
        CommandFlow flow = flow(new Command.UploadUrl("cmd-3", "png"), Map.of("conversation_multimedia_upload_url",
                new ConversationMultimediaUploadUrl("up/3.png", "https://s3.example/up/3.png")),
                Map.of(ReceivedRecord.REDRIVE_COUNT, "1".getBytes(StandardCharsets.UTF_8)));

        assertThat(replies.build(flow).headers().get("ce_id")).isEqualTo(OutcomeEvents.replyId("cmd-3", 1));
        assertThat(events.succeeded(flow).headers().get("ce_id")).isEqualTo(OutcomeEvents.eventId("cmd-3", 1));
    }

    @Test
    void otherCommandsHaveNoReply() throws Exception {
        assertThat(replies.expected(flow(new Command.Get("c", "u", null), null))).isFalse();
        assertThat(replies.expected(flow(new Command.Leave("c", "u"), null))).isFalse();
    }

    @Test
    void replyIdsDifferFromEveryOutcomeIdAndRepeatForTheSameCommand() {
        assertThat(OutcomeEvents.replyId("a")).isEqualTo(OutcomeEvents.replyId("a"))
                .isNotEqualTo(OutcomeEvents.eventId("a"))
                .isNotEqualTo(OutcomeEvents.eventId("a/reply"));
        assertThat(OutcomeEvents.replyId("a")).hasSize(36);
    }
}
