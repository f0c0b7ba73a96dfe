package io.github.ucconnector.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

class ReadinessCheckTest {

    private final AtomicReference<String> problem = new AtomicReference<>();
    private final AtomicReference<Boolean> active = new AtomicReference<>(false);
    private final ReadinessCheck check = new ReadinessCheck("lease", () -> Optional.ofNullable(problem.get()))
            .withDetail("active", active::get);

    @Test
    void isUpWithoutAProblemAndDownWithItsProblemAsMessage() {
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);

        problem.set("the broker refuses the session timeout");
        HealthCheck.Result down = check.call();

        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).contains("the broker refuses the session timeout");
    }

    @Test
    void reportsItsDetailsAsTheyAreAtEachCall() {
        assertThat(check.call().getDetails()).containsEntry("active", false);
        active.set(true);
        assertThat(check.call().getDetails()).containsEntry("active", true);
    }

    @Test
    void isAReadinessCheckInTheConnectorsGroup() {
        assertThat(check.isReadiness()).isTrue();
        assertThat(check.isLiveness()).isFalse();
        assertThat(check.getGroup()).isEqualTo("ultracart");
        assertThat(check.getId()).isEqualTo("lease");
    }
}
