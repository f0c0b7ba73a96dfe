package io.github.ucconnector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.github.ucconnector.support.SharedKafka;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

/** Topic creation at start-up, against a real broker. */
class TopicInitializerTest {

    private final TopicInitializer topics = new TopicInitializer(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()), Optional.of(2),
            Optional.empty());

    @Test
    void aTopicNamedTwiceIsCreatedOnceAndAnExistingOneIsLeftAlone() throws Exception {
        String shared = "shared-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();

        assertThat(topics.ensureExist(List.of(TopicInitializer.Topic.plain(shared), TopicInitializer.Topic.plain(other),
                TopicInitializer.Topic.plain(shared)))).containsExactlyInAnyOrder(shared, other);
        assertThat(topics.ensureExist(List.of(TopicInitializer.Topic.plain(shared)))).isEmpty();
    }
}
