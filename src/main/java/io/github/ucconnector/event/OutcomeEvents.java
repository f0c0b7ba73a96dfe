package io.github.ucconnector.event;

import java.util.LinkedHashMap;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.github.ucconnector.api.Failure;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandOutcome;
import io.github.ucconnector.command.CommandType;
import org.apache.camel.Exchange;

/**
 * Builds the one outcome event of every command: a CloudEvent in Kafka binary mode ({@code ce_*} headers, JSON
 * value), keyed by conversation uuid and correlated to the command by {@code ce_correlationid}.
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
     * Route step after a successful call: the command's outcome is in {@link CommandExchange#RESULT}. Results
     * with secrets (upload-url, agent-auth) are published here only without them; see {@link PrivateReplies}.
     */
    public void succeeded(Exchange exchange) {
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        CommandOutcome outcome = exchange.getProperty(CommandExchange.RESULT, CommandOutcome.class);
        CloudEventRecords.write(exchange.getMessage(), event(command.type().succeededEventType(), command.commandId(),
                outcome.conversationUuid(), outcome.eventData()));
    }

    /** Route step of the failure route: needs the classified failure. */
    public void failed(Exchange exchange) {
        CommandType type = exchange.getProperty(CommandExchange.COMMAND_TYPE, CommandType.class);
        String commandId = exchange.getProperty(CommandExchange.COMMAND_ID, String.class);
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        Failure failure = exchange.getProperty(CommandExchange.FAILURE, Failure.class);
        String conversationUuid = command == null ? null : command.conversationUuid();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command_type", type == null ? null : type.id());
        data.put("command_id", commandId);
        data.put("conversation_uuid", conversationUuid);
        data.put("http_status", failure.httpStatus());
        data.put("category", failure.category().id());
        data.put("reason", failure.reason());
        data.put("uc_rest_error", failure.ucRestError());
        data.put("developer_message", failure.developerMessage());
        data.put("attempts", exchange.getProperty(CommandExchange.ATTEMPTS, Integer.class));
        data.values().removeIf(java.util.Objects::isNull);
        CloudEventRecords.write(exchange.getMessage(), event(COMMAND_FAILED, commandId, conversationUuid, data));
    }

    CloudEvent event(String type, String commandId, String conversationUuid, Object data) {
        return event(eventId(commandId), type, commandId, conversationUuid, data);
    }

    CloudEvent event(String id, String type, String commandId, String conversationUuid, Object data) {
        return events.create(id, type, conversationUuid, commandId, data);
    }
}
