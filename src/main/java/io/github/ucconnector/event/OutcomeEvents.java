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

    /**
     * The event id depends only on the command id, so the outcome of a redelivered command repeats it and
     * consumers can drop the duplicate.
     */
    public static String eventId(String commandId) {
        return CloudEventFactory.nameBasedId("outcome/" + commandId);
    }

    /**
     * The id of a command's private reply: like {@link #eventId}, it depends only on the command id, but it is
     * derived in a namespace of its own, so it never equals any outcome event's id.
     */
    public static String replyId(String commandId) {
        return CloudEventFactory.nameBasedId("reply/" + commandId);
    }

    /**
     * After a successful call. Results with secrets (upload-url, agent-auth) are published here only without them;
     * see {@link PrivateReplies}.
     */
    public EventRecord succeeded(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Command command = flow.command();
        CommandOutcome outcome = flow.outcome();
        return record(event(eventId(command.commandId()), command.type().succeededEventType(), command.commandId(),
                outcome.conversationUuid(), outcome.eventData()));
    }

    /** After the failure is classified. */
    public EventRecord failed(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Failure failure = flow.failure();
        String conversationUuid = flow.command() == null ? null : flow.command().conversationUuid();
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
        return record(event(eventId(flow.commandId()), COMMAND_FAILED, flow.commandId(), conversationUuid, data));
    }

    CloudEvent event(String id, String type, String commandId, String conversationUuid, Object data) {
        return events.create(id, type, conversationUuid, commandId, data);
    }

    private static EventRecord record(CloudEvent event) {
        return EventRecord.of(event, event.getSubject());
    }
}
