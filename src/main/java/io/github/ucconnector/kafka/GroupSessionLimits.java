package io.github.ucconnector.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The session timeouts a broker lets a consumer group member have ({@code group.min.session.timeout.ms} and
 * {@code group.max.session.timeout.ms}). A member asking for another one is refused at every attempt to join, so a
 * setting outside them is refused at start-up instead of leaving a consumer that never joins.
 */
public record GroupSessionLimits(Duration min, Duration max) {

    static final String MIN = "group.min.session.timeout.ms";
    static final String MAX = "group.max.session.timeout.ms";
    /** Kafka's own defaults, for a broker that does not report them. */
    static final GroupSessionLimits KAFKA_DEFAULTS = new GroupSessionLimits(Duration.ofSeconds(6), Duration.ofMinutes(30));

    /** A consumer's session timeout, and the setting of the connector it comes from. */
    public record SessionTimeout(String consumer, Duration timeout, String setting, long settingPerTimeout) {
    }

    /**
     * Reads the limits from a broker of the cluster; empty when the cluster does not say (for example when the
     * connector's principal may not describe the brokers' configuration).
     */
    public static Optional<GroupSessionLimits> read(Map<String, Object> adminConfig) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return Optional.empty();
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            return Optional.of(new GroupSessionLimits(
                    millis(config.get(MIN)).orElse(KAFKA_DEFAULTS.min()),
                    millis(config.get(MAX)).orElse(KAFKA_DEFAULTS.max())));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** What is wrong with each of the session timeouts, worded for the person who chose the setting. */
    public List<String> problems(List<SessionTimeout> timeouts) {
        return timeouts.stream().filter(t -> t.timeout().compareTo(min) < 0 || t.timeout().compareTo(max) > 0)
                .map(t -> t.setting() + " = " + t.timeout().toMillis() * t.settingPerTimeout() + " gives the "
                        + t.consumer() + " a Kafka session timeout of " + t.timeout().toMillis()
                        + " ms, but the broker allows only " + min.toMillis() + " to " + max.toMillis() + " ms ("
                        + MIN + ", " + MAX + "): set " + t.setting() + " between "
                        + min.toMillis() * t.settingPerTimeout() + " and " + max.toMillis() * t.settingPerTimeout())
                .toList();
    }

    private static Optional<Duration> millis(ConfigEntry entry) {
        if (entry == null || entry.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofMillis(Long.parseLong(entry.value())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
