package io.github.ucconnector.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandType;

/**
 * Reads successful (2xx) answers of the Conversation API as a tolerant reader: unknown fields are ignored, and the
 * flat shapes UltraCart returned in 2022 are read as well as the current envelopes.
 */
public final class UltraCartResponses {

    /** Error bodies larger than this are not parsed for a message. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final ObjectMapper mapper;

    public UltraCartResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param body the response body, possibly empty
     * @return the result of the operation: the started {@link Conversation} for a start, {@code null} for join
     *         and leave (whose success has no body)
     * @throws UltraCartApiException when the answer says it failed or lacks what the operation returns
     */
    public Conversation read(Command command, String body) {
        if (command.type() == CommandType.START) {
            return startedConversation(body);
        }
        rejectFailedEnvelope(body);
        return null;
    }

    private Conversation startedConversation(String body) {
        JsonNode json = parse(body);
        rejectFailedEnvelope(json);
        // Current shape: {"conversation": {...}}; 2022 shape: {"conversation_uuid": ..., "conversation_arn": ...}.
        JsonNode conversationJson = json.has("conversation") ? json.get("conversation") : json;
        Conversation conversation;
        try {
            conversation = mapper.treeToValue(conversationJson, Conversation.class);
        } catch (IOException e) {
            throw invalid("the started conversation cannot be read: " + e.getClass().getSimpleName());
        }
        if (conversation == null || conversation.conversationUuid() == null
                || conversation.conversationUuid().isBlank()) {
            throw new UltraCartApiException(FailureCategory.API_ERROR, 200, null, null,
                    "UltraCart answered the start without a conversation_uuid");
        }
        return conversation;
    }

    private void rejectFailedEnvelope(String body) {
        if (body != null && !body.isBlank()) {
            rejectFailedEnvelope(parse(body));
        }
    }

    /** UltraCart may answer 200 with {@code success: false} and an error; that is a failure too. */
    private static void rejectFailedEnvelope(JsonNode json) {
        JsonNode success = json.get("success");
        if (success != null && success.isBoolean() && !success.booleanValue()) {
            JsonNode developerMessage = json.path("error").path("developer_message");
            String message = developerMessage.isTextual() ? FailureClassifier.bounded(developerMessage.textValue()) : null;
            throw new UltraCartApiException(FailureCategory.API_ERROR, 200, null, message,
                    "UltraCart answered success: false" + (message == null ? "" : ": " + message));
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw invalid("the answer has no body");
        }
        try {
            JsonNode json = mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw invalid("the answer is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw invalid("the answer is not valid JSON");
        }
    }

    private static UltraCartApiException invalid(String message) {
        return new UltraCartApiException(FailureCategory.INVALID_RESPONSE, 200, null, null, message);
    }
}
