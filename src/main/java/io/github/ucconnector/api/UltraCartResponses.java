package io.github.ucconnector.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationsResponse;
import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;

/**
 * Reads successful (2xx) answers of the Conversation API as a tolerant reader: unknown fields are ignored, and the
 * flat shapes UltraCart returned in 2022 are read as well as the current envelopes. Each command type picks the read
 * that fits its operation.
 */
public final class UltraCartResponses {

    /** Error bodies larger than this are not parsed for a message. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final ObjectMapper mapper;

    public UltraCartResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** startConversation: a {@code ConversationStartResponse} envelope, or (2022) the bare conversation. */
    public Conversation startedConversation(String body) {
        return conversation(body, "start", "started conversation");
    }

    /**
     * joinConversation, leaveConversation: success has no body, or one that does not say it failed.
     *
     * @param body the response body, possibly empty
     */
    public void requireSuccess(String body) {
        if (body != null && !body.isBlank()) {
            rejectFailedEnvelope(parse(body));
        }
    }

    /** getConversation: a {@code ConversationResponse} envelope, or (2022) the bare conversation. */
    public Conversation fetchedConversation(String body) {
        return conversation(body, "get", "conversation");
    }

    /**
     * getConversationMultimediaUploadUrl: only the {@code ConversationMultimediaUploadUrlResponse} envelope. The 2022
     * answer is undocumented, so an answer without the wrapper is not guessed at but unusable.
     */
    public ConversationMultimediaUploadUrl uploadUrl(String body) {
        JsonNode json = parse(body);
        rejectFailedEnvelope(json);
        JsonNode wrapper = json.get("conversation_multimedia_upload_url");
        if (wrapper == null || !wrapper.isObject()) {
            throw invalid("the answer has no conversation_multimedia_upload_url");
        }
        ConversationMultimediaUploadUrl upload = readAs(wrapper, ConversationMultimediaUploadUrl.class, "upload URL");
        if (isBlank(upload.key()) || isBlank(upload.url())) {
            throw new UltraCartApiException(FailureCategory.API_ERROR, 200, null, null,
                    "UltraCart answered the upload URL request without a key and a url");
        }
        return upload;
    }

    /**
     * getAgentWebsocketAuthorization: a {@code ConversationAgentAuthResponse} envelope ({@code agent_auth}), or
     * (2022) the fields at top level, where the old {@code twilio_phone_numbers} list is ignored. The answer holds
     * secrets: no text of it ever goes into an exception.
     */
    public ConversationAgentAuth agentAuth(String body) {
        JsonNode json = parse(body);
        rejectFailedEnvelope(json);
        JsonNode authJson = json.has("agent_auth") ? json.get("agent_auth") : json;
        if (authJson == null || !authJson.isObject()) {
            throw invalid("the agent authorization is not a JSON object");
        }
        ConversationAgentAuth auth = readAs(authJson, ConversationAgentAuth.class, "agent authorization");
        if (isBlank(auth.jwt())) {
            throw new UltraCartApiException(FailureCategory.API_ERROR, 200, null, null,
                    "UltraCart answered the agent authorization without a jwt");
        }
        return auth;
    }

    /** getConversations: one page of summaries with its {@code metadata.result_set}. */
    public ConversationsResponse conversations(String body) {
        JsonNode json = parse(body);
        rejectFailedEnvelope(json);
        return readAs(json, ConversationsResponse.class, "conversation list");
    }

    /**
     * Current shape: {"conversation": {...}}; 2022 shape: the conversation itself ({"conversation_uuid": ...}).
     *
     * @param operation names the call in reasons ({@code start}, {@code get})
     */
    private Conversation conversation(String body, String operation, String what) {
        JsonNode json = parse(body);
        rejectFailedEnvelope(json);
        JsonNode conversationJson = json.has("conversation") ? json.get("conversation") : json;
        Conversation conversation;
        try {
            conversation = mapper.treeToValue(conversationJson, Conversation.class);
        } catch (IOException e) {
            throw invalid("the " + what + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (conversation == null || conversation.conversationUuid() == null
                || conversation.conversationUuid().isBlank()) {
            throw new UltraCartApiException(FailureCategory.API_ERROR, 200, null, null,
                    "UltraCart answered the " + operation + " without a conversation_uuid");
        }
        return conversation;
    }

    /** Only the exception's class is named: Jackson's messages may quote the answer, which can hold secrets. */
    private <T> T readAs(JsonNode json, Class<T> type, String what) {
        try {
            return mapper.treeToValue(json, type);
        } catch (IOException e) {
            throw invalid("the " + what + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
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
