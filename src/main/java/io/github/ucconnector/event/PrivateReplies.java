package io.github.ucconnector.event;

import io.cloudevents.CloudEvent;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandOutcome;
import org.apache.camel.Exchange;

/**
 * The private reply of a command whose result holds secrets (upload-url: a presigned URL; agent-auth: a JWT and
 * phone-system tokens). The reply is a CloudEvent in the same binary form as the outcome events, with the full
 * result as data, keyed by the command id and correlated to it, and goes only to the reply topic.
 */
public final class PrivateReplies {

    private final OutcomeEvents events;

    public PrivateReplies(OutcomeEvents events) {
        this.events = events;
    }

    /** Route predicate: does the command's result go, in full, to the reply topic? */
    public boolean expected(Exchange exchange) {
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        return command != null && command.type().hasPrivateReply();
    }

    /** Replaces the message with the reply; the result stays in {@link CommandExchange#RESULT} for the outcome. */
    public void build(Exchange exchange) {
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        if (!command.type().hasPrivateReply()) {
            throw new IllegalStateException("a " + command.type().id() + " command has no private reply");
        }
        Object result = exchange.getProperty(CommandExchange.RESULT, CommandOutcome.class).replyData();
        CloudEvent reply = events.event(OutcomeEvents.replyId(command.commandId()), command.type().replyEventType(),
                command.commandId(), null, result);
        CloudEventRecords.write(exchange.getMessage(), reply, command.commandId());
    }
}
