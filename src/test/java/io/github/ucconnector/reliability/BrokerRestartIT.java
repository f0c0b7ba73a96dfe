package io.github.ucconnector.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.reliability.EventTopicReader.Event;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker is killed (SIGKILL, a broker JVM of its own) in the middle of a run and comes back after an outage
 * on the same port with the same data. The packaged connector, polling and handling a steady feed of start and join
 * commands all along, recovers by itself: every command gets exactly one outcome, no start is lost as
 * {@code unknown_outcome} unless its call may have reached the API, no start reaches the API twice, readiness is DOWN
 * (camel-kafka's check of the command consumer) while the broker is away and UP again after, every command is
 * committed, and every customer message written meanwhile is reported exactly once by the poller.
 */
class BrokerRestartIT {

    /** Commands per run: a burst first, the rest spread over the time before, during and after the outage. */
    private static final int COMMANDS = 80;
    /** Sent at once at the start, so that the connector has commands in flight when the broker is killed. */
    private static final int BURST = 20;
    /** Commands sent once the broker is back, whatever the count. */
    private static final int AT_LEAST_AFTER = 10;
    private static final Duration BEFORE = Duration.ofSeconds(5);
    private static final Duration AFTER = Duration.ofSeconds(6);
    private static final int CONVERSATIONS = 8;
    private static final String READY = "/observe/health/ready";
    /** camel-kafka's readiness check of the command consumer: DOWN while its Kafka client cannot reach the cluster. */
    private static final String KAFKA_CHECK = "consumer:conversation-commands";
    private static final String MESSAGE_RECEIVED = "ultracart.conversation.message.received";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private int managementPort;
    /** How long the broker's first start took: its restart takes about as long, and counts as outage. */
    private Duration brokerStart;
    private BrokerProcess broker;
    private UltraCartSandbox sandbox;
    private SandboxAdmin admin;
    private ConnectorProcess connector;
    private CommandFeed feed;
    private EventTopicReader events;
    private Thread feeder;
    private final List<String> conversations = new ArrayList<>();
    /** Per sandbox conversation, how many customer messages it holds (the test is the only one who writes them). */
    private final Map<String, AtomicInteger> messagesWritten = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        Path dataDir = Path.of("target", "it-work", "broker-restart", "kafka-data").toAbsolutePath();
        deleteRecursively(dataDir);
        long t = System.nanoTime();
        broker = BrokerProcess.start("broker-restart-kafka", freePort(), dataDir);
        brokerStart = Duration.ofNanos(System.nanoTime() - t);
        sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0));
        admin = new SandboxAdmin(sandbox);
        // A little latency, so that commands are still in flight when the broker goes.
        admin.faults("{\"latency_ms\":50}");
        // Conversations the customers opened, for the join commands and the customer messages the poller reports.
        for (int c = 0; c < CONVERSATIONS; c++) {
            String uuid = admin.openConversation("Customer " + c, body(c, 1));
            conversations.add(uuid);
            messagesWritten.put(uuid, new AtomicInteger(1));
        }
        managementPort = freePort();
        connector = ConnectorProcess.configure("broker-restart", broker.bootstrapServers(), sandbox.baseUrl(),
                Map.of(// Two consumer threads, each with a partition of every command topic: while one waits for
                        // its outcomes to reach the lost broker, the other goes on, e.g. claims a start in the ledger.
                        Setting.KAFKA_CONSUMERS.environmentVariable(), "2",
                        Setting.ULTRACART_BUDGET_MAX_CONCURRENT.environmentVariable(), "2",
                        Setting.TOPIC_PARTITIONS.environmentVariable(), "2",
                        Setting.POLL_ENABLED.environmentVariable(), "true",
                        Setting.POLL_INTERVAL_MS.environmentVariable(), "500",
                        // The conversations above were opened before the first scan: their first messages count too.
                        Setting.POLL_BACKFILL.environmentVariable(), "true",
                        Setting.MANAGEMENT_PORT.environmentVariable(), Integer.toString(managementPort))).start();
        await("the connector ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> readiness().statusCode() == 200);
        feed = new CommandFeed(broker.bootstrapServers(), connector);
        events = new EventTopicReader(broker.bootstrapServers(), connector.topic(Setting.TOPIC_EVENTS));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (feeder != null) {
            feeder.interrupt();
            feeder.join(5000);
        }
        TestResources.closeAll(events, feed, connector, sandbox, broker);
    }

    @Test
    void brokerKilledForTenSeconds() throws Exception {
        run(Duration.ofSeconds(10));
    }

    @Test
    void brokerKilledForAMinute() throws Exception {
        run(Duration.ofSeconds(60));
    }

    private void run(Duration outage) throws Exception {
        String run = outage.toSeconds() + "s";
        AtomicReference<String> phase = new AtomicReference<>("before");
        AtomicInteger sentAfter = new AtomicInteger();
        Map<String, String> phaseOf = new ConcurrentHashMap<>();
        List<Throwable> feedFailures = new CopyOnWriteArrayList<>();
        long interval = BEFORE.plus(outage).plus(AFTER).toMillis() / (COMMANDS - BURST);
        // The feed: a burst, then steady; every tick a start or a join, every other tick a customer message.
        feeder = new Thread(() -> {
            try {
                for (int i = 0; i < COMMANDS || sentAfter.get() < AT_LEAST_AFTER; i++) {
                    String p = phase.get();
                    String conversation = conversations.get((i / 2) % CONVERSATIONS);
                    String id = run + "-" + p + "-" + i;
                    if (i % 2 == 0) {
                        feed.start(id + "-start");
                        phaseOf.put(id + "-start", p);
                    } else {
                        feed.join(id + "-join", conversation);
                        phaseOf.put(id + "-join", p);
                        int c = conversations.indexOf(conversation);
                        int n = messagesWritten.get(conversation).get() + 1;
                        admin.addCustomerMessage(conversation, body(c, n));
                        messagesWritten.get(conversation).set(n);
                    }
                    if ("after".equals(p)) {
                        sentAfter.incrementAndGet();
                    }
                    if (i >= BURST - 1) {
                        Thread.sleep(interval);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                feedFailures.add(e);
            }
        }, "command-feed-" + run);
        feeder.setDaemon(true);
        long t0 = System.nanoTime();
        feeder.start();

        // The kill comes while the connector works through the burst: commands in flight, others fetched, waiting.
        await("the first outcomes of the burst").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> events.answered(feed.sentIds()) >= 5);
        long answeredBefore = events.answered(feed.sentIds());
        int sentBefore = feed.sent().size();

        long tDown = System.nanoTime();
        broker.sigkill();
        phase.set("during");
        await("readiness DOWN with the command consumer's check while the broker is away")
                .atMost(outage).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> response = readiness();
                    return response.statusCode() == 503 && kafkaCheckDown(response.body());
                });
        long tReadinessDown = System.nanoTime();
        String downBody = readiness().body();
        // The broker is unreachable from the kill until its restart is done, which takes about as long as its start.
        sleep(outage.minus(brokerStart).minusNanos(System.nanoTime() - tDown));
        assertThat(readiness().statusCode()).as("readiness at the end of the outage").isEqualTo(503);
        assertThat(connector.isAlive()).as("the connector process survived the outage").isTrue();

        broker.start();
        long tBack = System.nanoTime();
        phase.set("after");
        await("readiness UP once the broker is back").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100)).until(() -> readiness().statusCode() == 200);
        long tReadinessUp = System.nanoTime();

        await("the feed done").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> !feeder.isAlive());
        assertThat(feedFailures).as("failures of the feed").isEmpty();
        feed.flush();
        List<String> all = feed.sentIds();
        await("an outcome event for every one of the " + all.size() + " commands").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(events.answered(all)).isEqualTo(all.size()));
        long tAllAnswered = System.nanoTime();
        await("a message.received event for every customer message").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(unreported(messageEvents(events.events()))).isEmpty());
        List<String> commandTopics = CommandType.topicSettings().stream().map(connector::topic).toList();
        Map<String, String> uncommitted;
        try (TopicProbe kafka = new TopicProbe(broker.bootstrapServers())) {
            await("the consumer group committed every command").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(uncommitted(kafka, commandTopics)).isEmpty());
            uncommitted = uncommitted(kafka, commandTopics);
        }

        DeliveryReport report = DeliveryReport.of(feed.sent(), events.events(), sandbox.requests());
        List<MessageEvent> messages = messageEvents(events.events());
        Map<String, Set<String>> idsPerMessage = messages.stream().collect(Collectors.groupingBy(
                MessageEvent::key, TreeMap::new, Collectors.mapping(MessageEvent::ceId, Collectors.toSet())));
        Map<String, Set<String>> idsPerBody = messages.stream().filter(m -> m.body() != null)
                .collect(Collectors.groupingBy(MessageEvent::body, TreeMap::new,
                        Collectors.mapping(MessageEvent::ceId, Collectors.toSet())));
        Map<String, Set<String>> messagesNamedTwice = new TreeMap<>(idsPerMessage);
        messagesNamedTwice.values().removeIf(ids -> ids.size() < 2);
        Map<String, Set<String>> bodiesNamedTwice = new TreeMap<>(idsPerBody);
        bodiesNamedTwice.values().removeIf(ids -> ids.size() < 2);
        List<String> wrongBodies = messages.stream()
                .filter(m -> m.body() != null && !m.body().equals(expectedBody(m)))
                .map(m -> m.key() + " has body '" + m.body() + "'").distinct().toList();
        int customerMessages = messagesWritten.values().stream().mapToInt(AtomicInteger::get).sum();
        Map<String, Long> commandsByPhase = phaseOf.values().stream()
                .collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));

        System.out.printf("BrokerRestartIT[%s outage]: %d commands (%s), %d of %d answered at the kill after %.1f s; "
                        + "broker unreachable %.1f s (kill to serving again; start %.1f s), readiness DOWN %.1f s after the kill, UP %.1f s after the restart; "
                        + "all outcomes %.1f s after the restart; %d customer messages, %d message.received records "
                        + "(%d distinct ids); %s%n",
                run, all.size(), commandsByPhase, answeredBefore, sentBefore, seconds(tDown - t0), seconds(tBack - tDown),
                brokerStart.toMillis() / 1000.0,
                seconds(tReadinessDown - tDown), seconds(tReadinessUp - tBack), seconds(tAllAnswered - tBack),
                customerMessages, messages.size(), idsPerMessage.size(), report);
        System.out.println("BrokerRestartIT[" + run + " outage]: readiness while the broker was away: " + downBody);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(answeredBefore).as("commands answered at the kill, of %d sent (the kill must come while "
                + "commands are in flight)", sentBefore).isLessThan(sentBefore);
        soft.assertThat(commandsByPhase).as("commands sent before, during and after the outage")
                .containsKeys("before", "during", "after");
        soft.assertThat(report.missing).as("commands without an outcome event").isEmpty();
        soft.assertThat(report.conflictingIds).as("commands with outcome events of different ce_id").isEmpty();
        soft.assertThat(report.unexpectedTypes).as("commands whose outcome is not a success").isEmpty();
        soft.assertThat(report.unknownOutcomeStartsNeverReceived)
                .as("start commands failed as unknown_outcome although the API never received their call "
                        + "(all unknown_outcome starts: %s)", report.unknownOutcomeStarts).isEmpty();
        soft.assertThat(report.startsCalledTwice).as("start commands whose call reached the API more than once")
                .isEmpty();
        soft.assertThat(report.distinctStartedEventIds).as("started events with distinct ce_id")
                .isEqualTo(report.startCommands - report.unknownOutcomeStarts.size());
        soft.assertThat(uncommitted).as("command partitions whose committed offset is not at their end").isEmpty();
        soft.assertThat(unreported(messages)).as("customer messages without a message.received event").isEmpty();
        soft.assertThat(idsPerMessage.keySet()).as("messages reported, by conversation and position")
                .isEqualTo(expectedMessageKeys());
        soft.assertThat(messagesNamedTwice).as("messages (conversation/position) named by more than one ce_id")
                .isEmpty();
        soft.assertThat(bodiesNamedTwice).as("message bodies named by more than one ce_id").isEmpty();
        soft.assertThat(wrongBodies).as("message.received events whose message is not the one at its position")
                .isEmpty();
        soft.assertThat(connector.isAlive()).as("the connector still runs").isTrue();
        soft.assertAll();
    }

    /** A message.received event: its conversation, its position in it and, when it carries one, the message's body. */
    private record MessageEvent(String conversation, int number, String ceId, String body) {
        String key() {
            return conversation + "#" + number;
        }
    }

    private static List<MessageEvent> messageEvents(List<Event> events) {
        List<MessageEvent> messages = new ArrayList<>();
        for (Event event : events) {
            if (MESSAGE_RECEIVED.equals(event.type())) {
                try {
                    JsonNode data = JSON.readTree(event.value());
                    JsonNode body = data.path("message").path("body");
                    messages.add(new MessageEvent(data.path("conversation_uuid").asText(),
                            data.path("message_number").asInt(), event.ceId(), body.isTextual() ? body.asText() : null));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable message.received event " + event, e);
                }
            }
        }
        return messages;
    }

    /** Every customer message the test wrote, as conversation#position. */
    private Set<String> expectedMessageKeys() {
        Set<String> keys = new TreeSet<>();
        messagesWritten.forEach((conversation, count) -> {
            for (int n = 1; n <= count.get(); n++) {
                keys.add(conversation + "#" + n);
            }
        });
        return keys;
    }

    private List<String> unreported(List<MessageEvent> messages) {
        Set<String> reported = messages.stream().map(MessageEvent::key).collect(Collectors.toSet());
        return expectedMessageKeys().stream().filter(key -> !reported.contains(key)).toList();
    }

    private String expectedBody(MessageEvent message) {
        return body(conversations.indexOf(message.conversation()), message.number());
    }

    private static String body(int conversation, int number) {
        return "message " + number + " of customer " + conversation;
    }

    /** Command partitions whose committed offset is behind their end: partition to "committed of end". */
    private Map<String, String> uncommitted(TopicProbe kafka, List<String> topics) throws Exception {
        Map<TopicPartition, Long> ends = kafka.endOffsets(topics);
        Map<TopicPartition, Long> committed = kafka.committedOffsets(connector.groupId());
        Map<String, String> behind = new TreeMap<>();
        ends.forEach((partition, end) -> {
            long at = committed.getOrDefault(partition, 0L);
            if (at < end) {
                behind.put(partition.toString(), at + " of " + end);
            }
        });
        return behind;
    }

    /** Whether the readiness answer names camel-kafka's check of the command consumer as DOWN. */
    private static boolean kafkaCheckDown(String body) throws IOException {
        for (JsonNode check : JSON.readTree(body).path("checks")) {
            if (KAFKA_CHECK.equals(check.path("name").asText()) && "DOWN".equals(check.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> readiness() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + READY))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
