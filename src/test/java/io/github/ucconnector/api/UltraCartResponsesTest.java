package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ucconnector.api.model.Conversation;
import org.junit.jupiter.api.Test;

class UltraCartResponsesTest {

    private final UltraCartResponses responses = new UltraCartResponses(UltraCartJson.mapper());

    @Test
    void currentStartResponseIsReadWithUnknownFieldsIgnored() {
        Conversation conversation = responses.startedConversation("""
                {"conversation":{"conversation_uuid":"u-1","conversation_arn":"arn:1","closed":false,
                 "participants":[{"conversation_participant_arn":"arn:p","brand_new_field":1}],"added_later":{"x":1}}}""");

        assertThat(conversation.conversationUuid()).isEqualTo("u-1");
        assertThat(conversation.participants()).hasSize(1);
    }

    @Test
    void flatStartResponseOf2022IsReadToo() {
        Conversation conversation = responses.startedConversation("{\"conversation_uuid\":\"u-2\",\"conversation_arn\":\"arn:2\"}");

        assertThat(conversation.conversationUuid()).isEqualTo("u-2");
        assertThat(conversation.conversationArn()).isEqualTo("arn:2");
    }

    @Test
    void startResponseWithoutConversationUuidIsAnApiError() {
        assertThatThrownBy(() -> responses.startedConversation("{\"conversation\":{}}"))
                .isInstanceOfSatisfying(UltraCartApiException.class,
                        e -> assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR));
    }

    @Test
    void successFalseInA200IsAFailureWithTheDeveloperMessage() {
        assertThatThrownBy(() -> responses.requireSuccess(
                "{\"success\":false,\"error\":{\"developer_message\":\"conversation is closed\"}}"))
                .isInstanceOfSatisfying(UltraCartApiException.class, e -> {
                    assertThat(e.category()).isEqualTo(FailureCategory.API_ERROR);
                    assertThat(e.developerMessage()).isEqualTo("conversation is closed");
                });
    }

    @Test
    void joinAndLeaveSucceedWithOrWithoutABody() {
        assertThatCode(() -> responses.requireSuccess("")).doesNotThrowAnyException();
        assertThatCode(() -> responses.requireSuccess("{\"success\":true}")).doesNotThrowAnyException();
    }

    @Test
    void unreadableAnswersAreInvalidResponses() {
        for (String body : new String[] {"<html>oops</html>", "[1,2]", ""}) {
            assertThatThrownBy(() -> responses.startedConversation(body))
                    .isInstanceOfSatisfying(UltraCartApiException.class,
                            e -> assertThat(e.category()).isEqualTo(FailureCategory.INVALID_RESPONSE));
        }
    }
}
