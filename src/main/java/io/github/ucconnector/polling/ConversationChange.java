package io.github.ucconnector.polling;

import java.time.Instant;
import java.util.List;

import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationSummary;

/**
 * A conversation whose summary differs from the one last published.
 *
 * <p>Messages are counted by position, oldest first: the summary's {@code message_count} is the position of its last
 * message. Those up to {@code reported} were reported (or deliberately left out) with the summary last published;
 * the ones after it, up to the current count, are new. Since the published summary is the poller's only memory, a
 * crash before it is on Kafka reports the same positions again, under the same event ids.
 *
 * @param previous    the last published summary, or {@code null} when the conversation is new to the connector
 * @param current     the summary the API listed now
 * @param reported    how many of its messages, oldest first, need no event
 * @param reportFrom  when not null, of the new messages only those written at or after it are reported (the first
 *                    scan of an empty summaries topic without backfill): the conversation must be fetched to know
 *                    which
 * @param fetched     the conversation's messages oldest first, when it was fetched; {@code null} when not
 */
public record ConversationChange(ConversationSummary previous, ConversationSummary current, int reported,
        Instant reportFrom, List<ConversationMessage> fetched) {

    /** A conversation seen before, or new to the running connector: every message after the last published. */
    public static ConversationChange of(ConversationSummary previous, ConversationSummary current) {
        return new ConversationChange(previous, current, previous == null ? 0 : count(previous.messageCount()), null,
                null);
    }

    public String conversationUuid() {
        return current.conversationUuid();
    }

    public boolean isNew() {
        return previous == null;
    }

    /** The position of the last message the summary counts. */
    public int messageCount() {
        return count(current.messageCount());
    }

    /** Messages the last published summary did not count. */
    public int newMessageCount() {
        return Math.max(0, messageCount() - reported);
    }

    public boolean hasNewMessages() {
        return newMessageCount() > 0;
    }

    /**
     * Whether the new messages can only be described by fetching the conversation. With one new message the
     * summary's last-message fields are that message (unless they lack its body).
     */
    public boolean needsFetch(EnrichMode mode) {
        if (!hasNewMessages() || mode == EnrichMode.NEVER) {
            return false;
        }
        if (mode == EnrichMode.ALWAYS || newMessageCount() > 1) {
            return true;
        }
        return current.lastConversationMessageBody() == null;
    }

    public boolean lastMessageAfter(Instant instant) {
        Instant last = PollTimes.parse(current.lastMessageDts());
        return last != null && !last.isBefore(instant);
    }

    /**
     * When each new message that gets an event was written, where that is known: every fetched one (its
     * {@code message_epoch}, else its {@code message_dts}), or else the summary's last message.
     */
    public List<Instant> reportedMessageTimes() {
        if (!hasNewMessages()) {
            return List.of();
        }
        if (fetched == null) {
            Instant last = PollTimes.parse(current.lastMessageDts());
            return last == null ? List.of() : List.of(last);
        }
        return fetched.subList(Math.min(reported, fetched.size()), Math.min(messageCount(), fetched.size())).stream()
                .map(message -> message.messageEpoch() != null ? Instant.ofEpochMilli(message.messageEpoch())
                        : PollTimes.parse(message.messageDts()))
                .filter(written -> written != null && (reportFrom == null || !written.isBefore(reportFrom)))
                .toList();
    }

    public ConversationChange withFetched(List<ConversationMessage> messages) {
        return new ConversationChange(previous, current, reported, reportFrom, messages);
    }

    public ConversationChange withReported(int count, Instant from) {
        return new ConversationChange(previous, current, count, from, fetched);
    }

    static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
