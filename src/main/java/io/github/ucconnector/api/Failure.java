package io.github.ucconnector.api;

/**
 * What went wrong with one command, as published in its failed event and dead-letter headers. Texts that come from
 * UltraCart are bounded; none of them can carry a credential, which never enters an exchange.
 */
public record Failure(FailureCategory category, Integer httpStatus, String ucRestError, String developerMessage,
        String reason) {

    /** One line for the log: category, status and reason. */
    public String summary() {
        return category.id() + (httpStatus == null ? "" : " (HTTP " + httpStatus + ")") + ": " + reason;
    }
}
