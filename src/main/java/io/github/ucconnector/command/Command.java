package io.github.ucconnector.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ucconnector.api.ApiRequest;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;
import io.github.ucconnector.api.model.ConversationStartRequest;

/**
 * A validated command, ready to become one Conversation API call. Each type says here how its call is made and how
 * its answer becomes its outcome, secrets kept apart; its {@link CommandType} says the rest.
 */
public sealed interface Command {

    /** Identifies the command across redeliveries; outcome events are correlated to it. */
    String commandId();

    CommandType type();

    /**
     * The conversation the command acts on, or {@code null} when it does not exist yet (start) or the command acts
     * on none (upload-url, agent-auth).
     */
    String conversationUuid();

    /** The API call, as UltraCart's SDKs make it, of the type's {@link CommandType#operation() operation}. */
    ApiRequest request(JsonBodies json);

    /**
     * Reads the successful answer.
     *
     * @throws io.github.ucconnector.api.UltraCartApiException when the answer says it failed or lacks what the
     *         operation returns
     */
    CommandOutcome outcome(UltraCartResponses responses, String body);

    /** Writes request bodies as JSON. */
    @FunctionalInterface
    interface JsonBodies {
        String write(Object body);
    }

    record Start(String commandId, ConversationStartRequest request) implements Command {
        @Override
        public CommandType type() {
            return CommandType.START;
        }

        @Override
        public String conversationUuid() {
            return null;
        }

        @Override
        public ApiRequest request(JsonBodies json) {
            return type().operation().request(List.of(), null, json.write(request));
        }

        @Override
        public CommandOutcome outcome(UltraCartResponses responses, String body) {
            Conversation started = responses.startedConversation(body);
            return CommandOutcome.published(started.conversationUuid(), started);
        }
    }

    /** {@code request} is {@code null} when the command names no language: the API call then has no body. */
    record Join(String commandId, String conversationUuid, ConversationJoinRequest request) implements Command {
        @Override
        public CommandType type() {
            return CommandType.JOIN;
        }

        @Override
        public ApiRequest request(JsonBodies json) {
            return type().operation().request(List.of(conversationUuid), null,
                    request == null ? null : json.write(request));
        }

        @Override
        public CommandOutcome outcome(UltraCartResponses responses, String body) {
            responses.requireSuccess(body);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("conversation_uuid", conversationUuid);
            if (request != null) {
                data.put("participant_language_iso_code", request.participantLanguageIsoCode());
            }
            return CommandOutcome.published(conversationUuid, data);
        }
    }

    record Leave(String commandId, String conversationUuid) implements Command {
        @Override
        public CommandType type() {
            return CommandType.LEAVE;
        }

        @Override
        public ApiRequest request(JsonBodies json) {
            return type().operation().request(conversationUuid);
        }

        @Override
        public CommandOutcome outcome(UltraCartResponses responses, String body) {
            responses.requireSuccess(body);
            return CommandOutcome.published(conversationUuid, Map.of("conversation_uuid", conversationUuid));
        }
    }

    /** {@code limit} is {@code null} when the command names none: the API call then has no {@code limit} query. */
    record Get(String commandId, String conversationUuid, Integer limit) implements Command {
        @Override
        public CommandType type() {
            return CommandType.GET;
        }

        @Override
        public ApiRequest request(JsonBodies json) {
            return type().operation().request(List.of(conversationUuid), limit == null ? null : "limit=" + limit,
                    null);
        }

        @Override
        public CommandOutcome outcome(UltraCartResponses responses, String body) {
            return CommandOutcome.published(conversationUuid, responses.fetchedConversation(body));
        }
    }

    /**
     * {@code extension} is validated (1 to 10 ASCII letters or digits) before the command is made. The result's
     * presigned URL lets anyone upload: it goes only to the private reply.
     */
    record UploadUrl(String commandId, String extension) implements Command {
        @Override
        public CommandType type() {
            return CommandType.UPLOAD_URL;
        }

        @Override
        public String conversationUuid() {
            return null;
        }

        @Override
        public ApiRequest request(JsonBodies json) {
            return type().operation().request(extension);
        }

        @Override
        public CommandOutcome outcome(UltraCartResponses responses, String body) {
            ConversationMultimediaUploadUrl upload = responses.uploadUrl(body);
            return new CommandOutcome(null, SecretFreeData.uploadUrl(upload), upload);
        }
    }

    /** The result's JWT and phone-system tokens go only to the private reply. */
    record AgentAuth(String commandId) implements Command {
        @Override
        public CommandType type() {
            return CommandType.AGENT_AUTH;
        }

        @Override
        public String conversationUuid() {
            return null;
        }

        @Override
        public ApiRequest request(JsonBodies json) {
            return type().operation().request();
        }

        @Override
        public CommandOutcome outcome(UltraCartResponses responses, String body) {
            ConversationAgentAuth auth = responses.agentAuth(body);
            return new CommandOutcome(null, SecretFreeData.agentIdentity(auth), auth);
        }
    }
}
