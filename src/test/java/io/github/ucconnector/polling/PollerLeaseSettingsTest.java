package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.config.ConnectorSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

/** How the scale-out settings become Kafka timeouts and budget shares, and which values are refused. */
class PollerLeaseSettingsTest {

    @Test
    void theFailoverTimeoutLeavesRoomForDetectionRebalanceAndTakeover() {
        Map<String, Object> config = PollerLeadership.consumerConfig(Map.of("bootstrap.servers", "kafka:9092"), "connector-poller",
                Duration.ofSeconds(30));

        // A crash is noticed after the session timeout, by the others at their next heartbeat: 15 s + 5 s.
        assertThat(config).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 5_000)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "connector-poller")
                .containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        CooperativeStickyAssignor.class.getName());
        assertThat((String) config.get(ConsumerConfig.CLIENT_ID_CONFIG)).startsWith("connector-poller-")
                .endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void eachInstanceGetsItsShareOfTheAccountLimitsRoundedDown() {
        assertThat(ApiBudget.shareOf(1000, 1)).isEqualTo(1000);
        assertThat(ApiBudget.shareOf(1000, 3)).isEqualTo(333);
        assertThat(ApiBudget.shareOf(10_000, 3) * 3).isLessThanOrEqualTo(10_000);
    }

    @Test
    void settingsThatCannotWorkStopTheStart() {
        assertThatThrownBy(() -> settings(Map.of("poll.failover-timeout-ms", "500", "ultracart.budget.instances", "0")))
                .hasMessageContaining("poll.failover-timeout-ms must be between 2000")
                .hasMessageContaining("ultracart.budget.instances must be between 1");
        assertThatThrownBy(() -> settings(Map.of("ultracart.budget.requests-per-hour", "2",
                "ultracart.budget.instances", "3")))
                .hasMessageContaining("ultracart.budget.requests-per-hour (2) leaves no request to each of the 3");
        assertThatThrownBy(() -> settings(Map.of("topic.poller-lease", "ultracart.conversation.events")))
                .hasMessageContaining("topic.poller-lease names a topic that another setting already uses");
        assertThat(settings(Map.of("ultracart.budget.instances", "3")).getInt(
                io.github.ucconnector.config.Setting.ULTRACART_BUDGET_INSTANCES)).isEqualTo(3);
    }

    private static ConnectorSettings settings(Map<String, String> byProperty) {
        return ConnectorSettings.resolve(setting -> byProperty.get(setting.property()));
    }
}
