package io.github.ucconnector.polling;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.kafka.TopicReplay;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last published summary of every conversation. It lives in the compacted summaries topic and is read back
 * from there at start-up, so the connector keeps no state of its own and a restart publishes nothing twice.
 */
public final class KnownConversations {

    private static final Logger LOG = LoggerFactory.getLogger(KnownConversations.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final Map<String, ConversationSummary> summaries = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    public KnownConversations(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads the whole summaries topic, latest value per key; a record without a value forgets its key. What was
     * known before is replaced: after a takeover the topic, written by the previous active poller, is the truth.
     */
    public void load(Map<String, Object> kafka, String topic) {
        summaries.clear();
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        try {
            TopicReplay.readToEnd(consumer, topic, "summaries topic", LOAD_TIMEOUT, LOAD_TIMEOUT,
                    record -> apply(record.key(), record.value()));
        } finally {
            // No group, nothing to commit: no need to wait for the fetch still in flight (fetch.max.wait.ms).
            consumer.close(Duration.ZERO);
        }
        LOG.info("Read {} known conversations from {}", summaries.size(), topic);
    }

    public Optional<ConversationSummary> get(String conversationUuid) {
        return Optional.ofNullable(summaries.get(conversationUuid));
    }

    /** Called once a summary is on the summaries topic. */
    public void remember(ConversationSummary summary) {
        summaries.put(summary.conversationUuid(), summary);
    }

    public int size() {
        return summaries.size();
    }

    private void apply(String key, String value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            summaries.remove(key);
            return;
        }
        try {
            summaries.put(key, mapper.readValue(value, ConversationSummary.class));
        } catch (IOException e) {
            LOG.warn("Ignoring an unreadable summary for conversation {} on the summaries topic", key);
        }
    }
}
