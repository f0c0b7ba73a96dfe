package io.github.ucconnector.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, for the zero-configuration
 * run, the {@code sandbox} mode and the tests. Not for production: one node, replication factor 1.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean deleteOnClose;
    private final int port;
    private final Map<String, Integer> extraPorts;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, boolean deleteOnClose, int port,
            Map<String, Integer> extraPorts) {
        this.server = server;
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.extraPorts = extraPorts;
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param port    the client port, 0 for any free port
     * @param dataDir the log directory, or {@code null} for a temporary one that is deleted on close
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, List.of(), Map.of());
    }

    /**
     * Starts a broker with listeners besides the PLAINTEXT one, e.g. to try secured clients against it. The broker
     * itself (and whoever uses {@link #bootstrapServers()}) keeps using PLAINTEXT.
     *
     * @param protocols security protocol of each further listener ({@code SASL_PLAINTEXT}, {@code SSL}, ...), which
     *                  also names it; each gets a free port
     * @param brokerConfig further broker properties, e.g. {@code sasl.enabled.mechanisms} and the listeners' JAAS
     *                  configuration ({@code listener.name.sasl_plaintext.plain.sasl.jaas.config})
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, List<String> protocols,
            Map<String, String> brokerConfig) {
        // Kafka calls System.exit on fatal errors; inside the connector it must throw instead.
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka broker wanted to exit (" + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka broker wanted to halt (" + code + "): " + message);
        });
        try {
            boolean temporary = dataDir == null;
            Path logDir = temporary ? Files.createTempDirectory("ultracart-connector-kafka-") : dataDir;
            Files.createDirectories(logDir);
            int clientPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Map<String, Integer> extraPorts = new LinkedHashMap<>();
            for (String protocol : protocols) {
                extraPorts.put(protocol, freePort());
            }
            Properties props = brokerProperties(clientPort, controllerPort, extraPorts, logDir);
            props.putAll(brokerConfig);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, logDir, temporary, clientPort,
                    Map.copyOf(extraPorts));
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the embedded Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The address of the listener of the given security protocol (one passed to {@link #start(int, Path, List, Map)}). */
    public String bootstrapServers(String protocol) {
        Integer listenerPort = extraPorts.get(protocol);
        if (listenerPort == null) {
            throw new IllegalArgumentException("the broker has no " + protocol + " listener");
        }
        return "localhost:" + listenerPort;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("The embedded Kafka broker did not become ready", e);
        }
    }

    private static Properties brokerProperties(int port, int controllerPort, Map<String, Integer> extraPorts,
            Path logDir) {
        StringBuilder listeners = new StringBuilder("PLAINTEXT://localhost:" + port);
        StringBuilder protocolMap = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        extraPorts.forEach((protocol, extraPort) -> {
            listeners.append(',').append(protocol).append("://localhost:").append(extraPort);
            protocolMap.append(',').append(protocol).append(':').append(protocol);
        });
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", listeners + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", listeners.toString());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", protocolMap.toString());
        props.put("log.dirs", logDir.toString());
        // A single node: every internal topic has one replica, and groups join without the 3 s delay.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        return props;
    }

    private static void format(Path logDir) {
        try (PrintStream silent = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(silent)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Features.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the embedded Kafka broker's storage", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
