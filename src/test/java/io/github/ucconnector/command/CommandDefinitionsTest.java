package io.github.ucconnector.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.github.ucconnector.api.ApiOperation;
import io.github.ucconnector.api.ApiRequest;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;
import io.github.ucconnector.api.model.ConversationStartRequest;
import io.github.ucconnector.config.Setting;
import org.junit.jupiter.api.Test;

/** Each command type's API call, as UltraCart's SDKs make it, and the outcome its answer becomes. */
class CommandDefinitionsTest {

    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.secret-payload.signature";

    private final UltraCartRequests requests = new UltraCartRequests(UltraCartJson.mapper());
    private final UltraCartResponses responses = new UltraCartResponses(UltraCartJson.mapper());

    @Test
    void requestsAreTheSpecsOperations() {
        assertThat(requests.requestFor(new Command.Get("c", "abc-1", null)))
                .isEqualTo(new ApiRequest(ApiOperation.GET_CONVERSATION, "/conversation/conversations/abc-1", null, null));
        assertThat(requests.requestFor(new Command.Get("c", "abc-1", 25)))
                .isEqualTo(new ApiRequest(ApiOperation.GET_CONVERSATION, "/conversation/conversations/abc-1", "limit=25",
                        null));
        assertThat(requests.requestFor(new Command.UploadUrl("c", "jpg")))
                .isEqualTo(new ApiRequest(ApiOperation.GET_CONVERSATION_MULTIMEDIA_UPLOAD_URL,
                        "/conversation/upload_url/jpg", null, null));
        assertThat(requests.requestFor(new Command.AgentAuth("c")))
                .isEqualTo(new ApiRequest(ApiOperation.GET_AGENT_WEBSOCKET_AUTHORIZATION, "/conversation/agent/auth",
                        null, null));
        assertThat(requests.requestFor(new Command.AgentAuth("c")).method()).isEqualTo("PUT");
    }

    @Test
    void startJoinAndLeaveRequestsCarryTheirBodiesAndIds() {
        ApiRequest start = requests.requestFor(new Command.Start("c", new ConversationStartRequest(List.of("arn:1"),
                null, "q-1")));
        assertThat(start.method()).isEqualTo("PUT");
        assertThat(start.path()).isEqualTo("/conversation/conversations");
        assertThat(start.jsonBody()).isEqualTo(
                "{\"add_conversation_participant_arns\":[\"arn:1\"],\"conversation_webchat_queue_uuid\":\"q-1\"}");
        assertThat(requests.requestFor(new Command.Join("c", "u 1", new ConversationJoinRequest("de"))))
                .isEqualTo(new ApiRequest(ApiOperation.JOIN_CONVERSATION, "/conversation/conversations/u%201/join", null,
                        "{\"participant_language_iso_code\":\"de\"}"));
        assertThat(requests.requestFor(new Command.Join("c", "u-1", null)).jsonBody()).isNull();
        ApiRequest leave = requests.requestFor(new Command.Leave("c", "u-1"));
        assertThat(leave.method()).isEqualTo("DELETE");
        assertThat(leave.path()).isEqualTo("/conversation/conversations/u-1/leave");
    }

    @Test
    void extensionIsEncodedAsAPathSegmentEvenIfValidationWereBypassed() {
        assertThat(requests.requestFor(new Command.UploadUrl("c", "../a/b")).path())
                .isEqualTo("/conversation/upload_url/..%2Fa%2Fb");
    }

    @Test
    void eachTypeCallsItsOwnOperationFromItsOwnTopic() {
        assertThat(requests.requestFor(new Command.Leave("c", "u")).operation()).isEqualTo(CommandType.LEAVE.operation());
        assertThat(CommandType.topicSettings()).containsExactly(Setting.TOPIC_COMMAND_START, Setting.TOPIC_COMMAND_JOIN,
                Setting.TOPIC_COMMAND_LEAVE, Setting.TOPIC_COMMAND_GET, Setting.TOPIC_COMMAND_UPLOAD_URL,
                Setting.TOPIC_COMMAND_AGENT_AUTH);
        assertThat(CommandType.byTopic(Setting::defaultValue))
                .containsEntry("ultracart.conversation.command.upload-url", CommandType.UPLOAD_URL)
                .hasSize(CommandType.values().length);
        assertThat(CommandType.values()).filteredOn(CommandType::changesConversations)
                .containsExactly(CommandType.START, CommandType.JOIN, CommandType.LEAVE);
        assertThat(CommandType.values()).filteredOn(type -> !type.safeToRepeat()).containsExactly(CommandType.START);
    }

    @Test
    void startedConversationIsTheOutcomeAndItsSubject() {
        CommandOutcome outcome = new Command.Start("c", null).outcome(responses,
                "{\"conversation\":{\"conversation_uuid\":\"u-9\"}}");

        assertThat(outcome.conversationUuid()).isEqualTo("u-9");
        assertThat(outcome.eventData()).isInstanceOfSatisfying(Conversation.class,
                conversation -> assertThat(conversation.conversationUuid()).isEqualTo("u-9"));
        assertThat(outcome.replyData()).isNull();
    }

    @Test
    void joinAndLeaveOutcomesNameTheirConversation() {
        assertThat(new Command.Join("c", "u-1", new ConversationJoinRequest("de")).outcome(responses, ""))
                .isEqualTo(new CommandOutcome("u-1",
                        Map.of("conversation_uuid", "u-1", "participant_language_iso_code", "de"), null));
        assertThat(new Command.Leave("c", "u-2").outcome(responses, "{\"success\":true}"))
                .isEqualTo(new CommandOutcome("u-2", Map.of("conversation_uuid", "u-2"), null));
    }

    @Test
    void fetchedConversationIsPublishedUnderTheCommandsConversation() {
        CommandOutcome outcome = new Command.Get("c", "u-1", null).outcome(responses,
                "{\"conversation\":{\"conversation_uuid\":\"u-1\",\"messages\":[{\"body\":\"hi\"}]}}");

        assertThat(outcome.conversationUuid()).isEqualTo("u-1");
        assertThat(((Conversation) outcome.eventData()).messages()).hasSize(1);
        assertThat(outcome.replyData()).isNull();
    }

    @Test
    void secretsGoOnlyToThePrivateReply() {
        CommandOutcome upload = new Command.UploadUrl("c", "jpg").outcome(responses,
                "{\"conversation_multimedia_upload_url\":{\"key\":\"k/1.jpg\",\"url\":\"https://s3/k?sig=SECRET\"}}");
        assertThat(upload.eventData()).isEqualTo(Map.of("key", "k/1.jpg"));
        assertThat(upload.replyData()).isInstanceOfSatisfying(ConversationMultimediaUploadUrl.class,
                reply -> assertThat(reply.url()).isEqualTo("https://s3/k?sig=SECRET"));

        CommandOutcome auth = new Command.AgentAuth("c").outcome(responses, """
                {"agent_auth":{"jwt":"%s","websocket_url":"wss://x","pbx_jwt":"p","user_id":7}}""".formatted(JWT));
        assertThat(auth.eventData()).isEqualTo(Map.of("user_id", 7));
        assertThat(auth.replyData()).isInstanceOfSatisfying(ConversationAgentAuth.class,
                reply -> assertThat(reply.jwt()).isEqualTo(JWT));
        assertThat(auth.conversationUuid()).isNull();
    }
}
