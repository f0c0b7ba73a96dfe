package io.github.ucconnector.polling;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
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
import io.github.ucconnector.api.model.ConversationParticipant;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.event.CloudEventFactory;
import io.github.ucconnector.event.CloudEventRecords;
import org.apache.camel.Exchange;

/**
 * Turns the difference between two summaries of a conversation into change events, in the same CloudEvents form as
 * command outcomes. Event ids depend only on the conversation and its new summary, so an event published again
 * after a crash has the same id.
 */
public final class ChangeEvents {

    public static final String CREATED = "ultracart.conversation.created";
    public static final String MESSAGE_RECEIVED = "ultracart.conversation.message.received";
    public static final String CLOSED = "ultracart.conversation.closed";
    public static final String PARTICIPANT_JOINED = "ultracart.conversation.participant.joined";
    public static final String PARTICIPANT_LEFT = "ultracart.conversation.participant.left";
    public static final String UPDATED = "ultracart.conversation.updated";

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

    /** Route step: the events of the conversation change being published, oldest first. */
    public List<CloudEvent> eventsFor(Exchange exchange) {
        return eventsFor(exchange.getProperty(ConversationPoller.CHANGE, ConversationChange.class));
    }

    /** Route step: the event in the body becomes the Kafka record to produce. */
    public void toRecord(Exchange exchange) {
        CloudEventRecords.write(exchange.getMessage(), exchange.getMessage().getBody(CloudEvent.class));
    }

    public List<CloudEvent> eventsFor(ConversationChange change) {
        ConversationSummary current = change.current();
        String fingerprint = fingerprint(current);
        List<CloudEvent> events = new ArrayList<>();
        if (change.isNew()) {
            events.add(event(CREATED, change, fingerprint, "", current));
            return events;
        }
        ConversationSummary previous = change.previous();
        Set<String> explained = new java.util.HashSet<>();
        if (change.hasNewMessages()) {
            events.add(event(MESSAGE_RECEIVED, change, fingerprint, "", messageData(change)));
            explained.addAll(MESSAGE_FIELDS);
        }
        if (participantEvents(change, fingerprint, events)) {
            explained.add("participants");
        }
        if (!Boolean.TRUE.equals(previous.closed()) && Boolean.TRUE.equals(current.closed())) {
            events.add(event(CLOSED, change, fingerprint, "", current));
            explained.add("closed");
        }
        if (events.isEmpty() || !withoutFields(previous, explained).equals(withoutFields(current, explained))) {
            events.add(event(UPDATED, change, fingerprint, "", current));
        }
        return events;
    }

    /** Adds joined and left events from the participants' difference; true when there was any. */
    private boolean participantEvents(ConversationChange change, String fingerprint, List<CloudEvent> events) {
        Map<String, ConversationParticipant> before = byIdentity(change.previous().participants());
        Map<String, ConversationParticipant> after = byIdentity(change.current().participants());
        int added = events.size();
        after.forEach((identity, participant) -> {
            ConversationParticipant earlier = before.get(identity);
            boolean present = !hasLeft(participant);
            boolean wasPresent = earlier != null && !hasLeft(earlier);
            if (present && !wasPresent) {
                events.add(event(PARTICIPANT_JOINED, change, fingerprint, identity, participantData(change, participant)));
            } else if (!present && wasPresent) {
                events.add(event(PARTICIPANT_LEFT, change, fingerprint, identity, participantData(change, participant)));
            }
        });
        before.forEach((identity, participant) -> {
            if (!after.containsKey(identity) && !hasLeft(participant)) {
                events.add(event(PARTICIPANT_LEFT, change, fingerprint, identity, participantData(change, participant)));
            }
        });
        return events.size() > added;
    }

    private Map<String, Object> messageData(ConversationChange change) {
        ConversationSummary current = change.current();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversation_uuid", current.conversationUuid());
        data.put("new_message_count", change.newMessageCount());
        data.put("messages", change.newMessages());
        data.put("last_conversation_message_body", current.lastConversationMessageBody());
        data.put("last_conversation_participant_arn", current.lastConversationParticipantArn());
        data.put("last_conversation_participant_name", current.lastConversationParticipantName());
        data.put("last_message_dts", current.lastMessageDts());
        data.values().removeIf(Objects::isNull);
        return data;
    }

    private static Map<String, Object> participantData(ConversationChange change, ConversationParticipant participant) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversation_uuid", change.conversationUuid());
        data.put("participant", participant);
        return data;
    }

    private CloudEvent event(String type, ConversationChange change, String fingerprint, String qualifier, Object data) {
        String id = CloudEventFactory.nameBasedId("change/" + type + "/" + change.conversationUuid() + "/" + fingerprint
                + "/" + qualifier);
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
