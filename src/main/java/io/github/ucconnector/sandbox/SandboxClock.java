package io.github.ucconnector.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The sandbox's clock: UTC wall-clock time at millisecond precision that never repeats or goes back, so that events
 * (conversation starts, messages) have distinct, ordered times even when they happen within the same millisecond.
 */
final class SandboxClock {

    /** UltraCart's {@code dateTime} text format is undocumented; the sandbox uses ISO-8601 UTC with milliseconds. */
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private long lastMillis;

    synchronized Instant now() {
        long millis = System.currentTimeMillis();
        if (millis <= lastMillis) {
            millis = lastMillis + 1;
        }
        lastMillis = millis;
        return Instant.ofEpochMilli(millis);
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }
}
