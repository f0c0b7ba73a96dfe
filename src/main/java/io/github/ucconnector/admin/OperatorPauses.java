package io.github.ucconnector.admin;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.health.ReadinessCheck;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.github.ucconnector.polling.ActivePoller;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints' actions: pause and resume command consumption ({@link CommandPauses}) and polling
 * ({@link ActivePoller}) on this instance, and its state. Each action that changes something is logged once, with
 * what it changed.
 */
public final class OperatorPauses {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorPauses.class);

    private final CommandPauses commands;
    private final ActivePoller poller;
    private final ApiBudget budget;
    private final ConnectorMetrics metrics;

    public OperatorPauses(CommandPauses commands, ActivePoller poller, ApiBudget budget, ConnectorMetrics metrics) {
        this.commands = commands;
        this.poller = poller;
        this.budget = budget;
        this.metrics = metrics;
    }

    /** {@code POST /admin/pause}: see {@link PauseSelection#of} for the parameters. */
    public synchronized AdminState pause(@Header("commands") String commandTypes, @Header("poller") String polling) {
        PauseSelection selection = PauseSelection.of(commandTypes, polling);
        if (!selection.commands().isEmpty()) {
            commands.requireHoldback();
        }
        Set<CommandType> paused = commands.pause(selection.commands());
        boolean pollerPaused = selection.poller() && poller.pause();
        log("paused", paused, pollerPaused);
        return state();
    }

    /** {@code POST /admin/resume}: the same parameters as {@link #pause}. */
    public synchronized AdminState resume(@Header("commands") String commandTypes, @Header("poller") String polling)
            throws Exception {
        PauseSelection selection = PauseSelection.of(commandTypes, polling);
        Set<CommandType> resumed = commands.resume(selection.commands());
        boolean pollerResumed = selection.poller() && poller.resume();
        log("resumed", resumed, pollerResumed);
        return state();
    }

    /** {@code GET /admin/state}. */
    public AdminState state() {
        return new AdminState(
                new AdminState.Paused(commands.paused().stream().map(CommandType::id).toList(), poller.isPaused()),
                poller.isActive(),
                new AdminState.Budget(budget.availableRequestsThisHour(), budget.availableRequestsToday(),
                        budget.availableCallSlots(), budget.commandsWaiting(), budget.pause().toMillis() / 1000.0),
                metrics.deadLettersByCategory());
    }

    /** What is paused, for the readiness check: empty while nothing is. */
    public Optional<String> pausedSummary() {
        return Optional.ofNullable(describe(commands.paused(), poller.isPaused()));
    }

    /**
     * Readiness is down while an operator has paused something, saying what: an instance that is UP while it does
     * not do its work would hide the pause from whoever looks at the probes. The work waits on Kafka.
     */
    public ReadinessCheck readinessCheck() {
        return new ReadinessCheck("operator-pause",
                () -> pausedSummary().map(paused -> "paused by an operator: " + paused));
    }

    private static void log(String action, Set<CommandType> types, boolean poller) {
        String changed = describe(types, poller);
        if (changed == null) {
            LOG.info("Operator request: nothing to be {}, nothing changed", action);
        } else {
            LOG.info("Operator {} {}", action, changed);
        }
    }

    /** For example "commands join, leave and the poller"; {@code null} for nothing. */
    private static String describe(Set<CommandType> types, boolean poller) {
        List<String> parts = new ArrayList<>();
        if (types.equals(EnumSet.allOf(CommandType.class))) {
            parts.add("all commands");
        } else if (!types.isEmpty()) {
            parts.add("commands " + PauseSelection.ids(types));
        }
        if (poller) {
            parts.add("the poller");
        }
        return parts.isEmpty() ? null : String.join(" and ", parts);
    }
}
