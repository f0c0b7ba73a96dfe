package io.github.ucconnector.polling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.ucconnector.polling.PollerModel.Step;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Model-based test of the read side: random sequences of what customers and agents do in the sandbox, interleaved
 * with poll cycles, restarts, crashes and failovers; afterwards the events on Kafka must be exactly what the sandbox
 * holds (see {@link PollerModel#check}). Cycles are driven directly ({@code direct:poll-cycle} of the real routes)
 * on two connector instances against the real sandbox and broker, so a sequence takes a fraction of a second.
 *
 * <p>A failing sequence is printed as Java ({@code List.of(new Open(true), new Cycle(), ...)}): paste it into
 * {@link #replay()} to run it again.
 */
class PollerModelTest {

    private static PollerModel model;

    @BeforeContainer
    static void startInstances() throws Exception {
        model = PollerModel.start();
    }

    @AfterContainer
    static void stopInstances() {
        if (model != null) {
            model.close();
        }
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void everyMessageJoinLeaveAndCloseIsOnKafkaOnceAndNothingElse(@ForAll("sequences") List<Step> steps)
            throws Exception {
        model.run(steps);
    }

    /** Paste a printed failing sequence here to run it on its own. */
    @Example
    void replay() throws Exception {
        model.run(List.of(new PollerModel.Open(true), new PollerModel.Write(0, true), new PollerModel.Crash(2, true),
                new PollerModel.Burst(0, 3), new PollerModel.WriteDuringCycle(0), new PollerModel.Cycle(),
                new PollerModel.Leave(0), new PollerModel.Close(0)));
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Integer> conversation = Arbitraries.integers().between(0, 3);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(true, false).map(PollerModel.Open::new)),
                net.jqwik.api.Tuple.of(8, net.jqwik.api.Combinators.combine(conversation, Arbitraries.of(true, false))
                        .as(PollerModel.Write::new)),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(conversation,
                        Arbitraries.integers().between(2, 4)).as(PollerModel.Burst::new)),
                net.jqwik.api.Tuple.of(2, conversation.map(PollerModel.WriteDuringCycle::new)),
                net.jqwik.api.Tuple.of(3, conversation.map(PollerModel.Join::new)),
                net.jqwik.api.Tuple.of(3, conversation.map(PollerModel.Leave::new)),
                net.jqwik.api.Tuple.of(1, conversation.map(PollerModel.Close::new)),
                net.jqwik.api.Tuple.of(6, Arbitraries.just(new PollerModel.Cycle())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new PollerModel.Restart())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new PollerModel.Failover())),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 6),
                        Arbitraries.of(true, false)).as(PollerModel.Crash::new)));
        return step.list().ofMinSize(1).ofMaxSize(24).map(PollerModelTest::observable);
    }

    /**
     * A summary shows a participant's latest stint only: two joins or leaves of one conversation's agent between two
     * cycles could hide a stint from any poller, so a cycle goes between them. Crashed cycles do not count (they may
     * not have published that conversation), nor do two crashes follow each other without a cycle.
     */
    static List<Step> observable(List<Step> steps) {
        List<Step> result = new ArrayList<>();
        int opened = 0;
        Map<Integer, String> agent = new HashMap<>();
        Set<Integer> changedSinceCycle = new HashSet<>();
        boolean crashed = false;
        for (Step step : steps) {
            Integer touched = null;
            String after = null;
            if (step instanceof PollerModel.Open) {
                touched = opened++;
                agent.put(touched, "absent");
            } else if (opened > 0 && step instanceof PollerModel.Join join) {
                touched = join.conversation() % opened;
                after = "present";
            } else if (opened > 0 && step instanceof PollerModel.Leave leave) {
                touched = leave.conversation() % opened;
                after = agent.get(touched).equals("present") ? "left" : agent.get(touched);
            } else if (opened > 0 && step instanceof PollerModel.Write write && write.agent()) {
                touched = write.conversation() % opened;
                after = "present";
            }
            boolean participantChange = touched != null
                    && (after == null || !after.equals(agent.get(touched)));
            if (participantChange && changedSinceCycle.contains(touched)) {
                result.add(new PollerModel.Cycle());
                changedSinceCycle.clear();
                crashed = false;
            }
            if (step instanceof PollerModel.Crash && crashed) {
                result.add(new PollerModel.Cycle());
                changedSinceCycle.clear();
            }
            result.add(step);
            if (participantChange) {
                changedSinceCycle.add(touched);
                if (after != null) {
                    agent.put(touched, after);
                }
            }
            if (step instanceof PollerModel.Cycle) {
                changedSinceCycle.clear();
                crashed = false;
            } else if (step instanceof PollerModel.Crash) {
                crashed = true;
            }
        }
        return result;
    }

    static String describe(List<Step> steps) {
        return steps.stream().map(Step::toString).collect(Collectors.joining(", ", "List.of(", ")"));
    }
}
