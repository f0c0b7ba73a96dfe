package io.github.ucconnector.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.broker.EmbeddedKafkaBroker;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The benchmark harness (README, "Benchmark"): an embedded broker and the sandbox in this JVM, the packaged
 * connector jar and the {@link BaselineConnector} as JVMs of their own, the five scenarios of issue #5 and the read
 * side's (6, issue #15).
 *
 * <p>Arguments: {@code --mode smoke|full}, {@code --jar <connector jar>}, {@code --out <folder>},
 * {@code --scenarios 1,2,3,4,5,6} (those to run).
 * {@code --baseline-max-poll-records <n>} has the baseline poll that many records (Kafka's default: 500), to see
 * how much of scenario 1's gap is the connector's smaller polls.
 */
public final class BenchmarkMain {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTOR_READY = "UltraCart Conversation connector is running";
    private static final String BASELINE_READY = "Baseline is running";
    /**
     * The JVM options the connector is deployed with (README "Running it", the container image, docker-compose);
     * the baseline gets the same.
     */
    static final String DEPLOYED_JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC";

    private final Mode mode;
    private final Set<String> scenarios;
    private final List<String> jvmArgs;
    private final List<String> connectorJvmArgs;
    /** Empty: Kafka's default. */
    private final String baselineMaxPollRecords;
    private final Path jar;
    private final Path out;
    private final Report report = new Report();
    private EmbeddedKafkaBroker broker;
    private final List<Double> connectorStartUps = new CopyOnWriteArrayList<>();
    private final List<Double> baselineStartUps = new CopyOnWriteArrayList<>();
    private final AtomicInteger systems = new AtomicInteger();

    /** How much work each scenario does: smoke mode shows the harness works in about two minutes. */
    record Mode(String name, int warmUpRuns, int runs, int throughputCommands, int latencyBoundCommands,
            int rateSeconds, int conversations, int pollConversations, List<Integer> pollChanges, int pollIntervalMs) {
        static Mode of(String name) {
            return switch (name) {
                case "smoke" -> new Mode(name, 0, 1, 600, 320, 2, 200, 400, List.of(1, 10), 1_000);
                case "full" -> new Mode(name, 2, 5, 20_000, 3_200, 60, 2_000, 10_000, List.of(1, 10, 500), 2_000);
                default -> throw new IllegalArgumentException("--mode is smoke or full, not " + name);
            };
        }
    }

    private BenchmarkMain(Mode mode, Set<String> scenarios, List<String> jvmArgs,
            List<String> connectorJvmArgs, String baselineMaxPollRecords, Path jar, Path out) {
        this.mode = mode;
        this.scenarios = scenarios;
        this.jvmArgs = jvmArgs;
        this.connectorJvmArgs = connectorJvmArgs;
        this.baselineMaxPollRecords = baselineMaxPollRecords;
        this.jar = jar;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--mode", "full",
                "--jar", "target/ultracart-conversation-connector.jar", "--out", "target/benchmark",
                "--scenarios", "1,2,3,4,5,6", "--connector-jvm-args", "", "--jvm-args", DEPLOYED_JVM_OPTIONS,
                "--baseline-max-poll-records", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Mode mode = Mode.of(options.get("--mode"));
        Path jar = Path.of(options.get("--jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No connector jar at " + jar + ": build it first (mvn package)");
        }
        Path out = Path.of(options.get("--out")).resolve(mode.name() + "-"
                + Instant.now().toString().replace(":", "").replaceAll("\\..*", "")).toAbsolutePath();
        long started = System.nanoTime();
        Set<String> scenarios = Set.of(options.get("--scenarios").split(","));
        new BenchmarkMain(mode, scenarios, words(options.get("--jvm-args")),
                words(options.get("--jvm-args") + " " + options.get("--connector-jvm-args")),
                options.get("--baseline-max-poll-records").trim(), jar, out).run();
        System.out.printf(Locale.ROOT, "Benchmark (%s) took %.0f s; results in %s%n", mode.name(),
                (System.nanoTime() - started) / 1e9, out);
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        broker = EmbeddedKafkaBroker.start(0, null);
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0))) {
            SandboxAdmin admin = new SandboxAdmin(sandbox);
            if (scenarios.contains("1") || scenarios.contains("3") || scenarios.contains("5")) {
                throughputAndLatency(sandbox, admin);
            }
            if (scenarios.contains("2")) {
                latencyBound(sandbox, admin);
            }
        }
        if (scenarios.contains("4")) {
            try (UltraCartSandbox sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0))) {
                new PollCostScenario(this, sandbox, new SandboxAdmin(sandbox), mode).run();
            }
        }
        if (scenarios.contains("6")) {
            new LiveChatScenario(this, mode).run();
        }
        report.add("5 footprint", "start-up, broker excluded, median of " + connectorStartUps.size() + " starts",
                "s", connectorStartUps, baselineStartUps, false, "< 5 s",
                Stats.median(connectorStartUps) < 5.0);
        report.write(out, "# Benchmark results (" + mode.name() + ")\n\n" + Machine.describe());
        broker.close();
    }

    /** Scenarios 1 and 3, and the footprint (5), on 4 partitions with 4 API calls at a time. */
    private void throughputAndLatency(UltraCartSandbox sandbox, SandboxAdmin admin) throws Exception {
        List<String> conversations = openConversations(admin, mode.conversations());
        CompletableFuture<SystemUnderTest> startingBaseline = startBaseline("s1-baseline", sandbox, 4, 4);
        try (SystemUnderTest connector = startConnector("s1-connector", sandbox, 4, 4, Map.of());
                SystemUnderTest baseline = startingBaseline.get()) {
            admin.faults("{}");
            List<Double> connectorRates = new ArrayList<>();
            List<Double> baselineRates = new ArrayList<>();
            List<Double> pairedRatios = new ArrayList<>();
            List<Double> connectorCpu = new ArrayList<>();
            List<Double> baselineCpu = new ArrayList<>();
            List<Double> connectorHarnessCpu = new ArrayList<>();
            List<Double> baselineHarnessCpu = new ArrayList<>();
            Map<String, List<Double>> connectorRequests = new TreeMap<>();
            Map<String, List<Double>> baselineRequests = new TreeMap<>();
            // The first runs of each warm up the JIT and join the consumer groups; they are not counted.
            for (int run = 1 - mode.warmUpRuns(); run <= mode.runs(); run++) {
                int count = mode.throughputCommands();
                // Each run is a pair, the two systems one after the other; who goes first alternates, so that a
                // machine getting busier or quieter during a run favours neither.
                SystemUnderTest.Throughput c;
                SystemUnderTest.Throughput b;
                if (run % 2 != 0) {
                    c = connector.throughput(mixedCommands("c1r" + run, count, conversations));
                    b = baseline.throughput(mixedCommands("b1r" + run, count, conversations));
                } else {
                    b = baseline.throughput(mixedCommands("b1r" + run, count, conversations));
                    c = connector.throughput(mixedCommands("c1r" + run, count, conversations));
                }
                System.out.printf(Locale.ROOT, "  scenario 1 run %d: connector %.0f/s (%.2f ms CPU each, harness %.2f),"
                        + " baseline %.0f/s (%.2f ms CPU each, harness %.2f)%n", run, c.perSecond(),
                        c.cpuMsPerCommand(), c.harnessCpuMsPerCommand(), b.perSecond(), b.cpuMsPerCommand(),
                        b.harnessCpuMsPerCommand());
                if (run > 0) {
                    connectorRates.add(c.perSecond());
                    baselineRates.add(b.perSecond());
                    pairedRatios.add(c.perSecond() / b.perSecond());
                    connectorCpu.add(c.cpuMsPerCommand());
                    baselineCpu.add(b.cpuMsPerCommand());
                    connectorHarnessCpu.add(c.harnessCpuMsPerCommand());
                    baselineHarnessCpu.add(b.harnessCpuMsPerCommand());
                    c.brokerRequestsPerCommand().forEach((request, each) ->
                            connectorRequests.computeIfAbsent(request, r -> new ArrayList<>()).add(each));
                    b.brokerRequestsPerCommand().forEach((request, each) ->
                            baselineRequests.computeIfAbsent(request, r -> new ArrayList<>()).add(each));
                }
            }
            double ratio = Stats.median(pairedRatios);
            report.add("1 throughput", mode.throughputCommands() + " start/join/leave, 0 ms, 4 partitions, 4 calls"
                    + (baselineMaxPollRecords.isEmpty() ? "" : "; the baseline polls " + baselineMaxPollRecords
                            + " records at a time"),
                    "commands/s", connectorRates, baselineRates, true, ">= 2000/s", Stats.median(connectorRates) >= 2000);
            report.add(new Report.Row("1 throughput", "ratio to the baseline: median of the runs' own ratios (each run"
                    + " pairs the two systems)", "ratio", ratio, Stats.spread(pairedRatios, 2), Double.NaN, "",
                    Double.NaN, ">= 0.7", ratio >= 0.7 ? "yes" : "no"));
            report.add("1 throughput", "CPU time of the JVM per command", "ms", connectorCpu, baselineCpu, true, "",
                    null);
            report.add("1 throughput", "CPU time of the harness (broker, sandbox, load) per command", "ms",
                    connectorHarnessCpu, baselineHarnessCpu, true, "", null);
            // Produce and fetch include the harness's own: the load's producer and the outcome reader.
            for (String request : List.of("Produce", "Fetch", "OffsetCommit")) {
                report.add("1 throughput", request + " requests the broker answered, per command", "requests",
                        connectorRequests.getOrDefault(request, List.of(0.0)),
                        baselineRequests.getOrDefault(request, List.of(0.0)), true, "", null);
            }
            report.add("5 footprint", "peak RSS during scenario 1", "MiB",
                    List.of(connector.jvm().peakRssMiB()), List.of(baseline.jvm().peakRssMiB()), false, "< 350 MiB",
                    connector.jvm().peakRssMiB() < 350);

            if (!scenarios.contains("3")) {
                return;
            }
            admin.faults("{\"latency_ms\":20}");
            int count = mode.rateSeconds() * 100;
            List<BenchCommand> forConnector = evenlySpreadCommands("c3", count, conversations);
            List<BenchCommand> forBaseline = evenlySpreadCommands("b3", count, conversations);
            List<Double> c = connector.latencyOverheads(forConnector, 100, 20);
            List<Double> b = baseline.latencyOverheads(forBaseline, 100, 20);
            for (double p : new double[] {50, 99, 100}) {
                String name = p == 100 ? "max" : "p" + (int) p;
                double cp = Stats.percentile(c, p);
                double bp = Stats.percentile(b, p);
                report.add(new Report.Row("3 latency", name + " outcome latency minus 20 ms sandbox latency, 100/s for "
                        + mode.rateSeconds() + " s", "ms", cp, String.format(Locale.ROOT, "%.1f", cp), bp,
                        String.format(Locale.ROOT, "%.1f", bp), cp / bp, p == 99 ? "p99 <= 25 ms" : "",
                        p == 99 ? (cp <= 25 ? "yes" : "no") : ""));
            }
            writeLatencySamples(forConnector, connector.sendTimes(forConnector), c, forBaseline,
                    baseline.sendTimes(forBaseline), b);
            // How much of it is Kafka's alone: the outcome event's trip from the producer to the harness's consumer.
            List<Double> ct = connector.eventTrips(forConnector);
            List<Double> bt = baseline.eventTrips(forBaseline);
            for (double p : new double[] {50, 99}) {
                double cp = Stats.percentile(ct, p);
                double bp = Stats.percentile(bt, p);
                report.add(new Report.Row("3 latency", "p" + (int) p + " of it: the outcome event's trip through Kafka"
                        + " (sent by the producer to read by the harness, ms clock)", "ms", cp,
                        String.format(Locale.ROOT, "%.0f", cp), bp, String.format(Locale.ROOT, "%.0f", bp), Double.NaN,
                        "", ""));
            }
            admin.faults("{}");
            connector.requestStop();
            baseline.requestStop();
        }
    }

    /** Scenario 2: 50 ms per call, 16 partitions and 16 calls at a time; ideal 320/s; order per conversation. */
    private void latencyBound(UltraCartSandbox sandbox, SandboxAdmin admin) throws Exception {
        List<String> conversations = openConversations(admin, 160);
        CompletableFuture<SystemUnderTest> startingBaseline = startBaseline("s2-baseline", sandbox, 16, 16);
        try (SystemUnderTest connector = startConnector("s2-connector", sandbox, 16, 16, Map.of());
                SystemUnderTest baseline = startingBaseline.get()) {
            admin.faults("{\"latency_ms\":50}");
            List<Double> connectorRates = new ArrayList<>();
            List<Double> baselineRates = new ArrayList<>();
            List<String> disorder = new ArrayList<>();
            for (int run = 1 - Math.min(1, mode.warmUpRuns()); run <= mode.runs(); run++) {
                int count = run == 0 ? 320 : mode.latencyBoundCommands();
                List<BenchCommand> forConnector = mixedCommands("c2r" + run, count, conversations);
                double c = connector.throughput(forConnector).perSecond();
                double b = baseline.throughput(mixedCommands("b2r" + run, count, conversations)).perSecond();
                disorder.addAll(connector.orderViolations(forConnector));
                System.out.printf(Locale.ROOT, "  scenario 2 run %d: connector %.0f/s, baseline %.0f/s%n", run, c, b);
                if (run > 0) {
                    connectorRates.add(c);
                    baselineRates.add(b);
                }
            }
            report.add("2 latency-bound", mode.latencyBoundCommands() + " commands, 50 ms, 16 partitions, 16 calls",
                    "commands/s", connectorRates, baselineRates, true, ">= 288/s (90% of 320/s), order kept",
                    Stats.median(connectorRates) >= 288 && disorder.isEmpty());
            double connectorShare = Stats.median(connectorRates) / 3.2;
            double baselineShare = Stats.median(baselineRates) / 3.2;
            report.add(new Report.Row("2 latency-bound", "share of the ideal 320/s", "%", connectorShare,
                    String.format(Locale.ROOT, "%.1f", connectorShare), baselineShare,
                    String.format(Locale.ROOT, "%.1f", baselineShare), Double.NaN, ">= 90 %",
                    connectorShare >= 90 ? "yes" : "no"));
            report.add(new Report.Row("2 latency-bound", "commands out of order per conversation and topic", "count",
                    disorder.size(), Integer.toString(disorder.size()), Double.NaN, "", Double.NaN, "0",
                    disorder.isEmpty() ? "yes" : "no"));
            disorder.stream().limit(5).forEach(d -> report.note("out of order: " + d));
            admin.faults("{}");
            connector.requestStop();
            baseline.requestStop();
        }
    }

    /**
     * Scenario 3's every sample, to see where a tail comes from: when each command was sent and what it took. A tail
     * spread over the run is queueing; one bunched in a second is a pause somewhere (a GC, the machine).
     */
    private void writeLatencySamples(List<BenchCommand> connectorCommands, List<Long> connectorSent,
            List<Double> connectorOverheads, List<BenchCommand> baselineCommands, List<Long> baselineSent,
            List<Double> baselineOverheads) throws IOException {
        StringBuilder csv = new StringBuilder("system,type,sent_ms,overhead_ms\n");
        appendSamples(csv, "connector", connectorCommands, connectorSent, connectorOverheads);
        appendSamples(csv, "baseline", baselineCommands, baselineSent, baselineOverheads);
        Files.writeString(out.resolve("latency-samples.csv"), csv);
    }

    private static void appendSamples(StringBuilder csv, String system, List<BenchCommand> commands, List<Long> sent,
            List<Double> overheads) {
        for (int i = 0; i < commands.size(); i++) {
            csv.append(system).append(',').append(commands.get(i).type()).append(',').append(sent.get(i)).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", overheads.get(i))).append('\n');
        }
    }

    /**
     * The same mix, each command on the next partition in turn (so a join and the leave after it go to two
     * conversations): at a fixed rate, every consumer then gets its commands at a fixed rate too. With
     * {@link #mixedCommands} a conversation's start, join and leave reach one consumer back to back, and at 20 ms a
     * call the second and third would wait for the first: a measure of the load's shape, not of the connector.
     */
    static List<BenchCommand> evenlySpreadCommands(String prefix, int count, List<String> conversations) {
        return thirdEach(prefix, count, conversations, i -> i);
    }

    /**
     * A third each of start, join and leave; join and leave spread over the given conversations (a multiple of every
     * partition count used, so that each partition gets the same share).
     */
    static List<BenchCommand> mixedCommands(String prefix, int count, List<String> conversations) {
        return thirdEach(prefix, count, conversations, i -> i / 3);
    }

    /** A third each of start, join and leave; command i goes to conversation (and partition) slot(i). */
    private static List<BenchCommand> thirdEach(String prefix, int count, List<String> conversations,
            IntUnaryOperator slotOf) {
        List<BenchCommand> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            int slot = slotOf.applyAsInt(i) % conversations.size();
            String conversation = conversations.get(slot);
            commands.add(switch (i % 3) {
                case 0 -> BenchCommand.start(id, slot);
                case 1 -> BenchCommand.join(id, conversation, slot);
                default -> BenchCommand.leave(id, conversation, slot);
            });
        }
        return commands;
    }

    SystemUnderTest startConnector(String name, UltraCartSandbox sandbox, int partitions, int concurrency,
            Map<String, String> overrides) throws Exception {
        String prefix = "bench" + systems.incrementAndGet() + "-" + name + ".";
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(), broker.bootstrapServers());
        env.put(Setting.KAFKA_GROUP_ID.environmentVariable(), prefix + "connector");
        env.put(Setting.ULTRACART_BASE_URL.environmentVariable(), sandbox.baseUrl());
        env.put(Setting.ULTRACART_API_KEY.environmentVariable(), SandboxOptions.DEFAULT_API_KEY);
        // No budget limit unless a scenario sets one: the sandbox has none either.
        env.put(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.environmentVariable(), "1000000000");
        env.put(Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY.environmentVariable(), "1000000000");
        env.put(Setting.ULTRACART_BUDGET_MAX_CONCURRENT.environmentVariable(), Integer.toString(concurrency));
        env.put(Setting.KAFKA_CONSUMERS.environmentVariable(), Integer.toString(concurrency));
        env.put(Setting.POLL_ENABLED.environmentVariable(), "false");
        env.put(Setting.TOPIC_PARTITIONS.environmentVariable(), Integer.toString(partitions));
        TestTopics.prefixed(prefix).forEach((topic, topicName) -> env.put(topic.environmentVariable(), topicName));
        env.putAll(overrides);
        String events = env.get(Setting.TOPIC_EVENTS.environmentVariable());
        createTopics(partitions, events, env.get(Setting.TOPIC_COMMAND_START.environmentVariable()),
                env.get(Setting.TOPIC_COMMAND_JOIN.environmentVariable()),
                env.get(Setting.TOPIC_COMMAND_LEAVE.environmentVariable()));
        List<String> jvmArgs = new ArrayList<>(connectorJvmArgs);
        jvmArgs.replaceAll(arg -> arg.replace("{name}", name));
        jvmArgs.addAll(List.of("-jar", jar.toString()));
        ChildJvm jvm = ChildJvm.start(name, jvmArgs, env, CONNECTOR_READY, out);
        connectorStartUps.add(jvm.startUp().toMillis() / 1000.0);
        return new SystemUnderTest(jvm, env, broker.bootstrapServers(), events, type -> env.get(
                Setting.valueOf("TOPIC_COMMAND_" + type.toUpperCase(Locale.ROOT)).environmentVariable()), partitions);
    }

    /**
     * The baseline; in smoke mode it starts while the connector does (quicker, but the start-up figures are then
     * worse), in full mode only once it is ready, so the connector's start-up is measured on a quiet machine.
     */
    private CompletableFuture<SystemUnderTest> startBaseline(String name, UltraCartSandbox sandbox, int partitions,
            int concurrency) throws Exception {
        if (!mode.name().equals("smoke")) {
            return CompletableFuture.completedFuture(startBaselineNow(name, sandbox, partitions, concurrency));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return startBaselineNow(name, sandbox, partitions, concurrency);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private SystemUnderTest startBaselineNow(String name, UltraCartSandbox sandbox, int partitions, int concurrency)
            throws Exception {
        String prefix = "bench" + systems.incrementAndGet() + "-" + name + ".";
        String events = prefix + "events";
        createTopics(partitions, events, prefix + "start", prefix + "join", prefix + "leave");
        Map<String, String> env = new LinkedHashMap<>(Map.of("BASELINE_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "BASELINE_BASE_URL", sandbox.baseUrl(), "BASELINE_API_KEY", SandboxOptions.DEFAULT_API_KEY,
                "BASELINE_GROUP_ID", prefix + "baseline", "BASELINE_COMMAND_TOPICS",
                prefix + "start," + prefix + "join," + prefix + "leave", "BASELINE_EVENTS_TOPIC", events,
                "BASELINE_THREADS", Integer.toString(concurrency)));
        if (!baselineMaxPollRecords.isEmpty()) {
            env.put("BASELINE_MAX_POLL_RECORDS", baselineMaxPollRecords);
        }
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-cp", absoluteClassPath(), BaselineConnector.class.getName()));
        ChildJvm jvm = ChildJvm.start(name, args, env, BASELINE_READY, out);
        baselineStartUps.add(jvm.startUp().toMillis() / 1000.0);
        return new SystemUnderTest(jvm, env, broker.bootstrapServers(), events, type -> prefix + type, partitions);
    }


    /** The harness's class path for the baseline's JVM, which runs in the results folder. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    Report report() {
        return report;
    }

    void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1))
                    .toList()).all().get();
        }
    }

    /** Opens conversations through the sandbox's admin API, as customers would; returns their uuids. */
    static List<String> openConversations(SandboxAdmin admin, int count) throws Exception {
        return inParallel(IntStream.range(0, count)
                .mapToObj(i -> (Callable<String>) () -> admin.openConversation("Bench " + i, "Hello " + i)).toList());
    }

    /** Admin calls several at a time: setting up thousands of conversations one by one would dominate a run. */
    static <T> List<T> inParallel(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<T> results = new ArrayList<>(calls.size());
            for (Future<T> result : pool.invokeAll(calls)) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
