package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ApiBudgetRulesTest {

    private static ApiBudget budget(long perHour, long reserve) {
        return new ApiBudget(perHour, 10_000, 1, reserve, () -> Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    @Test
    void commandsWaitThenGiveUpTheirTurnWhenTheHourlyBudgetIsSpent() throws Exception {
        ApiBudget budget = budget(3, 0);
        for (int i = 0; i < 3; i++) {
            budget.acquire(ApiBudget.Priority.COMMAND).close();
        }
        assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.COMMAND))
                .isInstanceOf(ApiBudget.BudgetExhaustedException.class);
    }

    @Test
    void aCommandGivesUpOnlyWhenTheTimeItMayWaitIsOver() throws Exception {
        ApiBudget budget = budget(1, 0);
        budget.acquire(ApiBudget.Priority.COMMAND).close();
        long started = System.nanoTime();

        // The budget knows at once that no request comes within 200 ms, but the command waits them out, so that
        // the consumer does not poll the same record again and again.
        assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.COMMAND))
                .isInstanceOf(ApiBudget.BudgetExhaustedException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aCommandWithNoTimeLeftCallsOnlyWhenItNeedNotWait() throws Exception {
        ApiBudget budget = new ApiBudget(1, 10_000, 1, 0, () -> Duration.ZERO, Duration.ofMillis(10),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        budget.acquire(ApiBudget.Priority.COMMAND).close();

        assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.COMMAND))
                .isInstanceOf(ApiBudget.BudgetExhaustedException.class)
                .hasMessageContaining("poll time limit");
    }

    @Test
    void pollingGivesWayBeforeTheReserveKeptForCommands() throws Exception {
        ApiBudget budget = budget(5, 3);
        budget.acquire(ApiBudget.Priority.POLL).close();
        budget.acquire(ApiBudget.Priority.POLL).close();

        assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.POLL)).isInstanceOf(ApiBudget.BudgetExhaustedException.class);
        budget.acquire(ApiBudget.Priority.COMMAND).close();
    }

    @Test
    void oneCallInFlightAtATime() throws Exception {
        ApiBudget budget = budget(100, 0);
        try (ApiBudget.Permit first = budget.acquire(ApiBudget.Priority.COMMAND)) {
            assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.COMMAND))
                    .hasMessageContaining("no API call slot");
        }
        budget.acquire(ApiBudget.Priority.COMMAND).close();
    }

    @Test
    void aCommandThatGetsNoCallSlotInTimeGivesItsRequestBack() throws Exception {
        ApiBudget budget = budget(5, 0);
        try (ApiBudget.Permit inFlight = budget.acquire(ApiBudget.Priority.COMMAND)) {
            assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.COMMAND))
                    .isInstanceOf(ApiBudget.BudgetExhaustedException.class)
                    .hasMessageContaining("call slot");
        }

        // Only the call that was made used a request.
        assertThat(budget.availableRequestsThisHour()).isEqualTo(4);
        assertThat(budget.availableRequestsToday()).isEqualTo(9_999);
    }

    @Test
    void rateLimitAnswersPauseEveryCallAndThePauseDoublesUpToTheCap() {
        ApiBudget budget = budget(100, 0);
        // Each pause is bounded by the time since its answer, measured: fixed margins would bet on the scheduler.
        long answered = System.nanoTime();
        budget.onAnswer(429, null);
        assertThat(budget.pause()).isLessThanOrEqualTo(Duration.ofMillis(300))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).minus(since(answered)));
        assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.POLL)).isInstanceOf(ApiBudget.BudgetExhaustedException.class);
        answered = System.nanoTime();
        budget.onAnswer(429, null);
        assertThat(budget.pause()).isLessThanOrEqualTo(Duration.ofMillis(600))
                .isGreaterThanOrEqualTo(Duration.ofMillis(600).minus(since(answered)));
        answered = System.nanoTime();
        budget.onAnswer(429, Duration.ofHours(1));
        assertThat(budget.pause()).isLessThanOrEqualTo(Duration.ofSeconds(2))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2).minus(since(answered)));
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    @Test
    void aCommandWaitsOutTheRetryAfterPause() throws Exception {
        ApiBudget budget = new ApiBudget(100, 10_000, 1, 0, () -> Duration.ofSeconds(5), Duration.ofMillis(10),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        // Timed from before the answer, so no stall in between shortens what is measured.
        long started = System.nanoTime();
        budget.onAnswer(429, Duration.ofMillis(400));

        budget.acquire(ApiBudget.Priority.COMMAND).close();

        assertThat(since(started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryAfter.parse("120", clock)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Sat, 21 Nov 2026 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse("-5", clock)).isNull();
    }

    @Test
    void afterATimeoutEveryCallWaitsOutTheGracePeriod() {
        ApiBudget budget = budget(100, 0);
        long abandoned = System.nanoTime();
        budget.onAbandoned();

        assertThat(budget.pause()).isLessThanOrEqualTo(Duration.ofMillis(500))
                .isGreaterThanOrEqualTo(Duration.ofMillis(500).minus(since(abandoned)));
        assertThatThrownBy(() -> budget.acquire(ApiBudget.Priority.POLL))
                .isInstanceOf(ApiBudget.BudgetExhaustedException.class);
    }

    @Test
    void eachAbandonedCallExplainsOne429UntilUltraCartServesACall() {
        ApiBudget budget = budget(100, 0);
        assertThat(budget.collidedWithAbandonedCall()).as("no call abandoned").isFalse();

        budget.onAbandoned();
        budget.onAbandoned();
        assertThat(budget.collidedWithAbandonedCall()).isTrue();
        assertThat(budget.collidedWithAbandonedCall()).isTrue();
        assertThat(budget.collidedWithAbandonedCall()).as("both explained").isFalse();

        budget.onAbandoned();
        budget.onAnswer(200, null);
        assertThat(budget.collidedWithAbandonedCall()).as("a served call shows none is running").isFalse();
    }
}
