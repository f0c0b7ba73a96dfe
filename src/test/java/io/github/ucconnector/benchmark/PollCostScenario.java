package io.github.ucconnector.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SandboxAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scenario 4: what one poll cycle costs over many conversations, in API calls and published records, when nothing
 * changed and when K conversations changed. Cycles are told apart by their first list call ({@code _offset=0}); the
 * changes are made right after a cycle ended, so that the next cycle sees all of them.
 *
 * <p>The baseline is the poller one writes first: read every page each cycle and publish every summary.
 */
final class PollCostScenario {


    private final BenchmarkMain bench;
    private final UltraCartSandbox sandbox;
    private final SandboxAdmin admin;
    private final BenchmarkMain.Mode mode;

    /** The calls of one cycle and what it published. */
    private record Cycle(int listCalls, int otherCalls, long records) {
    }

    PollCostScenario(BenchmarkMain bench, UltraCartSandbox sandbox, SandboxAdmin admin, BenchmarkMain.Mode mode) {
        this.bench = bench;
        this.sandbox = sandbox;
        this.admin = admin;
        this.mode = mode;
    }

    void run() throws Exception {
        int total = mode.pollConversations();
        List<String> conversations = BenchmarkMain.openConversations(admin, total);
        Cycle baseline = baselineCycle();
        sandbox.clearRequests();
        try (SystemUnderTest connector = bench.startConnector("s4-connector", sandbox, 1, 1, Map.of(
                Setting.POLL_ENABLED.environmentVariable(), "true",
                Setting.POLL_INTERVAL_MS.environmentVariable(), Integer.toString(mode.pollIntervalMs())));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bench.bootstrapServers()))) {
            List<String> topics = List.of(connector.topic(Setting.TOPIC_SUMMARIES),
                    connector.topic(Setting.TOPIC_EVENTS));
            List<RecordedRequest> firstCalls = awaitCycleEnd();
            int firstLists = (int) firstCalls.stream().filter(PollCostScenario::isListCall).count();
            Cycle first = new Cycle(firstLists, firstCalls.size() - firstLists, records(admin, topics));
            bench.report().add(new Report.Row("4 poll cost", "first cycle after start (full scan of " + total + ")",
                    "list calls", first.listCalls(), Integer.toString(first.listCalls()), baseline.listCalls(),
                    Integer.toString(baseline.listCalls()), (double) first.listCalls() / baseline.listCalls(), "", ""));
            List<Double> quietCalls = new ArrayList<>();
            List<Double> quietRecords = new ArrayList<>();
            int quietCycles = mode.runs();
            for (int i = 0; i < quietCycles; i++) {
                Cycle quiet = measureCycle(admin, topics, 0);
                quietCalls.add((double) quiet.listCalls() + quiet.otherCalls());
                quietRecords.add((double) quiet.records());
            }
            bench.report().add("4 poll cost", "API calls per cycle, nothing changed (" + quietCycles + " cycles)",
                    "calls", quietCalls, List.of((double) baseline.listCalls()), true, "1",
                    quietCalls.stream().allMatch(c -> c == 1.0));
            bench.report().add("4 poll cost", "records published per cycle, nothing changed", "records",
                    quietRecords, List.of((double) baseline.records()), false, "0",
                    quietRecords.stream().allMatch(r -> r == 0.0));
            Random random = new Random(4);
            for (int changes : mode.pollChanges()) {
                List<String> shuffled = new ArrayList<>(conversations);
                Collections.shuffle(shuffled, random);
                Cycle cycle = measureCycle(admin, topics, changes, shuffled.subList(0, changes));
                int allowed = 1 + (changes + 199) / 200;
                bench.report().add(new Report.Row("4 poll cost", changes + " conversation(s) changed: list calls",
                        "calls", cycle.listCalls(), Integer.toString(cycle.listCalls()), baseline.listCalls(),
                        Integer.toString(baseline.listCalls()), (double) cycle.listCalls() / baseline.listCalls(),
                        "<= " + allowed, cycle.listCalls() <= allowed ? "yes" : "no"));
                bench.report().add(new Report.Row("4 poll cost", changes + " conversation(s) changed: other calls "
                        + "(get conversation, for the new messages)", "calls", cycle.otherCalls(),
                        Integer.toString(cycle.otherCalls()), Double.NaN, "", Double.NaN, "", ""));
                bench.report().add(new Report.Row("4 poll cost", changes + " conversation(s) changed: records "
                        + "published (summaries and change events)", "records", cycle.records(),
                        Long.toString(cycle.records()), baseline.records(), Long.toString(baseline.records()),
                        (double) cycle.records() / baseline.records(), "", ""));
            }
        }
    }

    private Cycle measureCycle(Admin admin, List<String> topics, int changes) throws Exception {
        return measureCycle(admin, topics, changes, List.of());
    }

    /** Waits for the running cycle to end, makes the changes, and measures the whole next cycle. */
    private Cycle measureCycle(Admin admin, List<String> topics, int changes, List<String> changed) throws Exception {
        awaitQuiet();
        long recordsBefore = records(admin, topics);
        sandbox.clearRequests();
        if (!changed.isEmpty()) {
            long started = System.nanoTime();
            addMessages(changed);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            if (tookMs > mode.pollIntervalMs() / 2) {
                bench.report().note(changes + " changes took " + tookMs + " ms to make: they may span two cycles");
            }
        }
        awaitCycleStart();
        List<RecordedRequest> cycle = awaitCycleEnd();
        long records = records(admin, topics) - recordsBefore;
        int lists = (int) cycle.stream().filter(PollCostScenario::isListCall).count();
        return new Cycle(lists, cycle.size() - lists, records);
    }

    /** The first list call of a cycle has been made. */
    private void awaitCycleStart() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (sandbox.requests().stream().noneMatch(PollCostScenario::isFirstListCall)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no poll cycle started within 60 s");
            }
            Thread.sleep(5);
        }
    }

    /** The calls of the cycle that started, up to the first call of the next one. */
    private List<RecordedRequest> awaitCycleEnd() throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (true) {
            List<RecordedRequest> requests = sandbox.requests();
            int start = indexOfFirstListCall(requests, 0);
            int next = indexOfFirstListCall(requests, start + 1);
            if (next > 0) {
                return requests.subList(start, next);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a poll cycle did not end within 300 s");
            }
            Thread.sleep(5);
        }
    }

    /** No call for a while: the running cycle is over (a quiet cycle takes a few ms, the interval 1 or 2 s). */
    private void awaitQuiet() throws InterruptedException {
        int seen = -1;
        while (true) {
            int now = sandbox.requests().size();
            if (now == seen) {
                return;
            }
            seen = now;
            Thread.sleep(300);
        }
    }

    private static int indexOfFirstListCall(List<RecordedRequest> requests, int from) {
        for (int i = from; i < requests.size(); i++) {
            if (isFirstListCall(requests.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isFirstListCall(RecordedRequest request) {
        return isListCall(request) && request.query().contains("_offset=0");
    }

    private static boolean isListCall(RecordedRequest request) {
        return request.method().equals("GET") && request.path().endsWith("/conversation/conversations");
    }

    private void addMessages(List<String> conversations) throws Exception {
        BenchmarkMain.inParallel(conversations.stream()
                .map(uuid -> (Callable<JsonNode>) () -> admin.addCustomerMessage(uuid, "Any news?")).toList());
    }

    /** Records on the summaries and events topics so far. */
    private static long records(Admin admin, List<String> topics) throws Exception {
        var partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    /** The naive poller: every page, every summary published, every cycle. */
    private Cycle baselineCycle() throws Exception {
        String topic = "bench-s4-baseline.summaries";
        bench.createTopics(1, topic);
        int calls = 0;
        long records = 0;
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            int offset = 0;
            boolean more = true;
            while (more) {
                String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl()
                                + "/conversation/conversations?_limit=200&_offset=" + offset))
                        .header("x-ultracart-simple-key", io.github.ucconnector.sandbox.SandboxOptions.DEFAULT_API_KEY)
                        .header("X-UltraCart-Api-Version", "2017-03-01").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                calls++;
                JsonNode page = BenchmarkMain.JSON.readTree(body);
                for (JsonNode summary : page.path("conversations")) {
                    producer.send(new ProducerRecord<>(topic, summary.path("conversation_uuid").asText(),
                            summary.toString()));
                    records++;
                }
                more = page.path("metadata").path("result_set").path("more").asBoolean();
                offset += 200;
            }
        }
        return new Cycle(calls, 0, records);
    }
}
