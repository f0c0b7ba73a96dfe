package io.github.ucconnector.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Scenario 6: the read side of a helpdesk with 30 live chats. Customers and agents write at random, each
 * conversation about once a minute, and the poller follows at UltraCart's default budget (1,000 calls/h, 10,000 a
 * day) with the default 30 s cycle. Time is scaled down by {@link #SCALE}: cycle, message rate and budget together,
 * so that the run takes minutes. The same run with {@code POLL_ENRICH=always} (the design before issue 15) is the
 * baseline column.
 *
 * <p>Each written message is known by its conversation and position; each message.received event names both.
 * Missed: a message without an event by the end; duplicate: a message named by events with two different ce_ids (a
 * record repeated with the same ce_id is counted apart, as redelivered); lag: from the message's message_dts to the
 * harness reading its first event, in real (scaled) milliseconds and in cycles.
 */
final class LiveChatScenario {

    static final int SCALE = 30;
    private static final int CONVERSATIONS = 30;
    private static final long CYCLE_MS = 30_000 / SCALE;
    /** Mean time between two messages of one conversation: a minute, scaled. */
    private static final double MEAN_GAP_MS = 60_000.0 / SCALE;

    private final BenchmarkMain bench;
    private final BenchmarkMain.Mode mode;

    /** What one run of one enrichment mode measured. */
    private record Run(int written, int reported, int missed, int duplicates, int redelivered, int calls,
            int listCalls, double lagP50, double lagP99, double lagMax) {

        double callsPerMessage() {
            return reported == 0 ? Double.NaN : (double) calls / reported;
        }

        /** Calls an hour at the unscaled pace: what UltraCart would count. */
        double callsPerRealHour(double seconds) {
            return calls / (seconds * SCALE / 3600.0);
        }
    }

    LiveChatScenario(BenchmarkMain bench, BenchmarkMain.Mode mode) {
        this.bench = bench;
        this.mode = mode;
    }

    void run() throws Exception {
        int seconds = mode.name().equals("smoke") ? 10 : 150;
        if (mode.warmUpRuns() > 0) {
            // The broker runs in this JVM: a short run first, not counted, so that neither mode pays its warm-up.
            runMode("auto", 20);
        }
        Run auto = runMode("auto", seconds);
        Run always = runMode("always", seconds);
        String scenario = "6 live chats";
        String load = CONVERSATIONS + " chats, a message a minute each, 30 s cycle, 1,000 calls/h; time / " + SCALE
                + ", " + seconds + " s (" + seconds * SCALE / 60 + " min unscaled)";
        bench.report().note("Scenario 6: " + load + "; baseline column: POLL_ENRICH=always");
        row(scenario, "messages written", "messages", auto.written(), always.written(), "", null);
        row(scenario, "messages reported", "messages", auto.reported(), always.reported(), "", null);
        row(scenario, "API calls per reported message", "calls", auto.callsPerMessage(), always.callsPerMessage(),
                "<= 0.3", auto.callsPerMessage() <= 0.3);
        row(scenario, "API calls (list calls among them: " + auto.listCalls() + " / " + always.listCalls() + ")",
                "calls", auto.calls(), always.calls(), "", null);
        row(scenario, "API calls per hour, unscaled (the budget is 1,000)", "calls/h",
                auto.callsPerRealHour(seconds), always.callsPerRealHour(seconds), "<= 1000",
                auto.callsPerRealHour(seconds) <= 1000);
        row(scenario, "messages missed", "messages", auto.missed(), always.missed(), "0", auto.missed() == 0);
        row(scenario, "messages reported twice (two ce_ids)", "messages", auto.duplicates(), always.duplicates(), "0",
                auto.duplicates() == 0);
        row(scenario, "events repeated with the same ce_id", "events", auto.redelivered(), always.redelivered(), "",
                null);
        row(scenario, "lag p50, message_dts to event read (" + CYCLE_MS + " ms cycle)", "ms", auto.lagP50(),
                always.lagP50(), "", null);
        row(scenario, "lag p99, message_dts to event read", "ms", auto.lagP99(), always.lagP99(),
                "<= " + 2 * CYCLE_MS + " (2 cycles)", auto.lagP99() <= 2 * CYCLE_MS);
        row(scenario, "lag max", "ms", auto.lagMax(), always.lagMax(), "", null);
    }

    private void row(String scenario, String figure, String unit, double connector, double baseline, String target,
            Boolean met) {
        bench.report().add(new Report.Row(scenario, figure, unit, connector, format(connector), baseline,
                format(baseline), baseline == 0 ? Double.NaN : connector / baseline, target,
                met == null ? "" : met ? "yes" : "no"));
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private Run runMode(String enrich, int seconds) throws Exception {
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0))) {
            SandboxAdmin admin = new SandboxAdmin(sandbox);
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < CONVERSATIONS; i++) {
                conversations.add(admin.open("Customer " + i, null).path("conversation_uuid").asText());
            }
            Map<String, String> settings = Map.of(
                    Setting.POLL_ENABLED.environmentVariable(), "true",
                    Setting.POLL_ENRICH.environmentVariable(), enrich,
                    Setting.POLL_INTERVAL_MS.environmentVariable(), Long.toString(CYCLE_MS),
                    Setting.POLL_FULL_SCAN_INTERVAL_MS.environmentVariable(), Long.toString(3_600_000L / SCALE),
                    Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.environmentVariable(), Integer.toString(1000 * SCALE),
                    Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY.environmentVariable(), Integer.toString(10_000 * SCALE),
                    Setting.ULTRACART_BUDGET_MAX_CONCURRENT.environmentVariable(), "1",
                    // Never the fixed ports other builds on this machine use.
                    Setting.MANAGEMENT_PORT.environmentVariable(), "0");
            try (SystemUnderTest connector = bench.startConnector("s6-" + enrich, sandbox, 1, 1, settings);
                    EventReader reader = new EventReader(bench.bootstrapServers(),
                            connector.topic(Setting.TOPIC_EVENTS))) {
                // The first cycle (a full scan of the chats, none with a message yet) is over before anyone writes.
                Thread.sleep(3 * CYCLE_MS);
                sandbox.clearRequests();
                Map<String, Integer> written = write(admin, conversations, seconds);
                // The last messages get three cycles to be reported.
                Thread.sleep(3 * CYCLE_MS + 500);
                int calls = sandbox.requests().size();
                int listCalls = (int) sandbox.requests().stream()
                        .filter(r -> r.path().endsWith("/conversation/conversations")).count();
                return measure(sandbox, conversations, written, reader, calls, listCalls);
            }
        }
    }

    /** Messages at random: exponential gaps per conversation, customer or agent alike. Returns the count of each. */
    private Map<String, Integer> write(SandboxAdmin admin, List<String> conversations, int seconds)
            throws InterruptedException {
        Random random = new Random(6);
        List<long[]> schedule = new ArrayList<>();
        for (int c = 0; c < conversations.size(); c++) {
            double at = -Math.log(1 - random.nextDouble()) * MEAN_GAP_MS;
            while (at < seconds * 1000.0) {
                schedule.add(new long[] {(long) at, c, random.nextBoolean() ? 1 : 0});
                at += -Math.log(1 - random.nextDouble()) * MEAN_GAP_MS;
            }
        }
        schedule.sort((a, b) -> Long.compare(a[0], b[0]));
        Map<String, Integer> written = new HashMap<>();
        long start = System.nanoTime();
        for (long[] message : schedule) {
            long wait = message[0] - (System.nanoTime() - start) / 1_000_000;
            if (wait > 0) {
                Thread.sleep(wait);
            }
            String uuid = conversations.get((int) message[1]);
            if (message[2] == 1) {
                admin.addAgentMessage(uuid, "Agent reply");
            } else {
                admin.addCustomerMessage(uuid, "Customer question");
            }
            written.merge(uuid, 1, Integer::sum);
        }
        return written;
    }

    private Run measure(UltraCartSandbox sandbox, List<String> conversations, Map<String, Integer> written,
            EventReader reader, int calls, int listCalls) throws Exception {
        reader.stop();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int total = 0;
        int reported = 0;
        int missed = 0;
        int duplicates = 0;
        int redelivered = 0;
        List<Double> lags = new ArrayList<>();
        for (String uuid : conversations) {
            // The sandbox's truth: SandboxAdmin may have sent a POST twice, so count what it holds.
            JsonNode conversation = BenchmarkMain.JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(sandbox.baseUrl() + "/conversation/conversations/" + uuid))
                    .header("x-ultracart-simple-key", SandboxOptions.DEFAULT_API_KEY)
                    .header("X-UltraCart-Api-Version", "2017-03-01").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("conversation");
            JsonNode messages = conversation.path("messages");
            for (int position = 1; position <= messages.size(); position++) {
                total++;
                List<String[]> events = reader.events.getOrDefault(uuid + "#" + position, List.of());
                if (events.isEmpty()) {
                    missed++;
                    continue;
                }
                reported++;
                Set<String> ids = new java.util.HashSet<>();
                events.forEach(e -> ids.add(e[0]));
                duplicates += ids.size() > 1 ? 1 : 0;
                redelivered += events.size() - ids.size();
                Instant writtenAt = Instant.parse(messages.path(position - 1).path("message_dts").asText());
                lags.add((double) (Long.parseLong(events.get(0)[1]) - writtenAt.toEpochMilli()));
            }
        }
        int sent = written.values().stream().mapToInt(Integer::intValue).sum();
        if (total != sent) {
            bench.report().note("Scenario 6: the sandbox holds " + total + " messages, " + sent
                    + " were written (a POST resent after a dropped answer)");
        }
        return new Run(total, reported, missed, duplicates, redelivered, calls, listCalls,
                lags.isEmpty() ? Double.NaN : Stats.percentile(lags, 50),
                lags.isEmpty() ? Double.NaN : Stats.percentile(lags, 99),
                lags.isEmpty() ? Double.NaN : Stats.max(lags));
    }

    /** Follows the events topic: for each conversation#position, the ce_id and read time of every event naming it. */
    private static final class EventReader implements AutoCloseable {
        final Map<String, List<String[]>> events = new ConcurrentHashMap<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong records = new AtomicLong();
        private final Thread thread;

        EventReader(String bootstrapServers, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(this::follow, "s6-event-reader");
            thread.start();
        }

        private void follow() {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    records.incrementAndGet();
                    if (!ChangeEvents.MESSAGE_RECEIVED.equals(TopicProbe.header(record, "ce_type"))) {
                        continue;
                    }
                    try {
                        JsonNode data = BenchmarkMain.JSON.readTree(record.value());
                        events.computeIfAbsent(data.path("conversation_uuid").asText() + "#"
                                + data.path("message_number").asInt(), k -> new ArrayList<>())
                                .add(new String[] {TopicProbe.header(record, "ce_id"), Long.toString(now)});
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            consumer.close();
        }
    }
}
