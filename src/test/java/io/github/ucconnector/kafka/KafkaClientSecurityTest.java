package io.github.ucconnector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Kafka security settings become client properties, and which combinations are refused at start-up. */
class KafkaClientSecurityTest {

    @TempDir
    Path dir;

    @Test
    void plaintextByDefault() {
        assertThat(KafkaClientSecurity.from(settings(Map.of())).clientConfig("kafka:9092"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("bootstrap.servers", "kafka:9092",
                        "security.protocol", "PLAINTEXT"));
    }

    @Test
    void aManagedServiceWithAnApiKey() {
        Map<String, Object> config = KafkaClientSecurity.from(settings(Map.of(
                Setting.KAFKA_SECURITY_PROTOCOL, "SASL_SSL", Setting.KAFKA_SASL_MECHANISM, "PLAIN",
                Setting.KAFKA_SASL_USERNAME, "KEY123", Setting.KAFKA_SASL_PASSWORD, "se\"cr\\et")))
                .clientConfig("pkc-1.confluent.cloud:9092");

        assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"KEY123\" password=\"se\\\"cr\\\\et\";")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .doesNotContainKeys("ssl.truststore.location", "sasl.login.callback.handler.class");
    }

    @Test
    void scramAndOidcJaasLines() {
        assertThat(KafkaClientSecurity.jaasConfig("SCRAM-SHA-256", "u", "p"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
        Map<String, Object> oidc = KafkaClientSecurity.from(settings(Map.of(
                Setting.KAFKA_SECURITY_PROTOCOL, "SASL_SSL", Setting.KAFKA_SASL_MECHANISM, "OAUTHBEARER",
                Setting.KAFKA_SASL_USERNAME, "client", Setting.KAFKA_SASL_PASSWORD, "secret",
                Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, "https://idp/token")))
                .clientConfig("k:9093");
        assertThat(oidc).containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer."
                        + "OAuthBearerLoginModule required clientId=\"client\" clientSecret=\"secret\";")
                .containsEntry("sasl.oauthbearer.token.endpoint.url", "https://idp/token")
                .containsEntry("sasl.login.callback.handler.class", KafkaClientSecurity.OIDC_LOGIN_CALLBACK_HANDLER);
    }

    @Test
    void mutualTlsWithoutHostnameCheck() throws Exception {
        Path trust = Files.writeString(dir.resolve("ca.pem"), "pem");
        Path keys = Files.writeString(dir.resolve("client.p12"), "p12");
        Map<String, Object> config = KafkaClientSecurity.from(settings(Map.of(
                Setting.KAFKA_SECURITY_PROTOCOL, "SSL",
                Setting.KAFKA_SSL_TRUSTSTORE_LOCATION, trust.toString(), Setting.KAFKA_SSL_TRUSTSTORE_TYPE, "PEM",
                Setting.KAFKA_SSL_KEYSTORE_LOCATION, keys.toString(), Setting.KAFKA_SSL_KEYSTORE_PASSWORD, "kp",
                Setting.KAFKA_SSL_KEY_PASSWORD, "pk", Setting.KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "none")))
                .clientConfig("k:9093");
        assertThat(config).containsEntry("ssl.truststore.location", trust.toString())
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.keystore.location", keys.toString())
                .containsEntry("ssl.keystore.password", "kp").containsEntry("ssl.key.password", "pk")
                .containsEntry("ssl.endpoint.identification.algorithm", "")
                .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void inconsistentSettingsAreRefusedAtStartUp() {
        assertThatThrownBy(() -> settings(Map.of(Setting.KAFKA_SASL_USERNAME, "u", Setting.KAFKA_SASL_PASSWORD, "p")))
                .hasMessageContaining("kafka.sasl.username is set but kafka.security.protocol is PLAINTEXT");
        assertThatThrownBy(() -> settings(Map.of(Setting.KAFKA_SECURITY_PROTOCOL, "SASL_SSL",
                Setting.KAFKA_SASL_USERNAME, "u", Setting.KAFKA_SASL_PASSWORD, "p")))
                .hasMessageContaining("kafka.sasl.mechanism must be one of");
        assertThatThrownBy(() -> settings(Map.of(Setting.KAFKA_SECURITY_PROTOCOL, "SASL_SSL",
                Setting.KAFKA_SASL_MECHANISM, "PLAIN")))
                .hasMessageContaining("set either KAFKA_SASL_JAAS_CONFIG, or KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> settings(Map.of(Setting.KAFKA_SECURITY_PROTOCOL, "SSL",
                Setting.KAFKA_SSL_TRUSTSTORE_LOCATION, dir.resolve("missing.jks").toString())))
                .hasMessageContaining("kafka.ssl.truststore-location names no readable file");
        assertThatThrownBy(() -> settings(Map.of(Setting.KAFKA_SECURITY_PROTOCOL, "TLS")))
                .hasMessageContaining("kafka.security.protocol must be one of");
        assertThatThrownBy(() -> ConnectorSettings.resolve(setting -> setting == Setting.KAFKA_SECURITY_PROTOCOL
                ? "SSL" : null))
                .hasMessageContaining("the embedded broker speaks PLAINTEXT only");
    }

    @Test
    void neverShowsASecret() {
        ConnectorSettings settings = settings(Map.of(Setting.KAFKA_SECURITY_PROTOCOL, "SASL_SSL",
                Setting.KAFKA_SASL_MECHANISM, "SCRAM-SHA-512", Setting.KAFKA_SASL_USERNAME, "user",
                Setting.KAFKA_SASL_PASSWORD, "very-secret-password"));
        assertThat(String.join("\n", settings.summary())).doesNotContain("very-secret-password");
        assertThat(settings.placeholders()).doesNotContainValue("very-secret-password");
        assertThat(KafkaClientSecurity.from(settings)).hasToString("KafkaClientSecurity[SASL_SSL]");
    }

    private static ConnectorSettings settings(Map<Setting, String> values) {
        Map<Setting, String> all = new HashMap<>(values);
        all.putIfAbsent(Setting.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092");
        return ConnectorSettings.resolve(all::get);
    }
}
