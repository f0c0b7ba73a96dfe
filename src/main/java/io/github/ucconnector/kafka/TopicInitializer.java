package io.github.ucconnector.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the connector's topics when they are missing, with the broker's defaults unless told otherwise: one admin
 * client and one request for all of them, as each costs a round of connections at start-up.
 */
public final class TopicInitializer {

    /**
     * A topic the connector needs.
     *
     * @param partitions empty for the connector's default ({@code topic.partitions}, else the broker's)
     * @param configs    topic configs it is created with (e.g. compaction); an existing topic is left as it is
     */
    public record Topic(String name, Optional<Integer> partitions, Map<String, String> configs) {

        public Topic {
            configs = Map.copyOf(configs);
        }

        /** A topic with the default partitions and the broker's default configs. */
        public static Topic plain(String name) {
            return new Topic(name, Optional.empty(), Map.of());
        }
    }

    private final Map<String, Object> adminConfig;
    private final Optional<Integer> partitions;
    private final Optional<Short> replicationFactor;

    public TopicInitializer(Map<String, Object> adminConfig, Optional<Integer> partitions,
            Optional<Short> replicationFactor) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** @return the topics that had to be created */
    public List<String> ensureExist(Collection<Topic> topics) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), topic.partitions().or(() -> partitions), replicationFactor)
                            .configs(topic.configs()))
                    .toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                CreateTopicsResult result = admin.createTopics(missing);
                for (Map.Entry<String, KafkaFuture<Void>> topic : result.values().entrySet()) {
                    try {
                        topic.getValue().get(30, TimeUnit.SECONDS);
                        created.add(topic.getKey());
                    } catch (ExecutionException e) {
                        // Another instance may have created it in the meantime.
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            return created;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not check or create the connector's topics on Kafka", e);
        }
    }
}
