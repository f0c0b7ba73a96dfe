package io.github.ucconnector.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.ucconnector.ConnectorApplication;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

/**
 * The connector as a user runs it (camel-main, the YAML routes in routes/), against the shared real broker and a
 * real sandbox of its own, with topics and a consumer group no other test class uses.
 */
public final class RunningConnector implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient MANAGEMENT_CLIENT = HttpClient.newHttpClient();

    private final UltraCartSandbox sandbox;
    private final boolean ownsSandbox;
    private ConnectorSettings settings;
    private final TopicProbe kafka;
    private Main main;

    private RunningConnector(UltraCartSandbox sandbox, boolean ownsSandbox, ConnectorSettings settings, Main main) {
        this(sandbox, ownsSandbox, settings, main, settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS));
    }

    private RunningConnector(UltraCartSandbox sandbox, boolean ownsSandbox, ConnectorSettings settings, Main main,
            String probeBootstrapServers) {
        this.sandbox = sandbox;
        this.ownsSandbox = ownsSandbox;
        this.settings = settings;
        this.main = main;
        this.kafka = new TopicProbe(probeBootstrapServers);
    }

    /**
     * Another instance of the same deployment: the same sandbox, topics and consumer group as {@code first}, with
     * its own Camel context and Kafka clients, as a second process would have.
     *
     * @param overrides settings by property name that this instance has differently
     */
    public static RunningConnector alongside(RunningConnector first, Map<String, String> overrides) throws Exception {
        ConnectorSettings settings = first.settings;
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            settings = settings.with(setting(override.getKey()), override.getValue());
        }
        Main main = ConnectorApplication.create(settings);
        main.start();
        return new RunningConnector(first.sandbox, false, settings, main);
    }

    /** @param overrides settings by property name, on top of test defaults */
    public static RunningConnector start(Map<String, String> overrides) throws Exception {
        return start(overrides, sandbox -> { });
    }

    /** @param beforeStart prepares the sandbox (conversations, faults) before the connector starts */
    public static RunningConnector start(Map<String, String> overrides, Consumer<SandboxAdmin> beforeStart)
            throws Exception {
        return start(SandboxOptions.defaults(0), overrides, beforeStart);
    }

    /**
     * @param sandboxOptions the sandbox's port and the credentials it accepts (the connector still uses the test
     *                       default API key unless {@code overrides} set its credentials)
     */
    public static RunningConnector start(SandboxOptions sandboxOptions, Map<String, String> overrides,
            Consumer<SandboxAdmin> beforeStart) throws Exception {
        return start(sandboxOptions, overrides, beforeStart, null, Map.of());
    }

    /** As {@link #start(Map)}, with beans bound in Camel's registry before it starts (a test's OpenTelemetry). */
    public static RunningConnector startWithBeans(Map<String, String> overrides, Map<String, Object> beans)
            throws Exception {
        return start(SandboxOptions.defaults(0), overrides, sandbox -> { }, null, beans);
    }

    /**
     * A connector on a secured listener of a test broker of its own ({@code overrides} set its address and
     * credentials), while the test's own records go through the broker's plain listener.
     */
    public static RunningConnector startSecured(String probeBootstrapServers, Map<String, String> overrides)
            throws Exception {
        return start(SandboxOptions.defaults(0), overrides, sandbox -> { }, probeBootstrapServers, Map.of());
    }

    private static RunningConnector start(SandboxOptions sandboxOptions, Map<String, String> overrides,
            Consumer<SandboxAdmin> beforeStart, String probeBootstrapServers, Map<String, Object> beans)
            throws Exception {
        UltraCartSandbox sandbox = UltraCartSandbox.start(sandboxOptions);
        beforeStart.accept(new SandboxAdmin(sandbox));
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Map<String, String> values = new HashMap<>();
        values.put(Setting.KAFKA_BOOTSTRAP_SERVERS.property(), SharedKafka.bootstrapServers());
        values.put(Setting.KAFKA_GROUP_ID.property(), prefix + "connector");
        values.put(Setting.KAFKA_POLL_TIMEOUT_MS.property(), "200");
        values.put(Setting.ULTRACART_BASE_URL.property(), sandbox.baseUrl());
        values.put(Setting.ULTRACART_API_KEY.property(), SandboxOptions.DEFAULT_API_KEY);
        values.put(Setting.ULTRACART_RETRY_DELAY_MS.property(), "50");
        values.put(Setting.ULTRACART_RESPONSE_TIMEOUT_MS.property(), "2000");
        values.put(Setting.ROUTES_LOCATION.property(), "file:routes/*.yaml");
        // Tests that poll say so; elsewhere poll calls would mix with the calls a test counts.
        values.put(Setting.POLL_ENABLED.property(), "false");
        values.put(Setting.POLL_INTERVAL_MS.property(), "300");
        // Several connectors run at once, in this JVM and beside other builds: never the default port 8080.
        values.put(Setting.MANAGEMENT_PORT.property(), "0");
        // Every topic setting gets a name of this test's own.
        TestTopics.prefixed(prefix).forEach((topic, name) -> values.put(topic.property(), name));
        values.putAll(overrides);
        ConnectorSettings settings = ConnectorSettings.resolve(setting -> values.get(setting.property()));
        Main main;
        try {
            main = ConnectorApplication.create(settings);
            beans.forEach(main::bind);
            main.start();
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        return new RunningConnector(sandbox, true, settings, main, probeBootstrapServers != null
                ? probeBootstrapServers : settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS));
    }

    public UltraCartSandbox sandbox() {
        return sandbox;
    }

    public String topic(Setting topic) {
        return settings.get(topic);
    }

    /** The value of any setting as the connector resolved it, e.g. its consumer group. */
    public String setting(Setting setting) {
        return settings.get(setting);
    }

    /** The running connector's Camel context, to check that it and its routes are still started. */
    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** Camel's readiness checks by id, with their state (UP, DOWN, UNKNOWN). */
    public Map<String, String> readiness() {
        Map<String, String> states = new HashMap<>();
        HealthCheckHelper.invokeReadiness(main.getCamelContext())
                .forEach(result -> states.put(result.getCheck().getId(), result.getState().name()));
        return states;
    }

    /**
     * Waits until no readiness check is DOWN, as an orchestrator waits for the readiness probe before it sends
     * traffic. Camel reports the context started before the command consumer's Kafka client has connected, and
     * camel-kafka's consumer check is DOWN until then.
     */
    public void awaitReady() {
        Awaitility.await("the connector ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> !readiness().containsValue("DOWN"));
    }

    /** GET on the management port (health and metrics), as a probe or Prometheus would make it. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return management("GET", path, Map.of());
    }

    /** A request on the management port, e.g. an admin request with its {@code Authorization} header. */
    public HttpResponse<String> management(String method, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        int port = main.getCamelContext().hasService(VertxPlatformHttpServer.class).getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return MANAGEMENT_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The test's own Kafka client on the connector's broker. */
    public TopicProbe kafka() {
        return kafka;
    }

    /** Sends a command record to the topic of the given setting. */
    public void send(Setting topic, String key, String value, Map<String, String> headers) {
        kafka.send(topic(topic), key, value, headers);
    }

    /** The one outcome event correlated to the command, waiting for it. */
    public ConsumerRecord<byte[], byte[]> outcomeOf(String commandId) {
        return only("outcome event", Setting.TOPIC_EVENTS, r -> commandId.equals(TopicProbe.header(r, "ce_correlationid")));
    }

    /** The one dead letter of the command, waiting for it. */
    public ConsumerRecord<byte[], byte[]> deadLetterOf(String commandId) {
        return only("dead letter", Setting.TOPIC_DLQ, r -> commandId.equals(TopicProbe.header(r, DeadLetters.COMMAND_ID)));
    }

    public ConsumerRecord<byte[], byte[]> only(String what, Setting topic,
            Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        return only(what, topic, matching, 1).get(0);
    }

    /**
     * Exactly {@code count} matching records on the topic. For {@code count} 0 this reads to the end of the topic
     * once, so call it after awaiting something published later.
     */
    public List<ConsumerRecord<byte[], byte[]>> only(String what, Setting topic,
            Predicate<ConsumerRecord<byte[], byte[]>> matching, int count) {
        return only(what, topic, matching, count, WAIT);
    }

    /** Like {@link #only(String, Setting, Predicate, int)}, waiting up to {@code wait} for the records. */
    public List<ConsumerRecord<byte[], byte[]>> only(String what, Setting topic,
            Predicate<ConsumerRecord<byte[], byte[]>> matching, int count, Duration wait) {
        List<ConsumerRecord<byte[], byte[]>> records = kafka.await(topic(topic), matching, Math.max(count, 1),
                count == 0 ? Duration.ofSeconds(2) : wait);
        if (records.size() != count) {
            throw new AssertionError("expected " + count + " " + what + " on " + topic(topic) + ", found "
                    + records.size());
        }
        return records;
    }

    /** Every matching record on the topic now: reads it to its end (for a couple of seconds). */
    public List<ConsumerRecord<byte[], byte[]>> all(Setting topic, Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        return kafka.await(topic(topic), matching, Integer.MAX_VALUE, Duration.ofSeconds(2));
    }

    /** Stops this instance's Camel context (a graceful stop); the sandbox and the other instances go on. */
    public void stop() {
        main.stop();
    }

    /** Stops the connector and starts it again with the same settings, topics and sandbox, as after a redeploy. */
    public void restart() throws Exception {
        restart(Map.of());
    }

    /** As {@link #restart()}, with some settings changed (by property name). */
    public void restart(Map<String, String> changes) throws Exception {
        main.stop();
        for (Map.Entry<String, String> change : changes.entrySet()) {
            settings = settings.with(setting(change.getKey()), change.getValue());
        }
        main = ConnectorApplication.create(settings);
        main.start();
    }

    private static Setting setting(String property) {
        return java.util.Arrays.stream(Setting.values()).filter(s -> s.property().equals(property)).findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        kafka.close();
        main.stop();
        if (ownsSandbox) {
            sandbox.close();
        }
    }
}
