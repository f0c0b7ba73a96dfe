package io.github.ucconnector.polling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** UltraCart's dateTime text is undocumented (ISO-8601 in the sandbox): read leniently, null when unreadable. */
final class PollTimes {

    private PollTimes() {
    }

    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
