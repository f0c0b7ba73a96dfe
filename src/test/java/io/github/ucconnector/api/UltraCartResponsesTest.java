package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationStartRequest;
import io.github.ucconnector.command.Command;
import org.junit.jupiter.api.Test;

class UltraCartResponsesTest {

    private final UltraCartResponses responses = new UltraCartResponses(UltraCartJson.mapper());
    private final Command start = new Command.Start("c-1", new ConversationStartRequest(null, null, null));
    private final Command leave = new Command.Leave("c-2", "abc");

    @Test
    void currentStartResponseIsReadWithUnknownFieldsIgnored() {
        Conversation conversation = responses.read(start, """
                {"conversation":{"conversation_uuid":"u-1","conversation_arn":"arn:1","closed":false,
                 "participants":[{"conversation_participant_arn":"arn:p","brand_new_field":1}],"added_later":{"x":1}}}""");

        assertThat(conversation.conversationUuid()).isEqualTo("u-1");
        assertThat(conversation.participants()).hasSize(1);
    }

    @Test
    void flatStartResponseOf2022IsReadToo() {
        Conversation conversation = responses.read(start, "{\"conversation_uuid\":\"u-2\",\"conversation_arn\":\"arn:2\"}");

        assertThat(conversation.conversationUuid()).isEqualTo("u-2");
        assertThat(conversation.conversationArn()).isEqualTo("arn:2");
    }

    @Test
    void startResponseWithoutConversationUuidIsAnApiError() {
        assertThatThrownBy(() -> responses.read(start, "{\"conversation\":{}}"))
                .isInstanceOfSatisfying(UltraCartApiException.class,
                        e -> assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR));
    }

    @Test
    void successFalseInA200IsAFailureWithTheDeveloperMessage() {
        assertThatThrownBy(() -> responses.read(leave,
                "{\"success\":false,\"error\":{\"developer_message\":\"conversation is closed\"}}"))
                .isInstanceOfSatisfying(UltraCartApiException.class, e -> {
                    assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR);
                    assertThat(e.developerMessage()).isEqualTo("conversation is closed");
                });
    }

    @Test
    void joinAndLeaveSucceedWithOrWithoutABody() {
        assertThat(responses.read(leave, "")).isNull();
        assertThat(responses.read(leave, "{\"success\":true}")).isNull();
    }

    @Test
    void unreadableAnswersAreInvalidResponses() {
        for (String body : new String[] {"<html>oops</html>", "[1,2]", ""}) {
            assertThatThrownBy(() -> responses.read(start, body))
                    .isInstanceOfSatisfying(UltraCartApiException.class,
                            e -> assertThat(e.category()).isEqualTo(FailureCategory.INVALID_RESPONSE));
        }
    }
}
