package io.github.ucconnector.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationParticipant;
import io.github.ucconnector.api.model.ConversationSummary;

/**
 * The sandbox's in-memory conversations. Thread-safe: every operation holds the store's lock, and callers only ever
 * receive immutable model records.
 *
 * <p>The sandbox agent ({@link #AGENT_ARN}) is the only agent; every other participant is on the customer's side.
 */
final class ConversationStore {

    static final String MERCHANT_ID = "DEMO";
    static final String AGENT_ARN = "arn:ultracart:sandbox:participant:agent-1";
    static final String AGENT_NAME = "Sandbox Agent";
    static final String LANGUAGE = "en";
    static final String DEFAULT_CUSTOMER_NAME = "Sandbox Customer";
    static final String SANDBOX_PHONE = "+15555550100";
    private static final String CUSTOMER_PHONE = "+15555550199";

    /** Newest activity first; ties broken by the sequence of the latest activity (creation or message), newest first. */
    private static final Comparator<ConversationState> NEWEST_FIRST = Comparator
            .comparing((ConversationState c) -> c.lastActivity).reversed()
            .thenComparing(Comparator.comparingLong((ConversationState c) -> c.activitySequence).reversed());

    record Page(List<ConversationSummary> conversations, int total) {
    }

    private final SandboxClock clock = new SandboxClock();
    private final Map<String, ConversationState> conversations = new HashMap<>();
    private long sequence;

    /** {@code PUT /conversation/conversations}: the sandbox agent starts a conversation with the given participants. */
    synchronized Conversation start(List<String> participantArns, String conversationArn) {
        Instant now = clock.now();
        ConversationState c = create(conversationArn, "websocket", now);
        c.participants.add(ParticipantState.agent(now, LANGUAGE));
        if (participantArns != null) {
            for (String arn : participantArns) {
                if (c.participant(arn) == null) {
                    c.participants.add(new ParticipantState(arn, nameFromArn(arn), now, LANGUAGE, null));
                }
            }
        }
        return conversation(c, null);
    }

    /** Admin: a customer opens a conversation, optionally with a first message. */
    synchronized ConversationSummary openByCustomer(String customerName, String medium, String message) {
        Instant now = clock.now();
        ConversationState c = create(null, medium, now);
        String name = customerName == null || customerName.isBlank() ? DEFAULT_CUSTOMER_NAME : customerName;
        ParticipantState customer = new ParticipantState(
                "arn:ultracart:sandbox:participant:customer-" + UUID.randomUUID().toString().substring(0, 8), name, now,
                LANGUAGE, "sms".equals(medium) ? CUSTOMER_PHONE : null);
        c.participants.add(customer);
        if (message != null) {
            append(c, customer, message);
        }
        return summary(c);
    }

    /** Admin: a message from the customer's side or from the sandbox agent; null when the conversation is unknown. */
    synchronized ConversationMessage addMessage(String conversationUuid, boolean fromAgent, String body) {
        ConversationState c = conversations.get(conversationUuid);
        if (c == null) {
            return null;
        }
        ParticipantState author;
        if (fromAgent) {
            author = c.participant(AGENT_ARN);
            if (author == null) {
                author = ParticipantState.agent(clock.now(), LANGUAGE);
                c.participants.add(author);
            } else if (author.leftDts != null) {
                author.rejoin(clock.now(), author.language);
            }
        } else {
            author = c.participants.stream().filter(p -> !p.isAgent()).findFirst().orElse(null);
            if (author == null) {
                author = new ParticipantState("arn:ultracart:sandbox:participant:customer-"
                        + UUID.randomUUID().toString().substring(0, 8), DEFAULT_CUSTOMER_NAME, clock.now(), LANGUAGE,
                        "sms".equals(c.medium) ? CUSTOMER_PHONE : null);
                c.participants.add(author);
            }
        }
        return message(append(c, author, body));
    }

    /** {@code GET /conversation/conversations/{uuid}}; null when unknown. */
    synchronized Conversation get(String conversationUuid, Integer messageLimit) {
        ConversationState c = conversations.get(conversationUuid);
        return c == null ? null : conversation(c, messageLimit);
    }

    /** {@code PUT .../join}: adds or re-activates the sandbox agent; false when the conversation is unknown. */
    synchronized boolean join(String conversationUuid, String languageIsoCode) {
        ConversationState c = conversations.get(conversationUuid);
        if (c == null) {
            return false;
        }
        Instant now = clock.now();
        ParticipantState agent = c.participant(AGENT_ARN);
        String language = languageIsoCode == null || languageIsoCode.isBlank() ? null : languageIsoCode;
        if (agent == null) {
            agent = ParticipantState.agent(now, language == null ? LANGUAGE : language);
            c.participants.add(agent);
        } else {
            agent.rejoin(now, language == null ? agent.language : language);
        }
        return true;
    }

    /** {@code DELETE .../leave}: marks the sandbox agent as left; false when the conversation is unknown. */
    synchronized boolean leave(String conversationUuid) {
        ConversationState c = conversations.get(conversationUuid);
        if (c == null) {
            return false;
        }
        ParticipantState agent = c.participant(AGENT_ARN);
        if (agent != null && agent.leftDts == null) {
            agent.leftDts = clock.now();
            agent.status = "left";
        }
        return true;
    }

    /** Admin: closes a conversation; null when unknown. */
    synchronized ConversationSummary close(String conversationUuid) {
        ConversationState c = conversations.get(conversationUuid);
        if (c == null) {
            return null;
        }
        c.closed = true;
        return summary(c);
    }

    /** {@code GET /conversation/conversations}: one page of summaries, newest first. */
    synchronized Page list(String medium, int offset, int limit) {
        List<ConversationState> matching = conversations.values().stream()
                .filter(c -> medium == null || medium.equals(c.medium))
                .sorted(NEWEST_FIRST)
                .toList();
        int from = Math.min(offset, matching.size());
        int to = (int) Math.min((long) from + limit, matching.size());
        List<ConversationSummary> page = new ArrayList<>(to - from);
        for (ConversationState c : matching.subList(from, to)) {
            page.add(summary(c));
        }
        return new Page(List.copyOf(page), matching.size());
    }

    synchronized void clear() {
        conversations.clear();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private ConversationState create(String conversationArn, String medium, Instant now) {
        String uuid = UUID.randomUUID().toString();
        String arn = conversationArn == null || conversationArn.isBlank()
                ? "arn:ultracart:sandbox:conversation:" + uuid : conversationArn;
        ConversationState c = new ConversationState(uuid, arn, medium, now, ++sequence);
        conversations.put(uuid, c);
        return c;
    }

    private MessageState append(ConversationState c, ParticipantState author, String body) {
        Instant now = clock.now();
        MessageState m = new MessageState(UUID.randomUUID().toString(), author.arn, author.name, author.isAgent(), body, now);
        c.messages.add(m);
        author.lastMessageDts = now;
        c.lastActivity = now;
        c.activitySequence = ++sequence;
        return m;
    }

    private static String nameFromArn(String arn) {
        int cut = Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/'));
        String tail = cut >= 0 && cut < arn.length() - 1 ? arn.substring(cut + 1) : arn;
        return tail;
    }

    private static ConversationSummary summary(ConversationState c) {
        MessageState last = c.lastMessage();
        return new ConversationSummary(
                c.closed,
                c.arn,
                c.uuid,
                SandboxClock.format(c.firstUnrespondedCustomerMessage()),
                last == null ? null : last.body,
                last == null ? null : last.authorArn,
                last == null ? null : last.authorName,
                last == null ? null : SandboxClock.format(last.dts),
                SandboxClock.format(c.lastActivity),
                c.medium,
                MERCHANT_ID,
                c.messages.size(),
                participants(c),
                null,
                SandboxClock.format(c.start),
                last != null && !last.fromAgent,
                true);
    }

    private static Conversation conversation(ConversationState c, Integer messageLimit) {
        ConversationSummary s = summary(c);
        List<MessageState> shown = c.messages;
        if (messageLimit != null && messageLimit < shown.size()) {
            shown = shown.subList(shown.size() - messageLimit, shown.size());
        }
        List<ConversationMessage> messages = shown.stream().map(ConversationStore::message).toList();
        return new Conversation(
                LANGUAGE,
                s.closed(),
                s.conversationArn(),
                s.conversationUuid(),
                s.customerFirstMessageUnrespondedToDts(),
                s.lastConversationMessageBody(),
                s.lastConversationParticipantArn(),
                s.lastConversationParticipantName(),
                s.lastInteractiveMessageDts(),
                s.lastMessageDts(),
                s.medium(),
                s.merchantId(),
                s.messageCount(),
                messages,
                s.participants(),
                null,
                s.startDts(),
                s.unreadMessages(),
                false,
                null,
                s.visible());
    }

    private static List<ConversationParticipant> participants(ConversationState c) {
        List<ConversationParticipant> result = new ArrayList<>(c.participants.size());
        for (ParticipantState p : c.participants) {
            result.add(new ConversationParticipant(
                    p.arn,
                    p.name,
                    p.uuid,
                    null,
                    SandboxClock.format(p.joinedDts),
                    p.language,
                    SandboxClock.format(p.lastMessageDts),
                    SandboxClock.format(p.leftDts),
                    null,
                    p.smsPhoneNumber,
                    p.status,
                    null,
                    c.unreadFor(p)));
        }
        return List.copyOf(result);
    }

    private static ConversationMessage message(MessageState m) {
        return new ConversationMessage(
                m.authorArn,
                m.authorName,
                m.body,
                null,
                m.uuid,
                null,
                LANGUAGE,
                null,
                MERCHANT_ID,
                SandboxClock.format(m.dts),
                m.dts.toEpochMilli(),
                null,
                null,
                null,
                "message",
                null);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static final class ConversationState {
        final String uuid;
        final String arn;
        final String medium;
        final Instant start;
        final List<ParticipantState> participants = new ArrayList<>();
        final List<MessageState> messages = new ArrayList<>();
        boolean closed;
        Instant lastActivity;
        long activitySequence;

        ConversationState(String uuid, String arn, String medium, Instant start, long sequence) {
            this.uuid = uuid;
            this.arn = arn;
            this.medium = medium;
            this.start = start;
            this.lastActivity = start;
            this.activitySequence = sequence;
        }

        ParticipantState participant(String arn) {
            for (ParticipantState p : participants) {
                if (p.arn.equals(arn)) {
                    return p;
                }
            }
            return null;
        }

        MessageState lastMessage() {
            return messages.isEmpty() ? null : messages.get(messages.size() - 1);
        }

        /** The first customer-side message after the last agent message, if any. */
        Instant firstUnrespondedCustomerMessage() {
            Instant first = null;
            for (int i = messages.size() - 1; i >= 0 && !messages.get(i).fromAgent; i--) {
                first = messages.get(i).dts;
            }
            return first;
        }

        /** Messages from the other side since this participant last wrote. */
        int unreadFor(ParticipantState p) {
            int count = 0;
            for (int i = messages.size() - 1; i >= 0; i--) {
                MessageState m = messages.get(i);
                if (m.fromAgent == p.isAgent()) {
                    break;
                }
                count++;
            }
            return count;
        }
    }

    private static final class ParticipantState {
        final String uuid = UUID.randomUUID().toString();
        final String arn;
        final String name;
        final String smsPhoneNumber;
        Instant joinedDts;
        Instant leftDts;
        Instant lastMessageDts;
        String language;
        String status = "active";

        ParticipantState(String arn, String name, Instant joinedDts, String language, String smsPhoneNumber) {
            this.arn = arn;
            this.name = name;
            this.joinedDts = joinedDts;
            this.language = language;
            this.smsPhoneNumber = smsPhoneNumber;
        }

        static ParticipantState agent(Instant joined, String language) {
            return new ParticipantState(AGENT_ARN, AGENT_NAME, joined, language, null);
        }

        boolean isAgent() {
            return AGENT_ARN.equals(arn);
        }

        void rejoin(Instant now, String newLanguage) {
            if (leftDts != null) {
                joinedDts = now;
                leftDts = null;
            }
            status = "active";
            language = newLanguage;
        }
    }

    private record MessageState(String uuid, String authorArn, String authorName, boolean fromAgent, String body,
                                Instant dts) {
    }
}
