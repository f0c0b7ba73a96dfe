package io.github.ucconnector.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandType;
import org.apache.camel.Exchange;
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

    /** Route step, after {@link FailureClassifier#describe(Exchange)}. */
    public void log(Exchange exchange) {
        String commandId = exchange.getProperty(CommandExchange.COMMAND_ID, String.class);
        CommandType type = exchange.getProperty(CommandExchange.COMMAND_TYPE, CommandType.class);
        Failure failure = exchange.getProperty(CommandExchange.FAILURE, Failure.class);
        Integer attempts = exchange.getProperty(CommandExchange.ATTEMPTS, Integer.class);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(COMMAND_ID, commandId);
        fields.put(COMMAND_TYPE, type.id());
        if (failure.httpStatus() != null) {
            fields.put(STATUS, failure.httpStatus().toString());
        }
        fields.put(CATEGORY, failure.category().id());
        fields.put(ATTEMPTS, String.valueOf(attempts));
        fields.forEach(MDC::put);
        try {
            LOG.warn("Command {} ({}) failed after {} attempt(s): {}", commandId, type.id(), attempts,
                    failure.summary());
        } finally {
            // The thread goes on to other commands: none of them may log under this one's id.
            fields.keySet().forEach(MDC::remove);
        }
    }
}
