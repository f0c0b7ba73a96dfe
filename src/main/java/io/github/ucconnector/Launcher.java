package io.github.ucconnector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.broker.EmbeddedKafkaBroker;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.ListenPorts;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.config.StartupRefusedException;
import io.github.ucconnector.redrive.RedriveCommand;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the jar.
 * <ul>
 * <li>{@code java -jar ultracart-conversation-connector.jar [camel-main options]}: the connector, with an embedded
 * broker when no Kafka is configured and the sandbox when no UltraCart credentials are.</li>
 * <li>{@code java -jar ultracart-conversation-connector.jar sandbox}: only the embedded broker and the sandbox, to
 * develop against while the connector is restarted on its own.</li>
 * <li>{@code java -jar ultracart-conversation-connector.jar redrive --category server_error --since 2h --dry-run}:
 * sends dead letters back to their command topics (README: "Redriving dead letters").</li>
 * </ul>
 */
public final class Launcher {

    private static final long CLEANUP_WAIT_SECONDS = 60;
    /** What a refusal to start is prefixed with, so that it is found in a container's log. */
    private static final String PROGRAM = "ultracart-conversation-connector";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            // A refusal is for the operator to fix: its reason alone, not a stack trace that buries it. The broker
            // and the sandbox are closed by now (runConnector's finally).
            StartupRefusedException refused = StartupRefusedException.in(e).orElseThrow(() -> e);
            System.err.println(PROGRAM + ": " + refused.getMessage());
            System.exit(refused.exitCode());
        }
    }

    private static void run(String[] args) throws Exception {
        ConnectorSettings settings;
        try {
            settings = ConnectorSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw StartupRefusedException.settings(e.getMessage(), e);
        }
        // log4j2.xml picks its layout by this system property when the first logger is created, which is after
        // this line: the Launcher has no static logger for that reason.
        System.setProperty(Setting.LOG_FORMAT.property(), settings.get(Setting.LOG_FORMAT));
        if (args.length > 0 && "sandbox".equals(args[0])) {
            runSandboxOnly(settings);
        } else if (args.length > 0 && "redrive".equals(args[0])) {
            // The report alone goes to standard output, for jq and scripts; the log goes to standard error.
            System.setProperty("log.target", "SYSTEM_ERR");
            System.exit(RedriveCommand.run(settings, List.of(args).subList(1, args.length), System.out, System.err));
        } else {
            runConnector(settings, args);
        }
    }

    private static void runConnector(ConnectorSettings settings, String[] camelArgs) throws Exception {
        // Before anything starts (and before the cleanup hook, which would wait for a cleanup that never comes).
        ListenPorts.ofConnector(settings).requireBindable();
        EmbeddedKafkaBroker broker = null;
        UltraCartSandbox sandbox = null;
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // camel-main stops Camel gracefully on SIGTERM; this hook keeps the JVM alive until the broker and the
        // sandbox, which in-flight commands still need, are closed after it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> await(cleanedUp), "connector-cleanup"));
        Logger log = LoggerFactory.getLogger(Launcher.class);
        try {
            if (settings.usesEmbeddedKafka()) {
                broker = startBroker(settings);
                log.info("Started the embedded Kafka broker on {} (single node, {})", broker.bootstrapServers(),
                        settings.isSet(Setting.EMBEDDED_KAFKA_DATA_DIR)
                                ? "data in " + settings.get(Setting.EMBEDDED_KAFKA_DATA_DIR)
                                : "data deleted on exit");
                settings = settings.with(Setting.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
            }
            if (settings.usesSandbox()) {
                sandbox = startSandbox(settings);
                log.info("Started the UltraCart sandbox on {} (no UltraCart credentials are set)", sandbox.baseUrl());
                settings = settings.with(Setting.ULTRACART_BASE_URL, sandbox.baseUrl())
                        .with(Setting.ULTRACART_API_KEY, SandboxOptions.DEFAULT_API_KEY);
            }
            Main main = ConnectorApplication.create(settings);
            main.addMainListener(new BannerListener(banner(settings, broker != null, sandbox != null),
                    "json".equals(settings.get(Setting.LOG_FORMAT))));
            main.run(camelArgs);
        } finally {
            closeQuietly(sandbox);
            closeQuietly(broker);
            cleanedUp.countDown();
        }
    }

    private static void runSandboxOnly(ConnectorSettings settings) throws IOException, InterruptedException {
        ListenPorts.ofSandboxMode(settings).requireBindable();
        EmbeddedKafkaBroker broker = settings.usesEmbeddedKafka() ? startBroker(settings) : null;
        UltraCartSandbox sandbox = startSandbox(settings);
        String kafka = broker != null ? broker.bootstrapServers() : settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeQuietly(sandbox);
            closeQuietly(broker);
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println(String.join(System.lineSeparator(),
                "",
                "UltraCart sandbox and Kafka are running (stop with Ctrl+C):",
                "  Kafka:            " + kafka + (broker != null ? " (embedded KRaft broker)" : ""),
                "  UltraCart API:    " + sandbox.baseUrl() + " (sandbox; x-ultracart-simple-key: "
                        + SandboxOptions.DEFAULT_API_KEY + ")",
                "  Sandbox admin:    http://localhost:" + sandbox.port() + "/sandbox/ (see docs/SANDBOX.md)",
                "Start the connector against them:",
                "  KAFKA_BOOTSTRAP_SERVERS=" + kafka + " ULTRACART_BASE_URL=" + sandbox.baseUrl()
                        + " ULTRACART_API_KEY=" + SandboxOptions.DEFAULT_API_KEY
                        + " java -jar target/ultracart-conversation-connector.jar",
                ""));
        stopped.await();
    }

    private static EmbeddedKafkaBroker startBroker(ConnectorSettings settings) {
        Path dataDir = settings.isSet(Setting.EMBEDDED_KAFKA_DATA_DIR)
                ? Path.of(settings.get(Setting.EMBEDDED_KAFKA_DATA_DIR)) : null;
        int port = settings.getInt(Setting.EMBEDDED_KAFKA_PORT);
        try {
            return EmbeddedKafkaBroker.start(port, dataDir);
        } catch (RuntimeException e) {
            // The port was free when checked, but taken since.
            Optional<BindException> taken = bindFailure(e);
            if (taken.isPresent()) {
                throw ListenPorts.refused(Setting.EMBEDDED_KAFKA_PORT, "localhost", port, taken.get());
            }
            if (dataDir != null && e instanceof UncheckedIOException) {
                throw StartupRefusedException.settings(Setting.EMBEDDED_KAFKA_DATA_DIR.environmentVariable()
                        + " names a directory the embedded broker cannot use: " + dataDir + " ("
                        + e.getCause() + ")", e);
            }
            throw e;
        }
    }

    private static UltraCartSandbox startSandbox(ConnectorSettings settings) throws IOException {
        SandboxOptions options = sandboxOptions(settings);
        try {
            return UltraCartSandbox.start(options);
        } catch (IOException | RuntimeException e) {
            Optional<BindException> taken = bindFailure(e);
            if (taken.isPresent()) {
                throw ListenPorts.refused(Setting.SANDBOX_PORT, options.bindAddress(), options.port(), taken.get());
            }
            throw e;
        }
    }

    private static Optional<BindException> bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(bind);
            }
        }
        return Optional.empty();
    }

    /** The sandbox's port and bind address from the settings, with the default credentials. */
    static SandboxOptions sandboxOptions(ConnectorSettings settings) {
        return SandboxOptions.defaults(settings.getInt(Setting.SANDBOX_PORT))
                .withBindAddress(settings.get(Setting.SANDBOX_BIND_ADDRESS));
    }

    static String banner(ConnectorSettings settings, boolean embeddedKafka, boolean sandbox) {
        String kafka = settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS);
        String start = settings.get(Setting.TOPIC_COMMAND_START);
        return String.join(System.lineSeparator(),
                "",
                "UltraCart Conversation connector is running (stop with Ctrl+C):",
                "  Kafka:          " + kafka + (embeddedKafka ? " (embedded KRaft broker)" : ""),
                "  UltraCart API:  " + settings.get(Setting.ULTRACART_BASE_URL) + (sandbox ? " (sandbox)" : ""),
                "  Commands:       " + String.join(", ", start, settings.get(Setting.TOPIC_COMMAND_JOIN),
                        settings.get(Setting.TOPIC_COMMAND_LEAVE), "…"),
                "  Events:         " + settings.get(Setting.TOPIC_EVENTS) + "   Dead letters: "
                        + settings.get(Setting.TOPIC_DLQ),
                "  Summaries:      " + settings.get(Setting.TOPIC_SUMMARIES)
                        + (settings.getBoolean(Setting.POLL_ENABLED) ? " (polled every "
                        + settings.getInt(Setting.POLL_INTERVAL_MS) / 1000 + " s)" : " (polling off)"),
                "Try it:",
                "  echo '{\"command_id\":\"hello-1\"}' | kcat -b " + kafka + " -P -t " + start,
                "  kcat -b " + kafka + " -C -t " + settings.get(Setting.TOPIC_EVENTS)
                        + " -o beginning -e -f 'key=%k headers=%h\\n%s\\n'",
                "");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(CLEANUP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("Error while closing " + closeable.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    /**
     * Prints the banner once Camel has started, so it is the last thing a user sees; with JSON logs it is a log
     * event like every other line of the output.
     */
    private static final class BannerListener extends org.apache.camel.main.MainListenerSupport {
        private final String banner;
        private final boolean jsonLogs;

        BannerListener(String banner, boolean jsonLogs) {
            this.banner = banner;
            this.jsonLogs = jsonLogs;
        }

        @Override
        public void afterStart(org.apache.camel.main.BaseMainSupport main) {
            if (jsonLogs) {
                LoggerFactory.getLogger(Launcher.class).info(banner);
            } else {
                System.out.println(banner);
            }
        }
    }
}
