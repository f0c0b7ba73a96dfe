package io.github.ucconnector.kafka;

import java.nio.charset.StandardCharsets;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Turns a failed command back into its original record (same key, value and headers) and adds why it failed, with
 * Kafka Connect's {@code __connect.errors.*} header names where they fit.
 */
public final class DeadLetters {

    public static final String ORIGINAL_TOPIC = "__connect.errors.topic";
    public static final String ORIGINAL_PARTITION = "__connect.errors.partition";
    public static final String ORIGINAL_OFFSET = "__connect.errors.offset";
    public static final String CONNECTOR_NAME = "__connect.errors.connector.name";
    public static final String STAGE = "__connect.errors.stage";
    public static final String EXCEPTION_MESSAGE = "__connect.errors.exception.message";
    public static final String CATEGORY = "__ultracart.errors.category";
    public static final String HTTP_STATUS = "__ultracart.errors.http.status";
    public static final String UC_REST_ERROR = "__ultracart.errors.uc.rest.error";
    public static final String COMMAND_TYPE = "__ultracart.errors.command.type";
    public static final String COMMAND_ID = "__ultracart.errors.command.id";
    public static final String ATTEMPTS = "__ultracart.errors.attempts";

    static final String CONNECTOR = "ultracart-conversation-connector";

    public void prepare(Exchange exchange) {
        ReceivedRecord record = exchange.getProperty(CommandExchange.RECEIVED_RECORD, ReceivedRecord.class);
        Failure failure = exchange.getProperty(CommandExchange.FAILURE, Failure.class);
        CommandType type = exchange.getProperty(CommandExchange.COMMAND_TYPE, CommandType.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.getHeaders().putAll(record.headers());
        if (record.key() != null) {
            message.setHeader(KafkaConstants.KEY, record.key());
        }
        message.setBody(record.value());
        set(message, ORIGINAL_TOPIC, record.topic());
        set(message, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        set(message, ORIGINAL_OFFSET, Long.toString(record.offset()));
        set(message, CONNECTOR_NAME, CONNECTOR);
        // Kafka Connect's stage names: the record was rejected while being read, or the API call failed.
        set(message, STAGE, failure.category() == io.github.ucconnector.api.FailureCategory.INVALID_COMMAND
                ? "VALUE_CONVERTER" : "TASK_PUT");
        set(message, EXCEPTION_MESSAGE, failure.reason());
        set(message, CATEGORY, failure.category().id());
        set(message, HTTP_STATUS, failure.httpStatus() == null ? null : failure.httpStatus().toString());
        set(message, UC_REST_ERROR, failure.ucRestError());
        set(message, COMMAND_TYPE, type == null ? null : type.id());
        set(message, COMMAND_ID, exchange.getProperty(CommandExchange.COMMAND_ID, String.class));
        set(message, ATTEMPTS, String.valueOf(exchange.getProperty(CommandExchange.ATTEMPTS, Integer.class)));
    }

    /** Headers are written as UTF-8 bytes, like the record's own headers. */
    private static void set(Message message, String name, String value) {
        if (value != null) {
            message.setHeader(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
