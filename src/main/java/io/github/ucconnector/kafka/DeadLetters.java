package io.github.ucconnector.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.ReceivedRecord;

/**
 * A failed command goes back to Kafka as its original record (same key, value and headers) with why it failed
 * added, with Kafka Connect's {@code __connect.errors.*} header names where they fit.
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

    /** The dead letter's headers: the record's own, as they came, and the failure's. */
    public Map<String, Object> headers(CommandFlow flow) {
        ReceivedRecord record = flow.record();
        Failure failure = flow.failure();
        Map<String, Object> headers = new LinkedHashMap<>(record.headers());
        set(headers, ORIGINAL_TOPIC, record.topic());
        set(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        set(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
        set(headers, CONNECTOR_NAME, CONNECTOR);
        // Kafka Connect's stage names: the record was rejected while being read, or the API call failed.
        set(headers, STAGE, failure.category() == FailureCategory.INVALID_COMMAND ? "VALUE_CONVERTER" : "TASK_PUT");
        set(headers, EXCEPTION_MESSAGE, failure.reason());
        set(headers, CATEGORY, failure.category().id());
        set(headers, HTTP_STATUS, failure.httpStatus() == null ? null : failure.httpStatus().toString());
        set(headers, UC_REST_ERROR, failure.ucRestError());
        set(headers, COMMAND_TYPE, flow.type().id());
        set(headers, COMMAND_ID, flow.commandId());
        set(headers, ATTEMPTS, String.valueOf(flow.attempts()));
        return headers;
    }

    /** Headers are written as UTF-8 bytes, like the record's own headers. */
    private static void set(Map<String, Object> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
