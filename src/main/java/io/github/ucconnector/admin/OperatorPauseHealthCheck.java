package io.github.ucconnector.admin;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness is down while an operator has paused something (admin endpoints), saying what: an instance that is UP
 * while it does not do its work would hide the pause from whoever looks at the probes. The work waits on Kafka.
 */
public final class OperatorPauseHealthCheck extends AbstractHealthCheck {

    private final OperatorPauses pauses;

    public OperatorPauseHealthCheck(OperatorPauses pauses) {
        super("ultracart", "operator-pause");
        this.pauses = pauses;
    }

    @Override
    public boolean isLiveness() {
        // The process is fine: a restart would only lose the pause.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<String> paused = pauses.pausedSummary();
        if (paused.isEmpty()) {
            builder.up();
        } else {
            builder.message("paused by an operator: " + paused.get()).down();
        }
    }
}
