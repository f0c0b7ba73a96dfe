package io.github.ucconnector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.broker.EmbeddedKafkaBroker;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.config.StartupRefusedException;
import io.github.ucconnector.hostile.LogCapture;
import io.github.ucconnector.polling.ActivePoller;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector against a broker that demands SASL: PLAIN on a SASL_PLAINTEXT listener, SCRAM-SHA-512 over TLS
 * (SASL_SSL, with a trust store made here by the JDK's keytool). Polling is on, so every kind of Kafka client the
 * connector has takes part: the admin client that creates the topics, the Camel consumers and producers, the
 * ledger's producer and consumer, the poller lease and the summaries reader. A client without the credentials
 * could not talk to the listener at all. The test's own records go through the broker's PLAINTEXT listener.
 */
class SecureKafkaTest {

    private static final String PLAIN_USER = "connector-plain";
    private static final String PLAIN_PASSWORD = "plain-pw-" + UUID.randomUUID();
    private static final String SCRAM_USER = "connector-scram";
    private static final String SCRAM_PASSWORD = "scram-pw-" + UUID.randomUUID();
    private static final String STORE_PASSWORD = "store-pw-" + UUID.randomUUID();

    @TempDir
    static Path tls;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        Path keyStore = tls.resolve("broker.p12");
        Path certificate = tls.resolve("broker.crt");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", tls.resolve("trust.p12").toString(),
                "-storepass", STORE_PASSWORD);

        Map<String, String> config = new HashMap<>();
        config.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        for (String listener : List.of("sasl_plaintext", "sasl_ssl")) {
            config.put("listener.name." + listener + ".plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + PLAIN_USER + "=\""
                            + PLAIN_PASSWORD + "\";");
            config.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        config.put("listener.name.sasl_ssl.ssl.keystore.location", keyStore.toString());
        config.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        config.put("listener.name.sasl_ssl.ssl.keystore.password", STORE_PASSWORD);
        config.put("listener.name.sasl_ssl.ssl.key.password", STORE_PASSWORD);
        broker = EmbeddedKafkaBroker.start(0, null, List.of("SASL_PLAINTEXT", "SASL_SSL"), config);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SCRAM_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), SCRAM_PASSWORD)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void plainWithUserNameAndPasswordOverSaslPlaintext() throws Exception {
        try (RunningConnector connector = RunningConnector.startSecured(broker.bootstrapServers(), Map.of(
                Setting.KAFKA_BOOTSTRAP_SERVERS.property(), broker.bootstrapServers("SASL_PLAINTEXT"),
                Setting.KAFKA_SECURITY_PROTOCOL.property(), "SASL_PLAINTEXT",
                Setting.KAFKA_SASL_MECHANISM.property(), "PLAIN",
                Setting.KAFKA_SASL_USERNAME.property(), PLAIN_USER,
                Setting.KAFKA_SASL_PASSWORD.property(), PLAIN_PASSWORD,
                Setting.POLL_ENABLED.property(), "true"))) {
            assertCommandsFlowAndThePollerRuns(connector);
        }
    }

    @Test
    void scramWithAJaasLineOverTls() throws Exception {
        try (RunningConnector connector = RunningConnector.startSecured(broker.bootstrapServers(), Map.of(
                Setting.KAFKA_BOOTSTRAP_SERVERS.property(), broker.bootstrapServers("SASL_SSL"),
                Setting.KAFKA_SECURITY_PROTOCOL.property(), "SASL_SSL",
                Setting.KAFKA_SASL_MECHANISM.property(), "SCRAM-SHA-512",
                Setting.KAFKA_SASL_JAAS_CONFIG.property(), "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"" + SCRAM_USER + "\" password=\"" + SCRAM_PASSWORD + "\";",
                Setting.KAFKA_SSL_TRUSTSTORE_LOCATION.property(), tls.resolve("trust.p12").toString(),
                Setting.KAFKA_SSL_TRUSTSTORE_PASSWORD.property(), STORE_PASSWORD,
                Setting.KAFKA_SSL_TRUSTSTORE_TYPE.property(), "PKCS12",
                Setting.POLL_ENABLED.property(), "true"))) {
            assertCommandsFlowAndThePollerRuns(connector);
        }
    }

    @Test
    void aWrongPasswordStopsTheStartWithAClearErrorThatDoesNotShowThePassword() {
        String wrongPassword = "wrong-pw-" + UUID.randomUUID();
        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> RunningConnector.startSecured(broker.bootstrapServers(), Map.of(
                    Setting.KAFKA_BOOTSTRAP_SERVERS.property(), broker.bootstrapServers("SASL_PLAINTEXT"),
                    Setting.KAFKA_SECURITY_PROTOCOL.property(), "SASL_PLAINTEXT",
                    Setting.KAFKA_SASL_MECHANISM.property(), "SCRAM-SHA-512",
                    Setting.KAFKA_SASL_USERNAME.property(), SCRAM_USER,
                    Setting.KAFKA_SASL_PASSWORD.property(), wrongPassword)))
                    // A refusal the Launcher prints as one line, with exit code 2 (README: "Exit codes").
                    .isInstanceOfSatisfying(StartupRefusedException.class,
                            refused -> assertThat(refused.exitCode()).isEqualTo(StartupRefusedException.SETTINGS))
                    .hasMessageContaining("The Kafka cluster refuses the connector: Authentication failed")
                    .hasMessageContaining("KAFKA_SASL_")
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class)
                    .satisfies(e -> assertThat(stackTrace(e)).contains("Authentication failed")
                            .doesNotContain(wrongPassword));
            assertThat(log.events()).isNotEmpty().noneMatch(line -> line.contains(wrongPassword));
            assertThat(log.printed()).doesNotContain(wrongPassword);
        }
    }

    private static void assertCommandsFlowAndThePollerRuns(RunningConnector connector) {
        String commandId = "secure-start-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_START, "customer-1",
                Commands.start(commandId).withParticipants("arn:customer:1").toJson(),
                Map.of());
        assertThat(connector.outcomeOf(commandId).headers().lastHeader("ce_type").value())
                .asString().isEqualTo("ultracart.conversation.started");
        // Elected through the lease consumer, then the summaries were read back: both on the secured listener.
        await("the active poller").atMost(Duration.ofSeconds(20)).until(() -> {
            ActivePoller poller = connector.camelContext().getRegistry().lookupByNameAndType("activePoller",
                    ActivePoller.class);
            return poller.isActive() && connector.camelContext().getRouteController()
                    .getRouteStatus(ActivePoller.ROUTE_ID) == ServiceStatus.Started;
        });
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
