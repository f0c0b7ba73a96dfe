package io.github.ucconnector.command;

import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationStartRequest;

/** A validated command, ready to become one Conversation API call. */
public sealed interface Command {

    /** Identifies the command across redeliveries; outcome events are correlated to it. */
    String commandId();

    CommandType type();

    /** The conversation the command acts on, or {@code null} when it does not exist yet (start). */
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
}
