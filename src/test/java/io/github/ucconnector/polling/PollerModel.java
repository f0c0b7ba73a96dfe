package io.github.ucconnector.polling;

import static io.github.ucconnector.support.TopicProbe.header;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The harness of {@link PollerModelTest}: two connector instances of one deployment (camel-main, the real routes,
 * the real broker, one sandbox), polling off so that no timer runs; the test takes over polling with
 * {@link ActivePoller#takeOver()} (what an elected instance does: its state rebuilt from the summaries topic) and
 * runs cycles through {@code direct:poll-cycle}. A restart is a takeover by the same instance, a failover one by the
 * other; a crash makes every Kafka send of the active instance fail from its n-th record in a cycle on, so that
 * events may be on Kafka without the summary that marks them as seen. Each sequence starts from an empty sandbox
 * and a summaries topic whose keys were all deleted (tombstones), which the poller reads as empty.
 */
final class PollerModel implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One thing that happens; {@code conversation} picks one of those opened so far (modulo their number). */
    interface Step {
    }

    /** A customer opens a conversation, with a first message or without. */
    record Open(boolean withMessage) implements Step {
        @Override
        public String toString() {
            return "new Open(" + withMessage + ")";
        }
    }

    /** A customer or the agent writes (the agent joins again if it had left). */
    record Write(int conversation, boolean agent) implements Step {
        @Override
        public String toString() {
            return "new Write(" + conversation + ", " + agent + ")";
        }
    }

    /** Several customer messages in a row. */
    record Burst(int conversation, int messages) implements Step {
        @Override
        public String toString() {
            return "new Burst(" + conversation + ", " + messages + ")";
        }
    }

    /** A customer message written while the next cycle runs, after it read the list and before it publishes. */
    record WriteDuringCycle(int conversation) implements Step {
        @Override
        public String toString() {
            return "new WriteDuringCycle(" + conversation + ")";
        }
    }

    record Join(int conversation) implements Step {
        @Override
        public String toString() {
            return "new Join(" + conversation + ")";
        }
    }

    record Leave(int conversation) implements Step {
        @Override
        public String toString() {
            return "new Leave(" + conversation + ")";
        }
    }

    record Close(int conversation) implements Step {
        @Override
        public String toString() {
            return "new Close(" + conversation + ")";
        }
    }

    record Cycle() implements Step {
        @Override
        public String toString() {
            return "new Cycle()";
        }
    }

    /** The active instance starts again: its state is rebuilt from the summaries topic. */
    record Restart() implements Step {
        @Override
        public String toString() {
            return "new Restart()";
        }
    }

    /** The other instance takes over (a graceful hand-over: the active one is between cycles). */
    record Failover() implements Step {
        @Override
        public String toString() {
            return "new Failover()";
        }
    }

    /** A cycle in which the active instance dies after sending {@code afterRecords} records; then a takeover. */
    record Crash(int afterRecords, boolean failover) implements Step {
        @Override
        public String toString() {
            return "new Crash(" + afterRecords + ", " + failover + ")";
        }
    }

    /** One connector instance and the means to drive it. */
    private static final class Instance {
        final RunningConnector connector;
        final ActivePoller poller;
        final ProducerTemplate template;
        final CrashGate gate = new CrashGate();

        Instance(RunningConnector connector, Runnable beforeFirstPublish) throws Exception {
            this.connector = connector;
            CamelContext context = connector.camelContext();
            this.poller = context.getRegistry().lookupByNameAndType("activePoller", ActivePoller.class);
            this.template = context.createProducerTemplate();
            AdviceWith.adviceWith(context, "publish-conversation-change",
                    route -> route.weaveByToUri("kafka:*").before().process(gate));
            AdviceWith.adviceWith(context, "poll-cycle",
                    route -> route.weaveByToUri("direct:publish-conversation-change").before()
                            .process(exchange -> beforeFirstPublish.run()));
        }

        void cycle() {
            Exchange done = template.send("direct:poll-cycle", exchange -> { });
            if (done.getException() != null) {
                throw new AssertionError("a poll cycle failed outside its error handling", done.getException());
            }
        }
    }

    /** Fails every Kafka send of the instance from the armed record on: the instance is dead from there. */
    private static final class CrashGate implements Processor {
        private int remaining = -1;

        @Override
        public void process(Exchange exchange) {
            if (remaining == 0) {
                throw new IllegalStateException("simulated crash of the active poller");
            }
            if (remaining > 0) {
                remaining--;
            }
        }
    }

    private final Instance[] instances;
    private final SandboxAdmin admin;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String apiBase;
    private final String summariesTopic;
    private final String eventsTopic;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<byte[], byte[]> events;
    private final List<TopicPartition> eventPartitions;
    private final List<Runnable> duringNextCycle = new ArrayList<>();
    private Set<String> lastConversations = Set.of();
    private int active;
    private boolean closed;

    private PollerModel(Instance[] instances, SandboxAdmin admin, String apiBase, String summariesTopic,
            String eventsTopic, String bootstrap) {
        this.instances = instances;
        this.admin = admin;
        this.apiBase = apiBase;
        this.summariesTopic = summariesTopic;
        this.eventsTopic = eventsTopic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        this.events = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.eventPartitions = events.partitionsFor(eventsTopic).stream()
                .map(p -> new TopicPartition(eventsTopic, p.partition())).toList();
        events.assign(eventPartitions);
    }

    /** Instance 0 describes messages as the default does (auto), instance 1 always fetches: failovers mix both. */
    static PollerModel start() throws Exception {
        Map<String, String> settings = Map.of(
                Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "100000000",
                Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY.property(), "100000000",
                Setting.POLL_ENRICH.property(), "auto");
        RunningConnector first = RunningConnector.start(settings);
        RunningConnector second = RunningConnector.alongside(first, Map.of(Setting.POLL_ENRICH.property(), "always",
                Setting.EVENT_SOURCE.property(), "/second-instance"));
        Instance[] instances = new Instance[2];
        PollerModel[] model = new PollerModel[1];
        Runnable midCycle = () -> model[0].writeDuringCycle();
        instances[0] = new Instance(first, midCycle);
        instances[1] = new Instance(second, midCycle);
        model[0] = new PollerModel(instances, new SandboxAdmin(first.sandbox()), first.sandbox().baseUrl(),
                first.topic(Setting.TOPIC_SUMMARIES), first.topic(Setting.TOPIC_EVENTS),
                first.setting(Setting.KAFKA_BOOTSTRAP_SERVERS));
        return model[0];
    }

    /**
     * Runs one sequence from a clean start and checks what Kafka holds against the sandbox. One at a time: jqwik
     * shrinks a failing sequence on a thread of its own and may give up on it while it still runs.
     */
    synchronized void run(List<Step> steps) throws Exception {
        if (closed) {
            throw new IllegalStateException("the model's connectors are stopped");
        }
        admin.reset();
        for (String uuid : lastConversations) {
            producer.send(new ProducerRecord<>(summariesTopic, uuid, null));
        }
        producer.flush();
        Map<TopicPartition, Long> from = events.endOffsets(eventPartitions);
        duringNextCycle.clear();
        instances[1 - active].poller.deposed();
        takeOver(active);

        Sandbox sandbox = new Sandbox();
        for (Step step : steps) {
            apply(step, sandbox);
        }
        // Afterwards the active instance runs until it has seen everything.
        instances[active].cycle();
        writeDuringCycle();
        instances[active].cycle();
        lastConversations = new LinkedHashSet<>(sandbox.uuids);
        check(steps, sandbox, read(from));
    }

    private void apply(Step step, Sandbox sandbox) throws Exception {
        String uuid = sandbox.pick(step);
        if (step instanceof Open open) {
            JsonNode summary = admin.open("Customer " + sandbox.uuids.size(), open.withMessage() ? "Hello" : null);
            sandbox.uuids.add(summary.path("conversation_uuid").asText());
            sandbox.observe(summary);
        } else if (step instanceof Cycle) {
            instances[active].cycle();
            writeDuringCycle();
        } else if (step instanceof Restart) {
            takeOver(active);
        } else if (step instanceof Failover) {
            instances[active].poller.deposed();
            takeOver(1 - active);
        } else if (step instanceof Crash crash) {
            instances[active].gate.remaining = crash.afterRecords();
            instances[active].cycle();
            writeDuringCycle();
            instances[active].poller.deposed();
            takeOver(crash.failover() ? 1 - active : active);
        } else if (uuid == null) {
            return; // a step about a conversation before any was opened: nothing happens
        } else if (step instanceof Write write) {
            if (write.agent()) {
                admin.addAgentMessage(uuid, "On it");
                sandbox.observe(conversation(uuid));
            } else {
                admin.addCustomerMessage(uuid, "Any news?");
            }
        } else if (step instanceof Burst burst) {
            for (int i = 0; i < burst.messages(); i++) {
                admin.addCustomerMessage(uuid, "Message " + i + " of a burst");
            }
        } else if (step instanceof WriteDuringCycle) {
            duringNextCycle.add(() -> admin.addCustomerMessage(uuid, "Written during a cycle"));
        } else if (step instanceof Join) {
            call("PUT", "/conversation/conversations/" + uuid + "/join");
            sandbox.observe(conversation(uuid));
        } else if (step instanceof Leave) {
            call("DELETE", "/conversation/conversations/" + uuid + "/leave");
            sandbox.observe(conversation(uuid));
        } else if (step instanceof Close) {
            admin.close(uuid);
        }
    }

    private void takeOver(int instance) {
        active = instance;
        instances[instance].gate.remaining = -1;
        instances[instance].poller.takeOver();
    }

    /** Writes what the sequence put off until a cycle publishes (or, when it published nothing, after it). */
    private void writeDuringCycle() {
        List<Runnable> pending = List.copyOf(duringNextCycle);
        duringNextCycle.clear();
        pending.forEach(Runnable::run);
    }

    /** Every change event of the sequence, in the order Kafka holds them. */
    private List<ConsumerRecord<byte[], byte[]>> read(Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> to = events.endOffsets(eventPartitions);
        from.forEach(events::seek);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (eventPartitions.stream().anyMatch(p -> events.position(p) < to.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the events topic to its end");
            }
            events.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    /** What the sandbox did, as far as the poller can know it: conversations and their participants' stints. */
    private static final class Sandbox {
        final List<String> uuids = new ArrayList<>();
        /** Per conversation: participant arn + joined_dts of every stint, and those that ended. */
        final Map<String, Set<String>> stints = new LinkedHashMap<>();
        final Map<String, Set<String>> ended = new LinkedHashMap<>();

        String pick(Step step) {
            int index = step instanceof Write w ? w.conversation()
                    : step instanceof Burst b ? b.conversation()
                    : step instanceof WriteDuringCycle w ? w.conversation()
                    : step instanceof Join j ? j.conversation()
                    : step instanceof Leave l ? l.conversation()
                    : step instanceof Close c ? c.conversation()
                    : -1;
            return index < 0 || uuids.isEmpty() ? null : uuids.get(index % uuids.size());
        }

        void observe(JsonNode conversation) {
            String uuid = conversation.path("conversation_uuid").asText();
            for (JsonNode participant : conversation.path("participants")) {
                String stint = participant.path("conversation_participant_arn").asText() + " joined "
                        + participant.path("joined_dts").asText();
                stints.computeIfAbsent(uuid, u -> new LinkedHashSet<>()).add(stint);
                if (participant.hasNonNull("left_dts")) {
                    ended.computeIfAbsent(uuid, u -> new LinkedHashSet<>()).add(stint);
                }
            }
        }
    }

    /**
     * After deduplication by ce_id (the consumer's contract), each conversation's events are: one created; one
     * joined per stint and one left per ended stint; one message.received per message, in order, naming that very
     * message; one closed if it is closed; and nothing else. Records repeated after a crash repeat their ce_id and
     * say the same.
     */
    private void check(List<Step> steps, Sandbox sandbox, List<ConsumerRecord<byte[], byte[]>> records)
            throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, ConsumerRecord<byte[], byte[]>> firstById = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!sandbox.uuids.contains(header(record, "ce_subject"))) {
                problems.add("an event about a conversation the sequence never opened: " + describe(record));
                continue;
            }
            ConsumerRecord<byte[], byte[]> first = firstById.putIfAbsent(header(record, "ce_id"), record);
            if (first != null && !sameMeaning(first, record)) {
                problems.add("two events with one ce_id say different things: " + describe(first) + " / "
                        + describe(record));
            }
        }
        for (String uuid : sandbox.uuids) {
            JsonNode truth = conversation(uuid);
            List<ConsumerRecord<byte[], byte[]>> mine = firstById.values().stream()
                    .filter(r -> uuid.equals(header(r, "ce_subject"))).toList();
            expectCount(problems, uuid, mine, ChangeEvents.CREATED, 1);
            expectCount(problems, uuid, mine, ChangeEvents.CLOSED, truth.path("closed").asBoolean() ? 1 : 0);
            expectCount(problems, uuid, mine, ChangeEvents.UPDATED, 0);
            List<String> joined = new ArrayList<>();
            List<String> left = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : mine) {
                JsonNode data = JSON.readTree(record.value());
                String type = header(record, "ce_type");
                if (type.equals(ChangeEvents.PARTICIPANT_JOINED) || type.equals(ChangeEvents.PARTICIPANT_LEFT)) {
                    String stint = data.path("participant").path("conversation_participant_arn").asText() + " joined "
                            + data.path("participant").path("joined_dts").asText();
                    (type.equals(ChangeEvents.PARTICIPANT_JOINED) ? joined : left).add(stint);
                } else if (type.equals(ChangeEvents.MESSAGE_RECEIVED)) {
                    int number = data.path("message_number").asInt();
                    numbers.add(number);
                    JsonNode message = truth.path("messages").path(number - 1);
                    if (!matches(data, message)) {
                        problems.add(uuid + ": message #" + number + " is not the sandbox's: " + data + " / "
                                + message);
                    }
                }
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 1; i <= truth.path("messages").size(); i++) {
                all.add(i);
            }
            if (!numbers.equals(all)) {
                problems.add(uuid + ": message.received for messages " + numbers + ", the sandbox holds " + all);
            }
            List<String> stints = new ArrayList<>(sandbox.stints.getOrDefault(uuid, Set.of()));
            List<String> ended = new ArrayList<>(sandbox.ended.getOrDefault(uuid, Set.of()));
            if (!new java.util.HashSet<>(joined).equals(new java.util.HashSet<>(stints)) || joined.size() != stints.size()) {
                problems.add(uuid + ": joined " + joined + ", the stints were " + stints);
            }
            if (!new java.util.HashSet<>(left).equals(new java.util.HashSet<>(ended)) || left.size() != ended.size()) {
                problems.add(uuid + ": left " + left + ", the ended stints were " + ended);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems) + "\nreplay with: "
                    + PollerModelTest.describe(steps));
        }
    }

    private static void expectCount(List<String> problems, String uuid, List<ConsumerRecord<byte[], byte[]>> events,
            String type, int expected) {
        long found = events.stream().filter(r -> type.equals(header(r, "ce_type"))).count();
        if (found != expected) {
            problems.add(uuid + ": " + found + " " + type + " event(s), expected " + expected);
        }
    }

    /** The event names the sandbox's message: by uuid when it was fetched, by its summary fields when not. */
    private static boolean matches(JsonNode data, JsonNode message) {
        JsonNode reported = data.path("message");
        if (message.isMissingNode()) {
            return false;
        }
        String source = data.path("message_source").asText();
        boolean sameText = reported.path("body").equals(message.path("body"))
                && reported.path("author_conversation_participant_arn")
                        .equals(message.path("author_conversation_participant_arn"))
                && reported.path("message_dts").equals(message.path("message_dts"));
        return switch (source) {
            case ChangeEvents.FROM_CONVERSATION -> sameText && reported.path("conversation_message_uuid")
                    .equals(message.path("conversation_message_uuid"));
            case ChangeEvents.FROM_SUMMARY -> sameText && !reported.has("conversation_message_uuid");
            default -> false;
        };
    }

    /** Same type and subject, and for a message or participant the same one (a retry may add what it fetched). */
    private static boolean sameMeaning(ConsumerRecord<byte[], byte[]> a, ConsumerRecord<byte[], byte[]> b)
            throws IOException {
        if (!Objects.equals(header(a, "ce_type"), header(b, "ce_type"))
                || !Objects.equals(header(a, "ce_subject"), header(b, "ce_subject"))) {
            return false;
        }
        JsonNode x = JSON.readTree(a.value());
        JsonNode y = JSON.readTree(b.value());
        return x.path("message_number").equals(y.path("message_number"))
                && x.path("message").path("body").equals(y.path("message").path("body"))
                && x.path("participant").path("joined_dts").equals(y.path("participant").path("joined_dts"))
                && x.path("participant").path("conversation_participant_arn")
                        .equals(y.path("participant").path("conversation_participant_arn"));
    }

    private static String describe(ConsumerRecord<byte[], byte[]> record) {
        return header(record, "ce_type") + " " + header(record, "ce_id") + " " + new String(record.value());
    }

    /** The conversation as UltraCart's API returns it, with its messages and participants. */
    private JsonNode conversation(String uuid) throws IOException, InterruptedException {
        return call("GET", "/conversation/conversations/" + uuid).path("conversation");
    }

    private JsonNode call(String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(apiBase + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("x-ultracart-simple-key", SandboxOptions.DEFAULT_API_KEY)
                .header("X-UltraCart-Api-Version", "2017-03-01").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    @Override
    public synchronized void close() {
        closed = true;
        events.close();
        producer.close();
        for (Instance instance : instances) {
            instance.connector.close();
        }
    }
}
