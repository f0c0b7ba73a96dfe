package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.ucconnector.api.ApiBudget.Priority;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

/** When the gate closes, who may call while it is closed, and what opens it again. */
class ApiGateTest {

    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void oneCommandFailingAgainAndAgainNeverClosesIt() throws Exception {
        ApiGate gate = new ApiGate(LONG, 3, Duration.ZERO, LONG, LONG);
        for (int attempt = 0; attempt < 10; attempt++) {
            gate.onAnswer(500, "the-same-command");
            gate.onNoAnswer("the-same-command");
        }
        assertThat(gate.closedFor()).isEmpty();
        assertThat(gate.beforeCall(Priority.POLL)).as("a call, not a probe").isFalse();
    }

    @Test
    void failuresInARowForSeveralCallersCloseItAndReadinessSaysWhy() {
        ApiGate gate = new ApiGate(LONG, 3, Duration.ZERO, LONG, LONG);
        gate.onAnswer(503, "join-1");
        gate.onAnswer(503, "join-1");
        gate.onAnswer(200, "poll-1");
        gate.onNoAnswer("join-2");
        gate.onAnswer(502, "join-2");
        assertThat(gate.closedFor()).as("a success in between starts the count again").isEmpty();

        gate.onAnswer(504, "poll-2");
        assertThat(gate.closedFor()).contains(ApiGate.Reason.UNAVAILABLE);
        assertThatThrownBy(() -> gate.beforeCall(Priority.POLL)).isInstanceOf(ApiGate.ApiUnavailableException.class);
        assertThat(state(gate.availabilityCheck())).isEqualTo(HealthCheck.State.DOWN);
        assertThat(state(gate.credentialsCheck())).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aShortRunOfFaultsAmongFrequentCallsDoesNotCloseIt() throws Exception {
        ApiGate gate = new ApiGate(LONG, 3, Duration.ofMillis(300), LONG, LONG);
        for (int call = 0; call < 10; call++) {
            gate.onAnswer(503, "command-" + call);
        }
        assertThat(gate.closedFor()).as("failing for less than the minimum duration").isEmpty();
        Thread.sleep(300);
        gate.onNoAnswer("command-10");
        assertThat(gate.closedFor()).as("still failing once the minimum duration has passed")
                .contains(ApiGate.Reason.UNAVAILABLE);
    }

    @Test
    void oneProbeAtATimeAndItsAnswerOpensTheGate() throws Exception {
        ApiGate gate = closedForAnOutage(SHORT);
        boolean probe = awaitProbe(gate);
        assertThat(probe).isTrue();
        assertThatThrownBy(() -> gate.beforeCall(Priority.POLL)).as("a second call while the probe runs")
                .isInstanceOf(ApiGate.ApiUnavailableException.class);

        // Any answer below 500 shows UltraCart serves calls again, even a 404 for the command's conversation.
        gate.onAnswer(404, "probe");
        gate.afterCall(true);
        assertThat(gate.closedFor()).isEmpty();
        assertThat(state(gate.availabilityCheck())).isEqualTo(HealthCheck.State.UP);
        assertThat(gate.beforeCall(Priority.POLL)).isFalse();
    }

    @Test
    void aFailedProbeKeepsItClosedAndTheNextProbeWaitsTwiceAsLong() throws Exception {
        ApiGate gate = closedForAnOutage(SHORT);
        assertThat(awaitProbe(gate)).isTrue();
        gate.onNoAnswer("probe");
        gate.afterCall(true);
        assertThat(gate.closedFor()).contains(ApiGate.Reason.UNAVAILABLE);
        long failed = System.nanoTime();
        assertThat(awaitProbe(gate)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - failed)).as("the doubled interval")
                .isGreaterThanOrEqualTo(SHORT.multipliedBy(2));
    }

    @Test
    void aProbeThatMadeNoCallLetsTheNextOneGo() throws Exception {
        ApiGate gate = closedForAnOutage(SHORT);
        assertThat(awaitProbe(gate)).isTrue();
        gate.afterCall(true); // the budget refused it before any call
        assertThat(gate.beforeCall(Priority.POLL)).as("the next probe, without another wait").isTrue();
    }

    @Test
    void rejectedCredentialsCloseItUntilACallSucceeds() throws Exception {
        ApiGate gate = new ApiGate(SHORT, 3, Duration.ZERO, LONG, LONG);
        gate.onAnswer(401, "start-1");
        assertThat(gate.closedFor()).contains(ApiGate.Reason.CREDENTIALS_REJECTED);
        assertThat(state(gate.credentialsCheck())).isEqualTo(HealthCheck.State.DOWN);
        assertThat(state(gate.availabilityCheck())).isEqualTo(HealthCheck.State.UP);

        assertThat(awaitProbe(gate)).isTrue();
        gate.onAnswer(404, "probe");
        gate.afterCall(true);
        assertThat(gate.closedFor()).as("a 404 says nothing of the credentials")
                .contains(ApiGate.Reason.CREDENTIALS_REJECTED);

        assertThat(awaitProbe(gate)).isTrue();
        gate.onAnswer(201, "probe");
        gate.afterCall(true);
        assertThat(gate.closedFor()).isEmpty();
    }

    private static ApiGate closedForAnOutage(Duration probeInterval) {
        ApiGate gate = new ApiGate(LONG, 2, Duration.ZERO, probeInterval, LONG);
        gate.onNoAnswer("a");
        gate.onNoAnswer("b");
        assertThat(gate.closedFor()).contains(ApiGate.Reason.UNAVAILABLE);
        return gate;
    }

    /** Polls the gate as the poller would until its call is let through; whether it was let through as the probe. */
    private static boolean awaitProbe(ApiGate gate) {
        boolean[] probe = new boolean[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).ignoreExceptions().until(() -> {
            probe[0] = gate.beforeCall(Priority.POLL);
            return true;
        });
        return probe[0];
    }

    private static HealthCheck.State state(HealthCheck check) {
        return check.call().getState();
    }
}
