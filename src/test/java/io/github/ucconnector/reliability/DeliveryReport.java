package io.github.ucconnector.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.reliability.CommandFeed.SentCommand;
import io.github.ucconnector.reliability.EventTopicReader.Event;
import io.github.ucconnector.sandbox.RecordedRequest;

/**
 * What happened to a set of commands, from the outside: their outcome events on the events topic and the API
 * requests the sandbox received. Each list names the offending commands, so a failed assertion says who and why.
 */
public final class DeliveryReport {

    static final String START_PATH = "/rest/v2/conversation/conversations";
    static final Set<String> SUCCESS_TYPES = Set.of("ultracart.conversation.started", "ultracart.conversation.joined",
            "ultracart.conversation.left");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Commands without any outcome event. */
    public final List<String> missing = new ArrayList<>();
    /** Commands whose outcome events carry more than one ce_id, or a ce_id not derived from the command id. */
    public final Map<String, List<String>> conflictingIds = new TreeMap<>();
    /** Commands with a failed (or otherwise unexpected) outcome, other than {@link #unknownOutcomeStarts}. */
    public final Map<String, String> unexpectedTypes = new TreeMap<>();
    /**
     * Start commands whose outcome is a failure of category {@code unknown_outcome}: the ledger found the start
     * pending (it may have reached UltraCart) and did not send it again (README, Delivery guarantees).
     */
    public final List<String> unknownOutcomeStarts = new ArrayList<>();
    /**
     * Of {@link #unknownOutcomeStarts}, those whose request the API never received (no PUT carried their queue uuid):
     * their call cannot have started a conversation, so failing them as {@code unknown_outcome} lost them needlessly.
     */
    public final List<String> unknownOutcomeStartsNeverReceived = new ArrayList<>();
    /** Start commands whose request body reached the API more than once: command id to number of PUTs. */
    public final Map<String, Integer> startsCalledTwice = new TreeMap<>();
    /** Number of outcome records beyond the first per command (same ce_id: a tolerated redelivery). */
    public int duplicateRecords;
    public int startCommands;
    public int startPuts;
    public int distinctStartedEventIds;
    public int joinLeaveCommands;
    public int joinLeaveCalls;

    public static DeliveryReport of(List<SentCommand> commands, List<Event> events, List<RecordedRequest> requests) {
        DeliveryReport report = new DeliveryReport();
        Map<String, List<Event>> byId = new LinkedHashMap<>();
        for (Event event : events) {
            byId.computeIfAbsent(event.commandId(), id -> new ArrayList<>()).add(event);
        }
        Map<String, Integer> putsByQueue = new LinkedHashMap<>();
        for (RecordedRequest request : requests) {
            if ("PUT".equals(request.method()) && START_PATH.equals(request.path())) {
                report.startPuts++;
                try {
                    String queue = JSON.readTree(request.body()).path("conversation_webchat_queue_uuid").asText("");
                    putsByQueue.merge(queue, 1, Integer::sum);
                } catch (Exception e) {
                    putsByQueue.merge("(unreadable body)", 1, Integer::sum);
                }
            } else if (request.path().endsWith("/join") || request.path().endsWith("/leave")) {
                report.joinLeaveCalls++;
            }
        }
        for (SentCommand command : commands) {
            List<Event> outcomes = byId.getOrDefault(command.commandId(), List.of());
            if (outcomes.isEmpty()) {
                report.missing.add(command.commandId());
                continue;
            }
            report.duplicateRecords += outcomes.size() - 1;
            List<String> ids = outcomes.stream().map(Event::ceId).distinct().toList();
            if (ids.size() != 1 || !ids.get(0).equals(OutcomeEvents.eventId(command.commandId()))) {
                report.conflictingIds.put(command.commandId(), ids);
            }
            Set<String> types = outcomes.stream().map(Event::type).collect(Collectors.toSet());
            if ("start".equals(command.type()) && outcomes.stream().allMatch(DeliveryReport::isUnknownOutcome)) {
                report.unknownOutcomeStarts.add(command.commandId());
                if (putsByQueue.getOrDefault(command.queueUuid(), 0) == 0) {
                    report.unknownOutcomeStartsNeverReceived.add(command.commandId());
                }
            } else if (!SUCCESS_TYPES.containsAll(types)) {
                report.unexpectedTypes.put(command.commandId(), types + " " + outcomes.get(0).value());
            }
            if ("start".equals(command.type())) {
                report.startCommands++;
                int puts = putsByQueue.getOrDefault(command.queueUuid(), 0);
                if (puts > 1) {
                    report.startsCalledTwice.put(command.commandId(), puts);
                }
            } else {
                report.joinLeaveCommands++;
            }
        }
        report.distinctStartedEventIds = (int) events.stream()
                .filter(e -> "ultracart.conversation.started".equals(e.type()))
                .map(Event::ceId).distinct().count();
        return report;
    }

    private static boolean isUnknownOutcome(Event event) {
        if (!"ultracart.conversation.command.failed".equals(event.type())) {
            return false;
        }
        try {
            return "unknown_outcome".equals(JSON.readTree(event.value()).path("category").asText());
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "missing=" + missing.size() + " conflictingIds=" + conflictingIds.size() + " unexpectedTypes="
                + unexpectedTypes.size() + " unknownOutcomeStarts=" + unknownOutcomeStarts
                + " (never received by the API: " + unknownOutcomeStartsNeverReceived + ")"
                + " duplicateRecords(same ce_id)=" + duplicateRecords + " startCommands=" + startCommands
                + " startPuts=" + startPuts + " distinctStartedEventIds=" + distinctStartedEventIds
                + " startsCalledTwice=" + startsCalledTwice + " joinLeaveCommands=" + joinLeaveCommands
                + " joinLeaveCalls=" + joinLeaveCalls;
    }
}
