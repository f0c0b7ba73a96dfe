package io.github.ucconnector.polling;

import java.util.List;

import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationSummary;

/**
 * A conversation whose summary differs from the one last published.
 *
 * @param previous    the last published summary, or {@code null} when the conversation is new to the connector
 * @param current     the summary the API listed now
 * @param newMessages the messages that are new, when they were fetched; {@code null} when not fetched
 */
public record ConversationChange(ConversationSummary previous, ConversationSummary current,
        List<ConversationMessage> newMessages) {

    public String conversationUuid() {
        return current.conversationUuid();
    }

    public boolean isNew() {
        return previous == null;
    }

    /** True when the conversation has messages the last published summary did not count. */
    public boolean hasNewMessages() {
        return previous != null && (count(current.messageCount()) > count(previous.messageCount())
                || !java.util.Objects.equals(current.lastMessageDts(), previous.lastMessageDts())
                        && count(current.messageCount()) > 0);
    }

    public int newMessageCount() {
        return Math.max(1, count(current.messageCount()) - count(previous.messageCount()));
    }

    public ConversationChange withNewMessages(List<ConversationMessage> messages) {
        return new ConversationChange(previous, current, messages);
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
