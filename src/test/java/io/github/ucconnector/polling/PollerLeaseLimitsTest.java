package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SharedKafka;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

/**
 * A failover timeout whose lease session timeout the broker refuses (Kafka's default group.min.session.timeout.ms is
 * 6 s): the instance either refuses to start, saying what to set, or polls; it is never UP and silent.
 */
class PollerLeaseLimitsTest {

    @Test
    void aFailoverTimeoutTheBrokerRefusesStopsTheStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> RunningConnector.start(Map.of(Setting.POLL_ENABLED.property(), "true",
                Setting.POLL_FAILOVER_TIMEOUT_MS.property(), "10000")))
                .hasStackTraceContaining("POLL_FAILOVER_TIMEOUT_MS = 10000 gives the poller lease a Kafka session "
                        + "timeout of 5000 ms, but the broker allows only 6000 to 1800000 ms")
                .hasStackTraceContaining("set POLL_FAILOVER_TIMEOUT_MS between 12000 and 3600000");
    }

    @Test
    void aCommandConsumerSessionTimeoutTheBrokerRefusesStopsTheStartToo() {
        assertThatThrownBy(() -> RunningConnector.start(Map.of(Setting.KAFKA_SESSION_TIMEOUT_MS.property(), "3000")))
                .hasStackTraceContaining("KAFKA_SESSION_TIMEOUT_MS = 3000 gives the command consumers a Kafka "
                        + "session timeout of 3000 ms")
                .hasStackTraceContaining("set KAFKA_SESSION_TIMEOUT_MS between 6000 and 1800000");
    }

    @Test
    void theShortestFailoverTimeoutTheBrokerAllowsPolls() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of(Setting.POLL_ENABLED.property(), "true",
                Setting.POLL_FAILOVER_TIMEOUT_MS.property(), "12000"))) {
            await("the instance polls").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> connector.camelContext().getRouteController().getRouteStatus(ActivePoller.ROUTE_ID)
                            == ServiceStatus.Started);
            // Camel lists the checks one by one only when one is DOWN.
            assertThat(connector.readiness()).doesNotContainValue("DOWN");
            assertThat(HealthCheckRegistry.get(connector.camelContext()).getCheck("poller-lease"))
                    .hasValueSatisfying(check -> assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP));
        }
    }

    /**
     * Where the broker's limits cannot be read before the start (a principal that may not describe the brokers),
     * the refused lease shows in readiness, with the reason.
     */
    @Test
    void aLeaseTheBrokerRefusesTurnsTheReadinessCheckDownWithTheReason() {
        String group = "lease-limits-" + UUID.randomUUID();
        try (PollerLeadership leadership = new PollerLeadership(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()),
                group, group + ".poller-lease", Duration.ofSeconds(10), 1)) {
            leadership.start(new PollerLeadership.Listener() {
                @Override
                public void elected() {
                    throw new AssertionError("a refused member cannot be elected");
                }

                @Override
                public void deposed() {
                }
            });
            HealthCheck check = leadership.readinessCheck();
            await("readiness down").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> check.call().getState() == HealthCheck.State.DOWN);
            assertThat(check.isReadiness()).isTrue();
            assertThat(check.call().getMessage()).hasValueSatisfying(message ->
                    assertThat(message).contains("poller lease could not be sought", "InvalidSessionTimeoutException"));
        }
    }
}
