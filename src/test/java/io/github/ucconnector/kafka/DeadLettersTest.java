package io.github.ucconnector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import org.junit.jupiter.api.Test;

/** A dead letter keeps the record's own headers, byte for byte, and adds why the command failed. */
class DeadLettersTest {

    @Test
    void theRecordsHeadersStayAndTheFailuresAreAdded() {
        byte[] traceparent = {0, 1, 2, (byte) 0xff};
        CommandFlow flow = new CommandFlow(new ReceivedRecord("commands.join", 2, 41, null, new byte[0],
                Map.of("traceparent", traceparent)), null, false, CommandType.JOIN, "join-1");
        flow.failed(new Failure(FailureCategory.BAD_REQUEST, 400, "bad uuid", null, "UltraCart answered HTTP 400"));

        Map<String, Object> headers = new DeadLetters().headers(flow);

        assertThat(headers.get("traceparent")).isSameAs(traceparent);
        assertThat(text(headers)).containsEntry(DeadLetters.ORIGINAL_TOPIC, "commands.join")
                .containsEntry(DeadLetters.ORIGINAL_PARTITION, "2").containsEntry(DeadLetters.ORIGINAL_OFFSET, "41")
                .containsEntry(DeadLetters.STAGE, "TASK_PUT").containsEntry(DeadLetters.CATEGORY, "bad_request")
                .containsEntry(DeadLetters.HTTP_STATUS, "400").containsEntry(DeadLetters.UC_REST_ERROR, "bad uuid")
                .containsEntry(DeadLetters.COMMAND_TYPE, "join").containsEntry(DeadLetters.COMMAND_ID, "join-1")
                .containsEntry(DeadLetters.ATTEMPTS, "1")
                .containsEntry(DeadLetters.EXCEPTION_MESSAGE, "UltraCart answered HTTP 400");
    }

    @Test
    void anInvalidCommandFailedWhileBeingRead() {
        CommandFlow flow = new CommandFlow(new ReceivedRecord("commands.get", 0, 3, null, new byte[0], Map.of()), null,
                false, CommandType.GET, "commands.get-0-3");
        flow.failed(new Failure(FailureCategory.INVALID_COMMAND, null, null, null, "not JSON"));

        Map<String, String> headers = text(new DeadLetters().headers(flow));

        assertThat(headers).containsEntry(DeadLetters.STAGE, "VALUE_CONVERTER")
                .doesNotContainKeys(DeadLetters.HTTP_STATUS, DeadLetters.UC_REST_ERROR);
    }

    private static Map<String, String> text(Map<String, Object> headers) {
        return headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> new String((byte[]) entry.getValue(), StandardCharsets.UTF_8)));
    }
}
