package io.github.ucconnector.wiring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.config.StartupRefusedException;
import io.github.ucconnector.kafka.GroupSessionLimits;
import io.github.ucconnector.kafka.KafkaClientSecurity;
import io.github.ucconnector.kafka.TopicInitializer;
import io.github.ucconnector.polling.PollerLeadership;
import io.github.ucconnector.redrive.DeadLetterRedrive;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's part of the start-up: the broker's session limits checked, the missing topics created, then the ledger
 * read to its end. It runs while Camel configures itself; Camel starts nothing before it is done, and its failure
 * (no broker, refused credentials, a setting the cluster refuses) is the start's.
 */
final class KafkaStartup extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartup.class);

    private final ConnectorSettings settings;
    private final KafkaClientSecurity security;
    private final Map<String, Object> clientConfig;
    private final Runnable afterTopics;
    private CompletableFuture<Void> ready;

    /**
     * @param afterTopics what must also be done before Camel starts, once the topics exist (the ledger's read)
     */
    KafkaStartup(ConnectorSettings settings, KafkaClientSecurity security, Map<String, Object> clientConfig,
            Runnable afterTopics) {
        this.settings = settings;
        this.security = security;
        this.clientConfig = clientConfig;
        this.afterTopics = afterTopics;
    }

    /** Starts the work on a thread of its own, so that it overlaps Camel's configuration. */
    void begin() {
        ready = CompletableFuture.runAsync(() -> {
            requireSessionTimeoutsTheBrokerAllows();
            createTopics();
            afterTopics.run();
        }, task -> {
            Thread thread = new Thread(task, "connector-kafka-start-up");
            thread.setDaemon(true);
            thread.start();
        });
    }

    @Override
    public void afterConfigure(BaseMainSupport configured) {
        try {
            ready.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
        // From Java, not application.properties: secrets must never become property placeholders.
        security.applyTo(configured.getCamelContext().getComponent("kafka", KafkaComponent.class));
    }

    /** The plain topics: the command topics and those the command outcomes go to. */
    static List<String> plainTopics(ConnectorSettings settings) {
        List<String> topics = new ArrayList<>(commandTopics(settings));
        topics.addAll(List.of(settings.get(Setting.TOPIC_EVENTS), settings.get(Setting.TOPIC_DLQ),
                settings.get(Setting.TOPIC_REPLIES)));
        return topics;
    }

    /** The command consumer's topics, one per command type. */
    static List<String> commandTopics(ConnectorSettings settings) {
        return CommandType.topicSettings().stream().map(settings::get).toList();
    }

    /**
     * A consumer whose session timeout the broker does not allow never joins its group: the commands would not be
     * consumed, or no instance would ever poll, while the process looks healthy.
     */
    private void requireSessionTimeoutsTheBrokerAllows() {
        List<GroupSessionLimits.SessionTimeout> timeouts = new ArrayList<>();
        timeouts.add(new GroupSessionLimits.SessionTimeout("command consumers",
                Duration.ofMillis(settings.getInt(Setting.KAFKA_SESSION_TIMEOUT_MS)),
                Setting.KAFKA_SESSION_TIMEOUT_MS.environmentVariable(), 1));
        if (settings.getBoolean(Setting.POLL_ENABLED)) {
            timeouts.add(new GroupSessionLimits.SessionTimeout("poller lease", PollerLeadership.sessionTimeout(
                    Duration.ofMillis(settings.getInt(Setting.POLL_FAILOVER_TIMEOUT_MS))),
                    Setting.POLL_FAILOVER_TIMEOUT_MS.environmentVariable(), PollerLeadership.FAILOVER_PER_SESSION_TIMEOUT));
        }
        Optional<GroupSessionLimits> limits;
        try {
            limits = GroupSessionLimits.read(clientConfig);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the broker's session timeout limits", e);
        }
        if (limits.isEmpty()) {
            LOG.warn("Could not read the broker's {} and {}: a session timeout outside them shows as the poller "
                    + "lease's readiness check going DOWN", "group.min.session.timeout.ms", "group.max.session.timeout.ms");
            return;
        }
        List<String> problems = limits.get().problems(timeouts);
        if (!problems.isEmpty()) {
            throw StartupRefusedException.settings("Settings the Kafka cluster refuses: " + String.join("; ", problems));
        }
    }

    /**
     * What the cluster refused, when it refused the topics the settings ask for or the connector's credentials:
     * something to fix in the settings, not a broker that is away.
     */
    private static Optional<StartupRefusedException> refusal(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidReplicationFactorException || cause instanceof InvalidPartitionsException
                    || cause instanceof InvalidConfigurationException || cause instanceof PolicyViolationException) {
                return Optional.of(StartupRefusedException.settings("The Kafka cluster refuses to create the "
                        + "connector's topics: " + cause.getMessage() + " (check "
                        + Setting.TOPIC_PARTITIONS.environmentVariable() + ", "
                        + Setting.TOPIC_REPLICATION_FACTOR.environmentVariable() + " and "
                        + Setting.LEDGER_RETENTION_MS.environmentVariable() + ")", failure));
            }
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                return Optional.of(StartupRefusedException.settings("The Kafka cluster refuses the connector: "
                        + cause.getMessage() + " (check the KAFKA_SASL_* and KAFKA_SSL_* settings and the "
                        + "principal's ACLs)", failure));
            }
        }
        return Optional.empty();
    }

    /** Creates the connector's topics that are missing. */
    private void createTopics() {
        List<TopicInitializer.Topic> topics = new ArrayList<>(
                plainTopics(settings).stream().map(TopicInitializer.Topic::plain).toList());
        // The summaries topic keeps the latest summary per conversation: it is the poller's memory.
        topics.add(new TopicInitializer.Topic(settings.get(Setting.TOPIC_SUMMARIES), Optional.empty(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // The ledger keeps the latest state per command, for as long as duplicates are to be caught.
        topics.add(new TopicInitializer.Topic(settings.get(Setting.TOPIC_LEDGER), Optional.empty(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, settings.get(Setting.LEDGER_RETENTION_MS))));
        topics.add(DeadLetterRedrive.notesTopic(settings.get(Setting.TOPIC_REDRIVEN)));
        // The poller lease has one partition, whatever topic.partitions says: exactly one instance can hold it.
        topics.add(new TopicInitializer.Topic(settings.get(Setting.TOPIC_POLLER_LEASE), Optional.of(1), Map.of()));
        List<String> created;
        try {
            created = new TopicInitializer(clientConfig, settings.optionalInt(Setting.TOPIC_PARTITIONS),
                    settings.optionalInt(Setting.TOPIC_REPLICATION_FACTOR).map(Integer::shortValue)).ensureExist(topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the connector's topics", e);
        } catch (IllegalStateException e) {
            throw refusal(e).orElseThrow(() -> e);
        }
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
    }
}
