package io.github.ucconnector.event;

import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandFlow;
import org.apache.camel.ExchangeProperty;

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

    /** Does the command's result go, in full, to the reply topic? */
    public boolean expected(CommandFlow flow) {
        return flow != null && flow.command() != null && flow.type().hasPrivateReply();
    }

    public EventRecord build(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Command command = flow.command();
        if (!command.type().hasPrivateReply()) {
            throw new IllegalStateException("a " + command.type().id() + " command has no private reply");
        }
        String id = OutcomeEvents.replyId(command.commandId(), flow.record().redriveCount());
        return EventRecord.of(events.event(id, command.type().replyEventType(), command.commandId(), null,
                flow.outcome().replyData()), command.commandId());
    }
}
