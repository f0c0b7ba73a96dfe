package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import io.github.ucconnector.command.CommandFailures;
import io.github.ucconnector.command.CommandRejectedException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier(UltraCartJson.mapper());

    private static HttpOperationFailedException http(int status, String ucRestError, String body) {
        return new HttpOperationFailedException("http://localhost/rest/v2/x", status, "status", null,
                ucRestError == null ? Map.of() : Map.of("uc-rest-error", ucRestError), body);
    }

    @Test
    void statusesMapToCategoriesAndOnlyTransientOnesAreRetryable() {
        assertThat(classifier.classify(http(400, null, null)).category()).isEqualTo(FailureCategory.BAD_REQUEST);
        assertThat(classifier.classify(http(401, null, null)).category()).isEqualTo(FailureCategory.UNAUTHORIZED);
        assertThat(classifier.classify(http(404, null, null)).category()).isEqualTo(FailureCategory.CLIENT_ERROR);
        assertThat(classifier.classify(http(410, null, null)).category()).isEqualTo(FailureCategory.APPLICATION_DISABLED);
        assertThat(classifier.classify(http(429, null, null)).category()).isEqualTo(FailureCategory.RATE_LIMITED);
        assertThat(classifier.classify(http(503, null, null)).category()).isEqualTo(FailureCategory.SERVER_ERROR);
        for (int status : new int[] {400, 401, 403, 404, 409, 410, 422}) {
            assertThat(classifier.classify(http(status, null, null)).category().retryable()).as("HTTP %d", status).isFalse();
        }
        for (int status : new int[] {429, 500, 502, 503, 504}) {
            assertThat(classifier.classify(http(status, null, null)).category().retryable()).as("HTTP %d", status).isTrue();
        }
    }

    @Test
    void ultraCartErrorTextsAreKept() {
        Failure failure = classifier.classify(http(429, "rate of 1000 per 3600 second(s) exceeded.",
                "{\"error\":{\"developer_message\":\"slow down\",\"user_message\":\"x\"},\"metadata\":{}}"));

        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.ucRestError()).isEqualTo("rate of 1000 per 3600 second(s) exceeded.");
        assertThat(failure.developerMessage()).isEqualTo("slow down");
        assertThat(failure.reason()).isEqualTo("UltraCart answered HTTP 429: rate of 1000 per 3600 second(s) exceeded.");
    }

    @Test
    void networkFailuresAreRetryable() {
        assertThat(classifier.classify(new SocketTimeoutException("Read timed out")).category())
                .isEqualTo(FailureCategory.TIMEOUT);
        assertThat(classifier.classify(new RuntimeException(new ConnectException("refused"))).category())
                .isEqualTo(FailureCategory.CONNECTION_ERROR);
    }

    @Test
    void rejectedCommandsAndConnectorBugsAreNotRetryable() {
        assertThat(new CommandFailures(classifier).classify(new CommandRejectedException("bad")).category())
                .isEqualTo(FailureCategory.INVALID_COMMAND);
        assertThat(classifier.classify(new IllegalStateException("bug")).category())
                .isEqualTo(FailureCategory.INTERNAL_ERROR);
    }

    @Test
    void errorTextsAreBoundedAndPrintable() {
        Failure failure = classifier.classify(http(500, "x".repeat(5000) + "\n\u0000", null));

        assertThat(failure.ucRestError()).hasSizeLessThanOrEqualTo(1001).doesNotContain("\n");
    }
}
