package io.github.ucconnector.polling;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationParticipant;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.event.CloudEventFactory;
import io.github.ucconnector.event.CloudEventRecords;
import org.apache.camel.Body;
import org.apache.camel.Message;

/**
 * Turns the difference between two summaries of a conversation into change events, in the same CloudEvents form as
 * command outcomes. Each new message gets an event of its own, named by its position in the conversation; joins and
 * leaves are named by the participant's stint (its {@code joined_dts}); closed and updated by the summary they
 * follow. So an event published again after a crash (the summary that marks it as seen not yet on Kafka) has the
 * same id, even when the conversation changed further in between.
 */
public final class ChangeEvents {

    public static final String CREATED = "ultracart.conversation.created";
    public static final String MESSAGE_RECEIVED = "ultracart.conversation.message.received";
    public static final String CLOSED = "ultracart.conversation.closed";
    public static final String PARTICIPANT_JOINED = "ultracart.conversation.participant.joined";
    public static final String PARTICIPANT_LEFT = "ultracart.conversation.participant.left";
    public static final String UPDATED = "ultracart.conversation.updated";

    /** What a message.received event's {@code message} holds. */
    public static final String FROM_CONVERSATION = "conversation";
    public static final String FROM_SUMMARY = "summary";
    public static final String POSITION_ONLY = "none";

    private static final Set<String> MESSAGE_FIELDS = Set.of("last_conversation_message_body",
            "last_conversation_participant_arn", "last_conversation_participant_name", "last_message_dts",
            "last_interactive_message_dts", "message_count", "customer_first_message_unresponded_to_dts",
            "unread_messages");
    private static final Set<String> PARTICIPANT_MESSAGE_FIELDS = Set.of("last_message_dts", "unread_messages");

    private final CloudEventFactory events;
    private final ObjectMapper mapper;

    public ChangeEvents(CloudEventFactory events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    /** Route step: the event in the body becomes the Kafka record to produce. */
    public void toRecord(@Body CloudEvent event, Message record) {
        CloudEventRecords.write(record, event);
    }

    /** The events of a conversation change, oldest first. */
    public List<CloudEvent> eventsFor(ConversationChange change) {
        ConversationSummary current = change.current();
        List<CloudEvent> events = new ArrayList<>();
        if (change.isNew()) {
            // Every stint gets its joined (and left) event, whenever the connector first saw the conversation: a
            // crash before the summary is on Kafka publishes created again from a later state, under the same id.
            events.add(event(CREATED, change, "", current));
            participantEvents(change, "new", events);
            messageEvents(change, events);
            if (Boolean.TRUE.equals(current.closed())) {
                events.add(event(CLOSED, change, "", current));
            }
            return events;
        }
        ConversationSummary previous = change.previous();
        // Closed and updated follow the published summary: a retry after a crash starts from the same one.
        String after = fingerprint(previous);
        Set<String> explained = new java.util.HashSet<>();
        if (change.hasNewMessages()) {
            messageEvents(change, events);
        }
        if (change.hasNewMessages() || change.messageCount() != ConversationChange.count(previous.messageCount())) {
            explained.addAll(MESSAGE_FIELDS);
        }
        if (participantEvents(change, after, events)) {
            explained.add("participants");
        }
        if (!Boolean.TRUE.equals(previous.closed()) && Boolean.TRUE.equals(current.closed())) {
            events.add(event(CLOSED, change, after, current));
            explained.add("closed");
        }
        if (events.isEmpty() || !withoutFields(previous, explained).equals(withoutFields(current, explained))) {
            events.add(event(UPDATED, change, after, current));
        }
        return events;
    }

    /** One event per new message, oldest first, named by its position in the conversation. */
    private void messageEvents(ConversationChange change, List<CloudEvent> events) {
        List<ConversationMessage> fetched = change.fetched();
        for (int position = change.reported() + 1; position <= change.messageCount(); position++) {
            ConversationMessage message = null;
            String source = POSITION_ONLY;
            if (fetched != null) {
                message = fetched.get(position - 1);
                source = FROM_CONVERSATION;
                if (change.reportFrom() != null && !writtenAtOrAfter(message, change.reportFrom())) {
                    continue; // written before the connector's first scan, and backfill is off
                }
            } else if (position == change.messageCount()) {
                message = fromSummary(change.current());
                source = FROM_SUMMARY;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("conversation_uuid", change.conversationUuid());
            data.put("message_number", position);
            data.put("message_source", source);
            data.put("message", message);
            data.values().removeIf(Objects::isNull);
            events.add(event(MESSAGE_RECEIVED, change, Integer.toString(position), data));
        }
    }

    /** The summary's last-message fields: author, body and time, but no uuid, no media. */
    private static ConversationMessage fromSummary(ConversationSummary summary) {
        return new ConversationMessage(summary.lastConversationParticipantArn(),
                summary.lastConversationParticipantName(), summary.lastConversationMessageBody(), null, null, null, null,
                null, null, summary.lastMessageDts(), null, null, null, null, null, null);
    }

    private static boolean writtenAtOrAfter(ConversationMessage message, Instant instant) {
        if (message.messageEpoch() != null) {
            return message.messageEpoch() >= instant.toEpochMilli();
        }
        Instant written = PollTimes.parse(message.messageDts());
        // Unreadable time: reported rather than lost.
        return written == null || !written.isBefore(instant);
    }

    /**
     * Adds joined and left events from the participants' difference; true when there was any. A participant whose
     * {@code joined_dts} changed left and joined again in between, even when both summaries show it present.
     */
    private boolean participantEvents(ConversationChange change, String after, List<CloudEvent> events) {
        Map<String, ConversationParticipant> before = change.isNew() ? Map.of()
                : byIdentity(change.previous().participants());
        Map<String, ConversationParticipant> now = byIdentity(change.current().participants());
        int added = events.size();
        now.forEach((identity, participant) -> {
            ConversationParticipant earlier = before.get(identity);
            boolean present = !hasLeft(participant);
            if (earlier == null || !Objects.equals(earlier.joinedDts(), participant.joinedDts())) {
                if (earlier != null && !hasLeft(earlier)) {
                    events.add(participantEvent(PARTICIPANT_LEFT, change, identity, earlier, after, false));
                }
                events.add(participantEvent(PARTICIPANT_JOINED, change, identity, participant, after, false));
                if (!present) {
                    events.add(participantEvent(PARTICIPANT_LEFT, change, identity, participant, after, false));
                }
            } else if (present == hasLeft(earlier)) {
                // Same stint: it left, or came back without a new joined_dts.
                events.add(participantEvent(present ? PARTICIPANT_JOINED : PARTICIPANT_LEFT, change, identity,
                        participant, after, present));
            }
        });
        before.forEach((identity, participant) -> {
            if (!now.containsKey(identity) && !hasLeft(participant)) {
                events.add(participantEvent(PARTICIPANT_LEFT, change, identity, participant, after, false));
            }
        });
        return events.size() > added;
    }

    /**
     * Named by the stint ({@code joined_dts}); the published summary stands in for a stint without one, and tells a
     * return within the same stint from the first join.
     */
    private CloudEvent participantEvent(String type, ConversationChange change, String identity,
            ConversationParticipant participant, String after, boolean again) {
        String stint = participant.joinedDts() == null ? "unknown/" + after
                : again ? participant.joinedDts() + "/" + after : participant.joinedDts();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversation_uuid", change.conversationUuid());
        data.put("participant", participant);
        return event(type, change, identity + "/" + stint, data);
    }

    private CloudEvent event(String type, ConversationChange change, String qualifier, Object data) {
        String id = CloudEventFactory.nameBasedId("change/" + type + "/" + change.conversationUuid() + "/" + qualifier);
        return events.create(id, type, change.conversationUuid(), null, data);
    }

    private static Map<String, ConversationParticipant> byIdentity(List<ConversationParticipant> participants) {
        if (participants == null) {
            return Map.of();
        }
        return participants.stream().filter(p -> identity(p) != null)
                .collect(Collectors.toMap(ChangeEvents::identity, Function.identity(), (first, second) -> second,
                        LinkedHashMap::new));
    }

    private static String identity(ConversationParticipant participant) {
        return participant.conversationParticipantArn() != null ? participant.conversationParticipantArn()
                : participant.conversationParticipantUuid();
    }

    private static boolean hasLeft(ConversationParticipant participant) {
        return participant.leftDts() != null || "left".equalsIgnoreCase(participant.status());
    }

    /** The summary without the fields that the events already published explain. */
    private ObjectNode withoutFields(ConversationSummary summary, Set<String> fields) {
        ObjectNode node = mapper.valueToTree(summary);
        node.remove(fields);
        if (fields.containsAll(MESSAGE_FIELDS) && node.get("participants") instanceof ArrayNode participants) {
            // A new message also moves its author's last message time and the readers' unread counts.
            participants.forEach(participant -> ((ObjectNode) participant).remove(PARTICIPANT_MESSAGE_FIELDS));
        }
        return node;
    }

    private String fingerprint(ConversationSummary summary) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(mapper.writeValueAsBytes(summary));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a summary", e);
        }
    }
}
