package io.github.ucconnector.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.api.FailureClassifier;
import io.github.ucconnector.api.UltraCartJson;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** What a command's failure means: retried, final, and whether a start may be sent again. */
class CommandFailuresTest {

    private final CommandFailures failures = new CommandFailures(new FailureClassifier(UltraCartJson.mapper()));

    @Test
    void aRejectedCommandIsInvalidMadeNoCallAndIsNeverRetried() {
        CommandRejectedException rejected = new CommandRejectedException("field 'x' is not allowed");

        assertThat(failures.classify(rejected).category()).isEqualTo(FailureCategory.INVALID_COMMAND);
        assertThat(failures.classify(rejected).reason()).isEqualTo("field 'x' is not allowed");
        assertThat(CommandFailures.mayHaveActed(rejected)).isFalse();
        assertThat(failures.retryMaySucceed(flow(CommandType.JOIN), rejected)).isFalse();
    }

    @Test
    void aStartIsRetriedOnlyWhenItsCallCertainlyHadNoEffect() {
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        RuntimeException refused = new RuntimeException(new ConnectException("refused"));

        assertThat(failures.retryMaySucceed(flow(CommandType.JOIN), timeout)).isTrue();
        assertThat(failures.retryMaySucceed(flow(CommandType.START), timeout)).isFalse();
        assertThat(failures.retryMaySucceed(flow(CommandType.START), refused)).isTrue();
        assertThat(failures.retryMaySucceed(flow(CommandType.START), http(503))).isTrue();
        assertThat(failures.retryMaySucceed(flow(CommandType.START), http(500))).isFalse();
        assertThat(failures.retryMaySucceed(flow(CommandType.LEAVE), http(500))).isTrue();
        assertThat(failures.retryMaySucceed(flow(CommandType.GET), http(400))).isFalse();
    }

    private static CommandFlow flow(CommandType type) {
        return new CommandFlow(new ReceivedRecord("commands", 0, 1, null, new byte[0], Map.of()), null, false, type,
                "cmd-1");
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://localhost/rest/v2/x", status, "status", null, Map.of(), null);
    }
}
