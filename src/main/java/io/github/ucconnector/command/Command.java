package io.github.ucconnector.command;

import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationStartRequest;

/** A validated command, ready to become one Conversation API call. */
public sealed interface Command {

    /** Identifies the command across redeliveries; outcome events are correlated to it. */
    String commandId();

    CommandType type();

    /**
     * The conversation the command acts on, or {@code null} when it does not exist yet (start) or the command acts
     * on none (upload-url, agent-auth).
     */
    String conversationUuid();

    record Start(String commandId, ConversationStartRequest request) implements Command {
        @Override
        public CommandType type() {
            return CommandType.START;
        }

        @Override
        public String conversationUuid() {
            return null;
        }
    }

    /** {@code request} is {@code null} when the command names no language: the API call then has no body. */
    record Join(String commandId, String conversationUuid, ConversationJoinRequest request) implements Command {
        @Override
        public CommandType type() {
            return CommandType.JOIN;
        }
    }

    record Leave(String commandId, String conversationUuid) implements Command {
        @Override
        public CommandType type() {
            return CommandType.LEAVE;
        }
    }

    /** {@code limit} is {@code null} when the command names none: the API call then has no {@code limit} query. */
    record Get(String commandId, String conversationUuid, Integer limit) implements Command {
        @Override
        public CommandType type() {
            return CommandType.GET;
        }
    }

    /** {@code extension} is validated (1 to 10 ASCII letters or digits) before the command is made. */
    record UploadUrl(String commandId, String extension) implements Command {
        @Override
        public CommandType type() {
            return CommandType.UPLOAD_URL;
        }

        @Override
        public String conversationUuid() {
            return null;
        }
    }

    record AgentAuth(String commandId) implements Command {
        @Override
        public CommandType type() {
            return CommandType.AGENT_AUTH;
        }

        @Override
        public String conversationUuid() {
            return null;
        }
    }
}
