package io.github.ucconnector.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline: start, join and leave commands turned into API calls and outcome events by hand, the way one would
 * without the connector. A plain consumer per thread, the JDK HTTP client, a plain producer, and the same commit
 * discipline as the connector: a record is committed only once its outcome event is acknowledged by Kafka (here per
 * poll: send every outcome, flush, then commit). No validation beyond reading the JSON, no ledger, no retries, no
 * budget: the least work that still gives every command an outcome event.
 *
 * <p>Run as its own JVM by the harness; configured by environment variables (see {@link #main}).
 */
public final class BaselineConnector {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "2017-03-01";
    private static final Map<String, String> PAST = Map.of("start", "started", "join", "joined", "leave", "left");

    private final String baseUrl;
    private final String apiKey;
    private final String eventsTopic;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile boolean running = true;

    private BaselineConnector(String bootstrapServers, String baseUrl, String apiKey, String eventsTopic) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.eventsTopic = eventsTopic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Environment: {@code BASELINE_BOOTSTRAP_SERVERS}, {@code BASELINE_BASE_URL}, {@code BASELINE_API_KEY},
     * {@code BASELINE_GROUP_ID}, {@code BASELINE_COMMAND_TOPICS} (start,join,leave), {@code BASELINE_EVENTS_TOPIC},
     * {@code BASELINE_THREADS} (one consumer each, so at most that many API calls at once).
     */
    public static void main(String[] args) throws InterruptedException {
        // The sandbox's HTTP server closes a connection idle for 30 s; the JDK client keeps one for 20 minutes, and
        // can hand a request a connection the server is closing ("header parser received no bytes"). That ended a
        // consumer thread when the baseline sat idle through the connector's minute of scenario 3, and another
        // thread then had two partitions' load. Dropping idle connections before the server does avoids the race.
        System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        Map<String, String> env = System.getenv();
        BaselineConnector baseline = new BaselineConnector(env.get("BASELINE_BOOTSTRAP_SERVERS"),
                env.get("BASELINE_BASE_URL"), env.get("BASELINE_API_KEY"), env.get("BASELINE_EVENTS_TOPIC"));
        List<String> topics = List.of(env.get("BASELINE_COMMAND_TOPICS").split(","));
        int threads = Integer.parseInt(env.get("BASELINE_THREADS"));
        CountDownLatch stopped = new CountDownLatch(threads);
        List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(env),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumers.add(consumer);
            Thread thread = new Thread(() -> {
                try {
                    baseline.consume(consumer, topics);
                } finally {
                    stopped.countDown();
                }
            }, "baseline-" + i);
            thread.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            baseline.running = false;
            consumers.forEach(KafkaConsumer::wakeup);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            baseline.producer.close();
        }));
        System.out.println("Baseline is running");
        stopped.await();
    }

    private void consume(KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        consumer.subscribe(topics);
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                List<Future<RecordMetadata>> sent = new ArrayList<>(records.count());
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    sent.add(producer.send(handle(record)));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                for (Future<RecordMetadata> future : sent) {
                    future.get();
                }
                consumer.commitSync(offsets);
            }
        } catch (WakeupException e) {
            // stopping
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            consumer.close();
        }
    }

    /** Kafka's defaults (500 records a poll) unless BASELINE_MAX_POLL_RECORDS says otherwise. */
    private static Map<String, Object> consumerConfig(Map<String, String> env) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("BASELINE_BOOTSTRAP_SERVERS"),
                ConsumerConfig.GROUP_ID_CONFIG, env.get("BASELINE_GROUP_ID"),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (env.containsKey("BASELINE_MAX_POLL_RECORDS")) {
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, env.get("BASELINE_MAX_POLL_RECORDS"));
        }
        return config;
    }

    private ProducerRecord<byte[], byte[]> handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
        ObjectNode command = (ObjectNode) JSON.readTree(record.value());
        String commandId = command.remove("command_id").asText();
        String type = record.topic().substring(record.topic().lastIndexOf('.') + 1);
        String uuid = command.has("conversation_uuid") ? command.remove("conversation_uuid").asText() : null;
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30))
                .header("x-ultracart-simple-key", apiKey)
                .header("X-UltraCart-Api-Version", API_VERSION)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
        switch (type) {
            case "start" -> request.uri(URI.create(baseUrl + "/conversation/conversations"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(command)));
            case "join" -> request.uri(URI.create(baseUrl + "/conversation/conversations/" + uuid + "/join"))
                    .PUT(command.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(command)));
            case "leave" -> request.uri(URI.create(baseUrl + "/conversation/conversations/" + uuid + "/leave"))
                    .DELETE();
            default -> throw new IllegalArgumentException("no such command topic: " + record.topic());
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        boolean ok = response.statusCode() / 100 == 2;
        ObjectNode data = JSON.createObjectNode();
        if (type.equals("start") && ok) {
            JsonNode conversation = JSON.readTree(response.body()).path("conversation");
            uuid = conversation.path("conversation_uuid").asText();
            data.set("conversation", conversation);
        } else {
            data.put("conversation_uuid", uuid);
            data.put("http_status", response.statusCode());
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.nameUUIDFromBytes(bytes(commandId)).toString()));
        headers.add("ce_source", bytes("/baseline"));
        headers.add("ce_type", bytes(ok ? "ultracart.conversation." + PAST.get(type) : "ultracart.conversation.command.failed"));
        headers.add("ce_correlationid", bytes(commandId));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(eventsTopic, null, uuid == null ? null : bytes(uuid),
                JSON.writeValueAsBytes(data), headers);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
