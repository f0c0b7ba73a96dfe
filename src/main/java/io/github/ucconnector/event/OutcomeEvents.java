package io.github.ucconnector.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.cloudevents.CloudEvent;
import io.github.ucconnector.api.Failure;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandOutcome;
import org.apache.camel.ExchangeProperty;

/**
 * Builds the one outcome event of every command: a CloudEvent keyed by conversation uuid and correlated to the
 * command by {@code ce_correlationid}.
 */
public final class OutcomeEvents {

    public static final String COMMAND_FAILED = "ultracart.conversation.command.failed";
    private final CloudEventFactory events;

    public OutcomeEvents(CloudEventFactory events) {
        this.events = events;
    }

    /** The outcome event id of a command as its sender wrote it, never redriven. */
    public static String eventId(String commandId) {
        return eventId(commandId, 0);
    }

    /**
     * The event id depends only on the command id and how often the command was redriven, so the outcome of a
     * redelivered command repeats it and consumers can drop the duplicate, while a redriven command's outcome is
     * news to them, not a repeat of the failure it was redriven from.
     */
    public static String eventId(String commandId, int redriveCount) {
        return CloudEventFactory.nameBasedId("outcome/" + delivery(commandId, redriveCount));
    }

    /** The reply id of a command as its sender wrote it, never redriven. */
    public static String replyId(String commandId) {
        return replyId(commandId, 0);
    }

    /**
     * The id of a command's private reply: like {@link #eventId}, it depends only on the command id and its redrive
     * count, but it is derived in a namespace of its own, so it never equals any outcome event's id.
     */
    public static String replyId(String commandId, int redriveCount) {
        return CloudEventFactory.nameBasedId("reply/" + delivery(commandId, redriveCount));
    }

    /** A command never redriven keeps the name its ids always had, so the ids of earlier outcomes stay valid. */
    private static String delivery(String commandId, int redriveCount) {
        return redriveCount == 0 ? commandId : commandId + "/redrive/" + redriveCount;
    }

    /**
     * After a successful call. Results with secrets (upload-url, agent-auth) are published here only without them;
     * see {@link PrivateReplies}.
     */
    public EventRecord succeeded(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Command command = flow.command();
        CommandOutcome outcome = flow.outcome();
        return record(event(eventId(command.commandId(), flow.record().redriveCount()),
                command.type().succeededEventType(), command.commandId(),
                outcome.conversationUuid(), outcome.eventData()));
    }

    /** After the failure is classified. */
    public EventRecord failed(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Failure failure = flow.failure();
        String conversationUuid = flow.conversationUuid();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command_type", flow.type().id());
        data.put("command_id", flow.commandId());
        data.put("conversation_uuid", conversationUuid);
        data.put("http_status", failure.httpStatus());
        data.put("category", failure.category().id());
        data.put("reason", failure.reason());
        data.put("uc_rest_error", failure.ucRestError());
        data.put("developer_message", failure.developerMessage());
        data.put("attempts", flow.attempts());
        data.values().removeIf(Objects::isNull);
        return record(event(eventId(flow.commandId(), flow.record().redriveCount()), COMMAND_FAILED, flow.commandId(), conversationUuid, data));
    }

    CloudEvent event(String id, String type, String commandId, String conversationUuid, Object data) {
        return events.create(id, type, conversationUuid, commandId, data);
    }

    private static EventRecord record(CloudEvent event) {
        return EventRecord.of(event, event.getSubject());
    }
}
