package io.github.ucconnector.api;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.apache.hc.core5.http.Header;

/** Reads an HTTP {@code Retry-After} header: a number of seconds or an HTTP date (RFC 9110 §10.2.3). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** @return the wait it asks for, or {@code null} when there is no usable header */
    public static Duration parse(Header header) {
        return header == null ? null : parse(header.getValue(), Clock.systemUTC());
    }

    static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
