package io.github.ucconnector.polling;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness is down while this instance should take part in the poller election but cannot: an instance that is
 * UP and never polls would leave every conversation change unpublished without anyone noticing.
 */
public final class PollerLeaseHealthCheck extends AbstractHealthCheck {

    private final PollerLeadership leadership;

    public PollerLeaseHealthCheck(PollerLeadership leadership) {
        super("ultracart", "poller-lease");
        this.leadership = leadership;
    }

    @Override
    public boolean isLiveness() {
        // Restarting with the same settings would fail the same way.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<String> problem = leadership.problem();
        builder.detail("active_poller", leadership.holdsLease());
        if (problem.isEmpty()) {
            builder.up();
        } else {
            builder.message(problem.get()).down();
        }
    }
}
