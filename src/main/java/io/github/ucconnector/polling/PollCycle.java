package io.github.ucconnector.polling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What one poll cycle has read so far. A cycle runs on one thread, start to end. */
final class PollCycle {

    final boolean fullScan;
    final List<ConversationChange> changes = new ArrayList<>();
    final Set<String> listed = new HashSet<>();
    int nextOffset;
    int pages;
    boolean morePages = true;

    PollCycle(boolean fullScan) {
        this.fullScan = fullScan;
    }
}
