package io.github.ucconnector.ledger;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the ledger knows of one command: {@code pending} while its API call may be under way, {@code done} with
 * the outcome event once that is on Kafka, {@code released} when the attempt that claimed it certainly made no call.
 *
 * @param eventKey     the outcome event's Kafka key, or {@code null}
 * @param eventHeaders the outcome event's headers ({@code ce_*}, {@code content-type})
 * @param eventValue   the outcome event's value (JSON data)
 * @param redrivenFrom on a pending start that an operator redrove although its outcome was unknown, the dead letter
 *                     it came from: that dead letter has had its one more call
 * @param attempt      on a pending or released start, the attempt that claimed it: a release frees only the claim of
 *                     its own attempt, whenever it lands
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(@JsonProperty("state") String state, @JsonProperty("event_key") String eventKey,
        @JsonProperty("event_headers") Map<String, String> eventHeaders, @JsonProperty("event_value") String eventValue,
        @JsonProperty("redriven_from") String redrivenFrom, @JsonProperty("attempt") String attempt) {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String RELEASED = "released";

    /** A start claimed by the given attempt before its call. */
    public static LedgerEntry pending(String attempt) {
        return new LedgerEntry(PENDING, null, null, null, null, attempt);
    }

    /**
     * A start sent again by a redrive of the given dead letter, although its earlier call may have reached UltraCart.
     */
    public static LedgerEntry pendingRedriven(String attempt, String deadLetter) {
        return new LedgerEntry(PENDING, null, null, null, deadLetter, attempt);
    }

    /** The claim of the given attempt is given up: that attempt made no call. */
    public static LedgerEntry released(String attempt) {
        return new LedgerEntry(RELEASED, null, null, null, null, attempt);
    }

    public static LedgerEntry done(String eventKey, Map<String, String> eventHeaders, String eventValue) {
        return new LedgerEntry(DONE, eventKey, Map.copyOf(eventHeaders), eventValue, null, null);
    }
}
