package io.github.ucconnector.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rate limits, concurrency limit and fault injection for API calls. Thread-safe.
 *
 * <p>Rate limits are sliding windows over the times of the API calls admitted since the fault settings were last
 * changed; calls refused with 429 do not count.
 */
final class TrafficControl {

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;

    /** Outcome of {@link #admit()}: either admitted with the settings to apply, or refused with UltraCart's text. */
    record Admission(FaultSettings settings, String refusal) {
        boolean admitted() {
            return refusal == null;
        }
    }

    private FaultSettings settings = FaultSettings.OFF;
    private final Deque<Long> admittedTimes = new ArrayDeque<>();
    private int inFlight;

    synchronized FaultSettings settings() {
        return settings;
    }

    /** Applies new settings and starts the rate-limit windows afresh. */
    synchronized void configure(FaultSettings newSettings) {
        settings = newSettings;
        admittedTimes.clear();
    }

    synchronized void reset() {
        configure(FaultSettings.OFF);
    }

    /** Admits a call (which must then be {@link #release() released}) or refuses it. */
    synchronized Admission admit() {
        long now = System.currentTimeMillis();
        FaultSettings s = settings;
        if (s.maxConcurrent() != null && inFlight >= s.maxConcurrent()) {
            return new Admission(s, "concurrent requests are not allowed.");
        }
        boolean windowed = s.requestsPerHour() != null || s.requestsPerDay() != null;
        if (windowed) {
            while (!admittedTimes.isEmpty() && admittedTimes.peekFirst() <= now - DAY_MS) {
                admittedTimes.removeFirst();
            }
            if (s.requestsPerHour() != null && countSince(now - HOUR_MS) >= s.requestsPerHour()) {
                return new Admission(s, "rate of " + s.requestsPerHour() + " per 3600 second(s) exceeded.");
            }
            if (s.requestsPerDay() != null && admittedTimes.size() >= s.requestsPerDay()) {
                return new Admission(s, "rate of " + s.requestsPerDay() + " per 86400 second(s) exceeded.");
            }
            admittedTimes.addLast(now);
        }
        inFlight++;
        return new Admission(s, null);
    }

    synchronized void release() {
        inFlight--;
    }

    /** The fault kind to inject into this call, or null for none. */
    static String drawFault(FaultSettings s) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (s.faultShare() <= 0.0 || random.nextDouble() >= s.faultShare()) {
            return null;
        }
        List<String> kinds = s.faultKinds();
        return kinds.get(random.nextInt(kinds.size()));
    }

    private int countSince(long from) {
        int count = 0;
        for (Iterator<Long> it = admittedTimes.descendingIterator(); it.hasNext(); ) {
            if (it.next() <= from) {
                break;
            }
            count++;
        }
        return count;
    }
}
