package io.github.ucconnector.admin;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** The body of a failed admin request's answer. */
public final class AdminErrors {

    /** {@code {"error": "..."}} */
    public record AdminError(String error) {
    }

    /** Route step in an exception handler: the exception's message, which never holds the token. */
    public AdminError of(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        return new AdminError(failure == null ? "failed" : failure.getMessage());
    }
}
