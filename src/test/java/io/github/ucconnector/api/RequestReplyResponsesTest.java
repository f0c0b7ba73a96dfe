package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;
import org.junit.jupiter.api.Test;

/** Tolerant reading of the get, upload-url and agent-auth answers. */
class RequestReplyResponsesTest {

    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.secret-payload.signature";

    private final UltraCartResponses responses = new UltraCartResponses(UltraCartJson.mapper());

    @Test
    void fetchedConversationIsReadFromTheEnvelope() {
        Conversation conversation = responses.fetchedConversation("""
                {"conversation":{"conversation_uuid":"u-1","messages":[{"body":"hi","new_field":1}],"later":true},
                 "success":true,"metadata":{},"brand_new":[]}""");

        assertThat(conversation.conversationUuid()).isEqualTo("u-1");
        assertThat(conversation.messages()).extracting(m -> m.body()).containsExactly("hi");
    }

    @Test
    void fetchedConversationIsReadFromThe2022FlatShape() {
        Conversation conversation = responses.fetchedConversation("""
                {"conversation_arn":"arn:1","conversation_uuid":"u-2","merchant_id":"DEMO",
                 "messages":[{"author_conversation_participant_arn":"arn:p","body":"hello","message_dts":"x"}],
                 "participants":[]}""");

        assertThat(conversation.conversationUuid()).isEqualTo("u-2");
        assertThat(conversation.messages()).hasSize(1);
    }

    @Test
    void fetchedConversationWithSuccessFalseOrWithoutAConversationIsAnApiError() {
        assertThatThrownBy(() -> responses.fetchedConversation(
                "{\"success\":false,\"error\":{\"developer_message\":\"no access\"},\"conversation\":null}"))
                .isInstanceOfSatisfying(UltraCartApiException.class, e -> {
                    assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR);
                    assertThat(e.developerMessage()).isEqualTo("no access");
                });
        for (String body : new String[] {"{\"success\":true}", "{\"conversation\":null}", "{\"conversation\":{}}"}) {
            assertThatThrownBy(() -> responses.fetchedConversation(body))
                    .isInstanceOfSatisfying(UltraCartApiException.class,
                            e -> assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR));
        }
        assertThatThrownBy(() -> responses.fetchedConversation("not json"))
                .isInstanceOfSatisfying(UltraCartApiException.class,
                        e -> assertThat(e.category()).isEqualTo(FailureCategory.INVALID_RESPONSE));
    }

    @Test
    void uploadUrlIsReadFromTheEnvelope() {
        ConversationMultimediaUploadUrl upload = responses.uploadUrl("""
                {"conversation_multimedia_upload_url":{"key":"k/1.jpg","url":"https://s3/k/1.jpg?sig=1","new":1},
                 "success":true,"metadata":{}}""");

        assertThat(upload.key()).isEqualTo("k/1.jpg");
        assertThat(upload.url()).isEqualTo("https://s3/k/1.jpg?sig=1");
    }

    @Test
    void uploadUrlAnswerWithoutTheWrapperIsNotGuessedAt() {
        for (String body : new String[] {"{\"key\":\"k\",\"url\":\"https://s3/k?sig=SECRET\"}", "{\"success\":true}",
                "{\"conversation_multimedia_upload_url\":null}", "{\"conversation_multimedia_upload_url\":\"x\"}", ""}) {
            assertThatThrownBy(() -> responses.uploadUrl(body))
                    .isInstanceOfSatisfying(UltraCartApiException.class, e -> {
                        assertThat(e.category()).isEqualTo(FailureCategory.INVALID_RESPONSE);
                        assertThat(e.getMessage()).doesNotContain("SECRET");
                    });
        }
    }

    @Test
    void uploadUrlWithoutKeyOrUrlIsAnApiError() {
        assertThatThrownBy(() -> responses.uploadUrl("{\"conversation_multimedia_upload_url\":{\"key\":\"k\"}}"))
                .isInstanceOfSatisfying(UltraCartApiException.class,
                        e -> assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR));
    }

    @Test
    void agentAuthIsReadFromTheEnvelope() {
        ConversationAgentAuth auth = responses.agentAuth("""
                {"agent_auth":{"jwt":"%s","websocket_url":"wss://x","conversation_participant_arn":"arn:a",
                 "merchant_id":"DEMO","user_id":7,"pbx_jwt":"p","twilio_phone_numbers":["+1555"],
                 "twilio_accounts":[{"merchant_id":"DEMO","twilio_phone_numbers":["+1555"]}],"new_token":"t"},
                 "success":true}""".formatted(JWT));

        assertThat(auth.jwt()).isEqualTo(JWT);
        assertThat(auth.userId()).isEqualTo(7);
        assertThat(auth.twilioAccounts()).hasSize(1);
    }

    @Test
    void agentAuthIsReadFromThe2022FlatShapeWithItsPhoneNumberList() {
        ConversationAgentAuth auth = responses.agentAuth("""
                {"conversation_participant_arn":"arn:a","conversation_participant_name":"Agent","jwt":"%s",
                 "merchant_id":"DEMO","twilio_phone_numbers":["+15555550100","+15555550101"],"websocket_url":"wss://x"}"""
                .formatted(JWT));

        assertThat(auth.jwt()).isEqualTo(JWT);
        assertThat(auth.conversationParticipantName()).isEqualTo("Agent");
        assertThat(auth.websocketUrl()).isEqualTo("wss://x");
    }

    @Test
    void unreadableAgentAuthIsNeverQuotedInTheReason() {
        String[] bodies = {
            "{\"agent_auth\":{\"jwt\":\"%s\",\"user_id\":\"not-a-number-%s\"}}".formatted(JWT, JWT),
            "{\"agent_auth\":{\"jwt\":\"%s\",\"group_ids\":{\"x\":\"%s\"}}}".formatted(JWT, JWT),
            "{\"agent_auth\":\"%s\"}".formatted(JWT),
            "{\"jwt\":\"%s\",".formatted(JWT),
            "[\"%s\"]".formatted(JWT),
            "{\"agent_auth\":{\"websocket_url\":\"wss://x\",\"pbx_jwt\":\"%s\"}}".formatted(JWT),
        };
        for (String body : bodies) {
            assertThatThrownBy(() -> responses.agentAuth(body))
                    .isInstanceOfSatisfying(UltraCartApiException.class, e -> {
                        assertThat(e.category()).isIn(FailureCategory.INVALID_RESPONSE, FailureCategory.API_ERROR);
                        assertThat(e.getMessage()).doesNotContain(JWT).doesNotContain("secret-payload");
                        assertThat(e.developerMessage()).isNull();
                        assertThat(e.ucRestError()).isNull();
                        assertThat(new FailureClassifier(UltraCartJson.mapper()).classify(e).reason())
                                .doesNotContain("secret-payload");
                    });
        }
    }

    @Test
    void agentAuthWithSuccessFalseIsAnApiError() {
        assertThatThrownBy(() -> responses.agentAuth("{\"success\":false,\"error\":{\"developer_message\":\"no agent\"}}"))
                .isInstanceOfSatisfying(UltraCartApiException.class, e -> {
                    assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR);
                    assertThat(e.getMessage()).isEqualTo("UltraCart answered success: false: no agent");
                });
    }
}
