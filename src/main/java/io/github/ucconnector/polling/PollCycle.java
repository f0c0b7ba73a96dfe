package io.github.ucconnector.polling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.ucconnector.metrics.ConnectorMetrics;

/**
 * What one poll cycle has read so far and the change it is publishing: the poll routes' only state, kept under the
 * exchange property {@link #PROPERTY}. A cycle runs on one thread, start to end, and publishes one change at a time
 * (the split is sequential), so it needs no locking.
 */
public final class PollCycle {

    /** The exchange property the poll routes keep the cycle under; the split's exchanges share the same object. */
    public static final String PROPERTY = "ucPollCycle";

    final boolean fullScan;
    final ConnectorMetrics.PollCycleMeter meter;
    final List<ConversationChange> changes = new ArrayList<>();
    final Set<String> listed = new HashSet<>();
    int nextOffset;
    int pages;
    boolean morePages = true;
    /** Whether the cycle ran to its end; one that ended early (budget, errors, lease lost) did not. */
    boolean completed;
    /** The changed conversation being published, once its messages were fetched when they had to be. */
    ConversationChange publishing;

    PollCycle(boolean fullScan, ConnectorMetrics.PollCycleMeter meter) {
        this.fullScan = fullScan;
        this.meter = meter;
    }

    /** Measures the cycle, however it ended. */
    void ended() {
        meter.ended(fullScan, completed);
    }
}
