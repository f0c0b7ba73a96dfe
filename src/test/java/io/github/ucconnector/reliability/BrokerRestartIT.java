package io.github.ucconnector.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.ucconnector.broker.EmbeddedKafkaBroker;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SandboxAdmin;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker goes away in the middle of a run and comes back (same port, same data): the packaged connector,
 * which keeps running all along, recovers by itself, and every command sent before, during and after the outage
 * gets exactly one outcome event id. The broker is a dedicated one (the shared one must stay up for other tests).
 */
class BrokerRestartIT {

    private static final int PER_PHASE = 30;
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private Path dataDir;
    private int port;
    private EmbeddedKafkaBroker broker;
    private UltraCartSandbox sandbox;
    private ConnectorProcess connector;
    private CommandFeed feed;
    private EventTopicReader events;

    @BeforeEach
    void start() throws Exception {
        dataDir = Path.of("target", "it-work", "broker-restart", "kafka-data").toAbsolutePath();
        deleteRecursively(dataDir);
        port = freePort();
        broker = EmbeddedKafkaBroker.start(port, dataDir);
        sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0));
        // A little latency, so that commands are still in flight when the broker goes.
        new SandboxAdmin(sandbox).faults("{\"latency_ms\":50}");
        connector = ConnectorProcess.configure("broker-restart", broker.bootstrapServers(), sandbox.baseUrl(),
                Map.of()).start();
        feed = new CommandFeed(broker.bootstrapServers(), connector);
        events = new EventTopicReader(broker.bootstrapServers(), connector.topic(Setting.TOPIC_EVENTS));
    }

    @AfterEach
    void stop() {
        TestResources.closeAll(events, feed, connector, sandbox, broker);
    }

    @Test
    void brokerStoppedAndRestartedMidRunEveryCommandGetsExactlyOneOutcomeId() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < PER_PHASE; i++) {
            before.add(feed.start("broker-before-" + i).commandId());
        }
        feed.flush();
        await("the first outcomes before the outage").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> events.answered(before) >= PER_PHASE / 3);
        long answeredBeforeOutage = events.answered(before);

        long tDown = System.nanoTime();
        broker.close();
        broker = null;
        // Commands a producer hands over while the broker is away: its client buffers them until it is back.
        for (int i = 0; i < PER_PHASE; i++) {
            feed.start("broker-during-" + i);
        }
        sleep(OUTAGE);
        broker = EmbeddedKafkaBroker.start(port, dataDir);
        double outageSeconds = (System.nanoTime() - tDown) / 1e9;
        assertThat(connector.isAlive()).as("the connector process survived the outage").isTrue();

        for (int i = 0; i < PER_PHASE; i++) {
            feed.start("broker-after-" + i);
        }
        feed.flush();
        long tBack = System.nanoTime();
        List<String> all = feed.sentIds();
        await("an outcome event for every one of the " + all.size() + " commands after the broker came back")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(events.answered(all)).isEqualTo(all.size()));
        double recoverySeconds = (System.nanoTime() - tBack) / 1e9;

        DeliveryReport report = DeliveryReport.of(feed.sent(), events.events(), sandbox.requests());
        System.out.printf("BrokerRestartIT: %d of %d 'before' commands answered when the broker stopped; outage "
                        + "%.1f s; all %d outcomes %.1f s after the broker was back; %s%n",
                answeredBeforeOutage, PER_PHASE, outageSeconds, all.size(), recoverySeconds, report);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(answeredBeforeOutage).as("the outage came in the middle of the 'before' commands")
                .isLessThan(PER_PHASE);
        soft.assertThat(report.missing).as("commands without an outcome event").isEmpty();
        soft.assertThat(report.conflictingIds).as("commands with outcome events of different ce_id").isEmpty();
        soft.assertThat(report.unexpectedTypes).as("commands whose outcome is not a success").isEmpty();
        soft.assertThat(report.unknownOutcomeStarts)
                .as("start commands that failed as unknown_outcome (left pending by the connector)").isEmpty();
        soft.assertThat(report.distinctStartedEventIds).as("started events with distinct ce_id")
                .isEqualTo(all.size());
        soft.assertThat(connector.isAlive()).as("the connector still runs").isTrue();
        soft.assertAll();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
