package io.github.ucconnector.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check that is DOWN, with the problem as its message, while its source reports one. Never a liveness
 * check: what makes the connector unready (rejected credentials, settings the broker refuses, an operator's pause)
 * is not cured by a restart, and a restart would lose a pause.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    private final Supplier<Optional<String>> problem;
    private final Map<String, Supplier<Object>> details = new LinkedHashMap<>();

    /**
     * @param id      the check's id, as the health endpoint shows it
     * @param problem why the connector cannot do its work now; empty while it can
     */
    public ReadinessCheck(String id, Supplier<Optional<String>> problem) {
        super("ultracart", id);
        this.problem = problem;
    }

    /** Adds a detail that the check reports, UP or DOWN, read at each call. */
    public ReadinessCheck withDetail(String key, Supplier<Object> value) {
        details.put(key, value);
        return this;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        details.forEach((key, value) -> builder.detail(key, value.get()));
        problem.get().ifPresentOrElse(reason -> builder.message(reason).down(), builder::up);
    }
}
