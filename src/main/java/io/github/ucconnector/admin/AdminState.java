package io.github.ucconnector.admin;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code GET /admin/state} shows (and pause and resume answer with): what an operator paused, this instance's
 * share of the API budget, whether it is the active poller, and its dead letters since it started.
 *
 * @param deadLetters records this instance wrote to the dead-letter topic since it started, by failure category
 */
public record AdminState(
        Paused paused,
        @JsonProperty("active_poller") boolean activePoller,
        Budget budget,
        @JsonProperty("dead_letters") Map<String, Long> deadLetters) {

    /** @param commands the paused command types, by id */
    public record Paused(List<String> commands, boolean poller) {
    }

    /** This instance's share of the API budget, as the {@code ultracart_connector_api_budget_*} gauges show it. */
    public record Budget(
            @JsonProperty("requests_left_this_hour") long requestsLeftThisHour,
            @JsonProperty("requests_left_today") long requestsLeftToday,
            @JsonProperty("call_slots_available") int callSlotsAvailable,
            @JsonProperty("commands_waiting") int commandsWaiting,
            @JsonProperty("pause_seconds") double pauseSeconds) {
    }
}
