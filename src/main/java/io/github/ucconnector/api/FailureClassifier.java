package io.github.ucconnector.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.model.ErrorResponse;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Classifies any failure of an API call into a {@link Failure}, and tells whether the call may have had an effect
 * at UltraCart.
 */
public final class FailureClassifier {

    static final String UC_REST_ERROR = "UC-REST-ERROR";
    private static final int MAX_TEXT = 1000;

    private final ObjectMapper mapper;

    public FailureClassifier(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * False only when the call certainly had no effect at UltraCart: refused before it was handled (4xx, 429, a
     * gateway's 502/503/504, no connection, the budget), an answer that says it failed, or no call at all. A
     * timeout, a 500 or an unreadable 2xx answer may hide a call that did its work.
     */
    public static boolean mayHaveActed(Throwable thrown) {
        if (thrown instanceof ApiGate.ApiUnavailableException
                || thrown instanceof ApiBudget.BudgetExhaustedException) {
            return false;
        }
        if (thrown instanceof UltraCartApiException api) {
            return api.category() == FailureCategory.INVALID_RESPONSE || api.category() == FailureCategory.UNKNOWN_OUTCOME
                    || api.category() == FailureCategory.INTERNAL_ERROR;
        }
        if (thrown instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            return status >= 500 && status != 502 && status != 503 && status != 504;
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException) {
                return false;
            }
        }
        return true;
    }

    /** The failure being handled: during redelivery it is still on the exchange, afterwards in a property. */
    public static Throwable caught(Exchange exchange) {
        Throwable thrown = exchange.getException();
        return thrown != null ? thrown : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    public Failure classify(Throwable thrown) {
        if (thrown instanceof UltraCartApiException api) {
            return new Failure(api.category(), api.httpStatus(), api.ucRestError(), api.developerMessage(),
                    api.getMessage());
        }
        if (thrown instanceof HttpOperationFailedException http) {
            return fromHttpStatus(http);
        }
        if (thrown instanceof ApiBudget.BudgetExhaustedException budget) {
            return new Failure(FailureCategory.RATE_LIMITED, null, null, null, budget.getMessage());
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException) {
                return new Failure(FailureCategory.TIMEOUT, null, null, null, "no answer from UltraCart in time");
            }
            if (cause instanceof IOException io) {
                return new Failure(FailureCategory.CONNECTION_ERROR, null, null, null,
                        "could not reach UltraCart: " + io.getClass().getSimpleName());
            }
        }
        return new Failure(FailureCategory.INTERNAL_ERROR, null, null, null,
                "connector error: " + (thrown == null ? "unknown" : thrown.getClass().getSimpleName()
                        + (thrown.getMessage() == null ? "" : ": " + bounded(thrown.getMessage()))));
    }

    private Failure fromHttpStatus(HttpOperationFailedException http) {
        int status = http.getStatusCode();
        String ucRestError = bounded(header(http.getResponseHeaders(), UC_REST_ERROR));
        String developerMessage = bounded(developerMessage(http.getResponseBody()));
        String detail = ucRestError != null ? ucRestError : developerMessage;
        return new Failure(FailureCategory.forStatus(status), status, ucRestError, developerMessage,
                "UltraCart answered HTTP " + status + (detail == null ? "" : ": " + detail));
    }

    private String developerMessage(String body) {
        if (body == null || body.isBlank() || body.length() > UltraCartResponses.MAX_ERROR_BODY) {
            return null;
        }
        try {
            ErrorResponse error = mapper.readValue(body, ErrorResponse.class);
            return error.error() == null ? null : error.error().developerMessage();
        } catch (IOException e) {
            return null;
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(entry -> name.equalsIgnoreCase(entry.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    static String bounded(String text) {
        if (text == null) {
            return null;
        }
        String printable = text.replaceAll("\\p{Cntrl}", " ");
        return printable.length() <= MAX_TEXT ? printable : printable.substring(0, MAX_TEXT) + "…";
    }
}
