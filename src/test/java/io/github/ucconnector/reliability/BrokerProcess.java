package io.github.ucconnector.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.ucconnector.broker.EmbeddedKafkaBroker;
import io.github.ucconnector.support.ConnectorJvm;

/**
 * An embedded Kafka broker in a JVM of its own (a {@link ConnectorJvm}), so that a test can kill it with SIGKILL, as a
 * crashed host or an OOM kill would end it, and start it again on the same port and the same data directory: what
 * the broker had written is still there, and its clients reconnect to the same address.
 */
final class BrokerProcess implements AutoCloseable {

    /** The line {@link #main} prints once the broker answers. */
    static final String READY = "EMBEDDED KAFKA BROKER READY";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private ConnectorJvm jvm;
    private int starts;

    private BrokerProcess(String name, int port, Path dataDir, Path log) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kill-" + name));
    }

    /** Starts a broker on the port with the data directory (formatted on the first start only) and waits for it. */
    static BrokerProcess start(String name, int port, Path dataDir) {
        Path log = Path.of("target", "it-logs", name + ".log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BrokerProcess broker = new BrokerProcess(name, port, dataDir.toAbsolutePath(), log);
        broker.start();
        return broker;
    }

    /** Starts the broker again, on the same port and data directory, and waits until it answers. */
    void start() {
        if (jvm != null && jvm.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ConnectorJvm.mark(log, "===== start #" + (++starts) + " of " + name + " =====");
        jvm = ConnectorJvm.java(name, List.of("-cp", System.getProperty("java.class.path"),
                        BrokerProcess.class.getName(), Integer.toString(port), dataDir.toString()))
                .jvmOptions(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1")).log(log).start()
                .awaitOutput(READY, START_TIMEOUT);
    }

    /** SIGKILL: the broker is gone at once, without a controlled shutdown, its log segments not closed. */
    void sigkill() {
        ConnectorJvm.mark(log, "===== test sends SIGKILL =====");
        jvm.sigkill();
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (isAlive()) {
            jvm.sigkill();
        }
    }

    /** {@code BrokerProcess <port> <data directory>}: runs the broker until the process is ended. */
    public static void main(String[] args) throws InterruptedException {
        // A broker killed without a controlled shutdown stays registered until its session times out (9 s by
        // default): its next start waits for that before it serves. Shorter, so the outage is the test's own.
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Integer.parseInt(args[0]), Path.of(args[1]), List.of(),
                Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "1000"));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println(READY + " on " + broker.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
