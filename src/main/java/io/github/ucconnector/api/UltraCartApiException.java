package io.github.ucconnector.api;

/** A Conversation API call that did not give the operation's result. */
public final class UltraCartApiException extends RuntimeException {

    private final FailureCategory category;
    private final Integer httpStatus;
    private final String ucRestError;
    private final String developerMessage;

    public UltraCartApiException(FailureCategory category, Integer httpStatus, String ucRestError,
            String developerMessage, String message) {
        super(message, null, false, false);
        this.category = category;
        this.httpStatus = httpStatus;
        this.ucRestError = ucRestError;
        this.developerMessage = developerMessage;
    }

    public FailureCategory category() {
        return category;
    }

    /** The HTTP status, or {@code null} when no answer came. */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** UltraCart's {@code UC-REST-ERROR} header, or {@code null}. */
    public String ucRestError() {
        return ucRestError;
    }

    /** {@code error.developer_message} of UltraCart's ErrorResponse, or {@code null}. */
    public String developerMessage() {
        return developerMessage;
    }
}
