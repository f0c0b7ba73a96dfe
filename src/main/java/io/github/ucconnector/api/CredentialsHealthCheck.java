package io.github.ucconnector.api;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness is down while UltraCart rejects the credentials: the connector cannot do its work then. */
public final class CredentialsHealthCheck extends AbstractHealthCheck {

    private final CredentialsGate gate;

    public CredentialsHealthCheck(CredentialsGate gate) {
        super("ultracart", "ultracart-credentials");
        this.gate = gate;
    }

    @Override
    public boolean isLiveness() {
        // The process is fine; restarting it would not fix the credentials.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (gate.isOpen()) {
            builder.up();
        } else {
            builder.message("UltraCart rejects the credentials (401) or has disabled the application (410)").down();
        }
    }
}
