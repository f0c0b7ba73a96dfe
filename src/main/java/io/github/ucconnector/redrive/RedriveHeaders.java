package io.github.ucconnector.redrive;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import io.github.ucconnector.command.ReceivedRecord;

/** The headers a redriven command carries, besides its own. */
public final class RedriveHeaders {

    /** How often the command has been redriven: 1 the first time, one more each time after. */
    public static final String COUNT = ReceivedRecord.REDRIVE_COUNT;
    /** When it was redriven (ISO-8601). */
    public static final String REDRIVEN_AT = "ultracart_redriven_at";
    /** The dead letter it was sent back from, {@code <topic>/<partition>/<offset>}. */
    public static final String REDRIVEN_FROM = "ultracart_redriven_from";
    /**
     * On a start whose earlier call may have reached UltraCart, sent back on the operator's explicit request: the
     * dead letter's position. The ledger lets such a start make one more call per dead letter named here.
     */
    public static final String UNKNOWN_START_OVERRIDE = "ultracart_redrive_unknown_start";

    /** What a redrive replaces: the dead letter's reasons and the marks of an earlier redrive. */
    static final String[] REPLACED_PREFIXES = {"__connect.errors.", "__ultracart.errors.", "ultracart_redrive"};

    private RedriveHeaders() {
    }

    /**
     * The dead letter a command record's override names, when it has one.
     *
     * @param headers a command record's headers, values as bytes as they were on Kafka
     */
    public static Optional<String> unknownStartOverride(Map<String, Object> headers) {
        return headers.get(UNKNOWN_START_OVERRIDE) instanceof byte[] value
                ? Optional.of(new String(value, StandardCharsets.UTF_8)) : Optional.empty();
    }
}
