package io.github.ucconnector.benchmark;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.sun.management.OperatingSystemMXBean;

/** The connector or the baseline: a running JVM, the load that feeds its command topics, and its outcome events. */
final class SystemUnderTest implements AutoCloseable {

    private static final OperatingSystemMXBean HARNESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ChildJvm jvm;
    private final CommandLoad load;
    private final Outcomes outcomes;
    private final Map<String, String> environment;

    /** @param environment the JVM's environment: the connector's settings */
    SystemUnderTest(ChildJvm jvm, Map<String, String> environment, String bootstrapServers, String eventsTopic,
            Function<String, String> topicOfType, int partitions) {
        this.jvm = jvm;
        this.environment = environment;
        this.load = new CommandLoad(bootstrapServers, topicOfType, partitions);
        this.outcomes = new Outcomes(bootstrapServers, eventsTopic);
    }

    /** The topic a connector uses for a topic setting. */
    String topic(io.github.ucconnector.config.Setting setting) {
        return environment.getOrDefault(setting.environmentVariable(), setting.defaultValue());
    }

    ChildJvm jvm() {
        return jvm;
    }

    /**
     * What a run of commands took: commands per second end to end, the JVM's CPU time per command, and the harness's
     * (broker, sandbox, load and outcome reader: the work the system under test causes outside its own JVM).
     */
    record Throughput(double perSecond, double cpuMsPerCommand, double harnessCpuMsPerCommand,
            Map<String, Double> brokerRequestsPerCommand) {
    }

    /** Sends all commands at once; commands per second from the first send to the last outcome event. */
    Throughput throughput(List<BenchCommand> commands) throws InterruptedException {
        double cpuBefore = jvm.cpuSeconds();
        long harnessCpuBefore = HARNESS.getProcessCpuTime();
        Map<String, Long> requestsBefore = BrokerRequests.counts();
        long first = System.nanoTime();
        load.sendAll(commands);
        long last = outcomes.awaitAll(ids(commands), timeout(commands.size()));
        double cpu = jvm.cpuSeconds() - cpuBefore;
        double harnessCpu = (HARNESS.getProcessCpuTime() - harnessCpuBefore) / 1e9;
        requireSucceeded(commands);
        return new Throughput(commands.size() / ((last - first) / 1e9), cpu * 1000 / commands.size(),
                harnessCpu * 1000 / commands.size(),
                BrokerRequests.perCommand(requestsBefore, BrokerRequests.counts(), commands.size()));
    }

    /** Sends at a fixed rate; per command, outcome latency minus the sandbox's latency, in ms. */
    List<Double> latencyOverheads(List<BenchCommand> commands, int perSecond, int sandboxLatencyMs)
            throws InterruptedException {
        load.sendAtRate(commands, perSecond);
        outcomes.awaitAll(ids(commands), timeout(commands.size()));
        requireSucceeded(commands);
        List<Double> overheads = new ArrayList<>(commands.size());
        for (BenchCommand command : commands) {
            double ms = (outcomes.get(command.id()).arrivedNanos() - load.sentNanos(command.id())) / 1e6;
            overheads.add(ms - sandboxLatencyMs);
        }
        return overheads;
    }

    /** Per command, when it was sent: ms after the first of them. */
    List<Long> sendTimes(List<BenchCommand> commands) {
        long first = load.sentNanos(commands.get(0).id());
        return commands.stream().map(command -> (load.sentNanos(command.id()) - first) / 1_000_000).toList();
    }

    /** Per command, the outcome event's trip through Kafka: from its producer's send to the harness reading it, in ms. */
    List<Double> eventTrips(List<BenchCommand> commands) {
        return commands.stream().map(command -> outcomes.get(command.id()))
                .map(outcome -> (double) (outcome.arrivedMillis() - outcome.producedMillis())).toList();
    }

    /**
     * Commands of one conversation sent to one command topic must have their outcomes in the same order (Kafka
     * orders a partition, not two topics). Returns a description of each pair that came out the other way round.
     */
    List<String> orderViolations(List<BenchCommand> commands) {
        Map<String, List<String>> sentByConversationAndType = new LinkedHashMap<>();
        for (BenchCommand command : commands) {
            if (!command.type().equals("start")) {
                sentByConversationAndType.computeIfAbsent(command.key() + "/" + command.type(), k -> new ArrayList<>())
                        .add(command.id());
            }
        }
        List<String> violations = new ArrayList<>();
        sentByConversationAndType.forEach((conversationAndType, sent) -> {
            String conversation = conversationAndType.substring(0, conversationAndType.indexOf('/'));
            List<String> seen = new ArrayList<>(outcomes.orderOf(conversation));
            seen.retainAll(sent);
            if (!seen.equals(sent)) {
                violations.add(conversationAndType + ": sent " + sent + ", outcomes " + seen);
            }
        });
        return violations;
    }

    /** Lets the JVM start stopping while another one is closed. */
    void requestStop() {
        jvm.requestStop();
    }

    @Override
    public void close() throws InterruptedException {
        outcomes.close();
        load.close();
        jvm.close();
    }

    private void requireSucceeded(List<BenchCommand> commands) {
        long failed = commands.stream().filter(c -> outcomes.get(c.id()).type().endsWith(".failed")).count();
        if (failed > 0) {
            BenchCommand example = commands.stream()
                    .filter(c -> outcomes.get(c.id()).type().endsWith(".failed")).findFirst().orElseThrow();
            throw new IllegalStateException(jvm + ": " + failed + " commands failed, e.g. " + example.id() + " "
                    + outcomes.get(example.id()).type());
        }
    }

    private static List<String> ids(List<BenchCommand> commands) {
        return commands.stream().map(BenchCommand::id).toList();
    }

    private static Duration timeout(int commands) {
        return Duration.ofSeconds(60 + commands / 50);
    }
}
