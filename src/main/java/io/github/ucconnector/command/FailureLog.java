package io.github.ucconnector.command;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ucconnector.api.Failure;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one log line of a failed command. Its id, type, HTTP status and failure category also go into the logging
 * context (MDC) for the duration of the line, so JSON logs ({@code log.format=json}) carry them as fields of their
 * own that a log collector can search and count; the text layout shows the line as it always was.
 */
public final class FailureLog {

    public static final String COMMAND_ID = "command_id";
    public static final String COMMAND_TYPE = "command_type";
    public static final String STATUS = "status";
    public static final String CATEGORY = "category";
    public static final String ATTEMPTS = "attempts";

    /** Named after the route that writes the line, as Camel's log step named it, so existing log filters still match. */
    private static final Logger LOG = LoggerFactory.getLogger("command-failed");

    /** After the failure is classified ({@link CommandFailures#describe}). */
    public void log(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Failure failure = flow.failure();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(COMMAND_ID, flow.commandId());
        fields.put(COMMAND_TYPE, flow.type().id());
        if (failure.httpStatus() != null) {
            fields.put(STATUS, failure.httpStatus().toString());
        }
        fields.put(CATEGORY, failure.category().id());
        fields.put(ATTEMPTS, String.valueOf(flow.attempts()));
        fields.forEach(MDC::put);
        try {
            LOG.warn("Command {} ({}) failed after {} attempt(s): {}", flow.commandId(), flow.type().id(),
                    flow.attempts(), failure.summary());
        } finally {
            // The thread goes on to other commands: none of them may log under this one's id.
            fields.keySet().forEach(MDC::remove);
        }
    }
}
