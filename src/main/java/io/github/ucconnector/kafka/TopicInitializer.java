package io.github.ucconnector.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the connector's topics when they are missing, with the broker's defaults unless told otherwise. */
public final class TopicInitializer {

    private final Map<String, Object> adminConfig;
    private final Optional<Integer> partitions;
    private final Optional<Short> replicationFactor;

    public TopicInitializer(Map<String, Object> adminConfig, Optional<Integer> partitions,
            Optional<Short> replicationFactor) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /**
     * @param configs topic configs for the topics this call creates (e.g. compaction); existing topics are left as
     *                they are
     * @return the topics that had to be created
     */
    public List<String> ensureExist(Collection<String> topics, Map<String, String> configs) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = topics.stream().filter(topic -> !existing.contains(topic)).distinct().toList();
            if (!missing.isEmpty()) {
                List<NewTopic> newTopics = missing.stream()
                        .map(topic -> new NewTopic(topic, partitions, replicationFactor).configs(configs)).toList();
                try {
                    admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another instance may have created them in the meantime.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return missing;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not check or create the connector's topics on Kafka", e);
        }
    }
}
