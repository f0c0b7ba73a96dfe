package io.github.ucconnector.polling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.ucconnector.metrics.ConnectorMetrics;

/** What one poll cycle has read so far. A cycle runs on one thread, start to end. */
final class PollCycle {

    final boolean fullScan;
    final ConnectorMetrics.PollCycleMeter meter;
    final List<ConversationChange> changes = new ArrayList<>();
    final Set<String> listed = new HashSet<>();
    int nextOffset;
    int pages;
    boolean morePages = true;
    /** Whether the cycle ran to its end; one that ended early (budget, errors, lease lost) did not. */
    boolean completed;

    PollCycle(boolean fullScan, ConnectorMetrics.PollCycleMeter meter) {
        this.fullScan = fullScan;
        this.meter = meter;
    }
}
