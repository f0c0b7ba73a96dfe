package io.github.ucconnector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

    private static ConnectorSettings settings(Map<String, String> byProperty) {
        return ConnectorSettings.resolve(setting -> byProperty.get(setting.property()));
    }

    @Test
    void environmentVariableNamesFollowThePropertyNames() {
        assertThat(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(Setting.ULTRACART_API_KEY.environmentVariable()).isEqualTo("ULTRACART_API_KEY");
        assertThat(Setting.ULTRACART_OAUTH_TOKEN.environmentVariable()).isEqualTo("ULTRACART_OAUTH_TOKEN");
        assertThat(Setting.ULTRACART_BASE_URL.environmentVariable()).isEqualTo("ULTRACART_BASE_URL");
        assertThat(Setting.TOPIC_COMMAND_START.environmentVariable()).isEqualTo("TOPIC_COMMAND_START");
    }

    @Test
    void nothingConfiguredMeansEmbeddedKafkaAndSandboxWithTheDocumentedDefaults() {
        ConnectorSettings settings = settings(Map.of());

        assertThat(settings.usesEmbeddedKafka()).isTrue();
        assertThat(settings.usesSandbox()).isTrue();
        assertThat(settings.get(Setting.ULTRACART_BASE_URL)).isEqualTo("https://secure.ultracart.com/rest/v2");
        assertThat(settings.get(Setting.TOPIC_EVENTS)).isEqualTo("ultracart.conversation.events");
        assertThat(settings.get(Setting.TOPIC_DLQ)).isEqualTo("ultracart.conversation.dlq");
    }

    @Test
    void anApiKeyOrATokenMeansTheRealApi() {
        assertThat(settings(Map.of("ultracart.api-key", "k")).usesSandbox()).isFalse();
        assertThat(settings(Map.of("ultracart.oauth-token", "t")).usesSandbox()).isFalse();
        assertThat(settings(Map.of("kafka.bootstrap-servers", "kafka:9092")).usesEmbeddedKafka()).isFalse();
    }

    @Test
    void secretsAreMaskedInTheSummaryAndNeverBecomePlaceholders() {
        ConnectorSettings settings = settings(Map.of("ultracart.api-key", "very-secret-key"));

        assertThat(String.join("\n", settings.summary())).doesNotContain("very-secret-key")
                .contains("ultracart.api-key = ****** (15 characters)");
        assertThat(settings.placeholders()).doesNotContainKeys("ultracart.api-key", "ultracart.oauth-token")
                .containsEntry("topic.events", "ultracart.conversation.events");
    }

    @Test
    void theChangedSummaryListsOnlyConfiguredValuesThatDifferFromTheDefaults() {
        ConnectorSettings settings = settings(Map.of("ultracart.api-key", "very-secret-key",
                "kafka.group-id", "crm", "poll.enabled", "true"))
                // What the launcher starts itself is no configured value.
                .with(Setting.KAFKA_BOOTSTRAP_SERVERS, "localhost:9092");

        assertThat(settings.changedSummary())
                .containsExactly("kafka.group-id = crm", "ultracart.api-key = ****** (15 characters)");
        assertThat(settings.summary()).contains("kafka.bootstrap-servers = localhost:9092", "poll.enabled = true");
    }

    @Test
    void invalidValuesStopTheStartWithEveryProblemNamed() {
        assertThatThrownBy(() -> settings(Map.of(
                "ultracart.max-retries", "many",
                "topic.events", "bad topic",
                "topic.dlq", "ultracart.conversation.command.start",
                "ultracart.base-url", "ftp://example.com",
                "sandbox.port", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ultracart.max-retries must be a whole number, not 'many'")
                .hasMessageContaining("topic.events is not a valid Kafka topic name")
                .hasMessageContaining("topic.dlq names a topic that another setting already uses")
                .hasMessageContaining("ultracart.base-url must be an http(s) URL")
                .hasMessageContaining("sandbox.port must be between 0 and 65535");
    }

    @Test
    void aPollTimeLimitAsLongAsKafkasPollIntervalIsRefused() {
        assertThatThrownBy(() -> settings(Map.of("kafka.poll-time-limit-ms", "300000")))
                .hasMessageContaining("kafka.poll-time-limit-ms must be below kafka.max-poll-interval-ms");
        assertThat(settings(Map.of("kafka.poll-time-limit-ms", "1000", "kafka.max-poll-interval-ms", "1500"))
                .getInt(Setting.KAFKA_POLL_TIME_LIMIT_MS)).isEqualTo(1000);
    }

    @Test
    void keyAndTokenTogetherAreAmbiguous() {
        assertThatThrownBy(() -> settings(Map.of("ultracart.api-key", "k", "ultracart.oauth-token", "t")))
                .hasMessageContaining("set only one of ULTRACART_API_KEY, ULTRACART_OAUTH_TOKEN, ULTRACART_API_KEY_FILE, "
                        + "ULTRACART_OAUTH_TOKEN_FILE");
    }

    @Test
    void anAdminTokenTurnsTheAdminEndpointsOnAndMustBeLongEnoughAndServable() {
        assertThat(settings(Map.of()).adminEndpointsEnabled()).isFalse();
        ConnectorSettings admin = settings(Map.of("management.admin-token", "0123456789abcdef"));
        assertThat(admin.adminEndpointsEnabled()).isTrue();
        assertThat(admin.placeholders()).doesNotContainKey("management.admin-token");
        assertThat(String.join("\n", admin.summary())).doesNotContain("0123456789abcdef");

        assertThatThrownBy(() -> settings(Map.of("management.admin-token", "short-secret")))
                .hasMessageContaining("management.admin-token must have at least 16 characters, not 12")
                .message().doesNotContain("short-secret");
        assertThatThrownBy(() -> settings(Map.of("management.admin-token", "0123456789abcdef",
                "management.enabled", "false")))
                .hasMessageContaining("an admin token is set but management.enabled is false");
        assertThatThrownBy(() -> settings(Map.of("management.admin-token", "0123456789abcdef",
                "management.admin-token-file", "/run/secrets/admin-token")))
                .hasMessageContaining("set only one of MANAGEMENT_ADMIN_TOKEN, MANAGEMENT_ADMIN_TOKEN_FILE");
        assertThatThrownBy(() -> settings(Map.of("management.admin-token-file", "/no/such/admin-token")))
                .hasMessageContaining("management.admin-token-file names no readable file: /no/such/admin-token");
    }

    @Test
    void blankValuesMeanTheDefault() {
        assertThat(settings(Map.of("kafka.group-id", "  ")).get(Setting.KAFKA_GROUP_ID))
                .isEqualTo("ultracart-conversation-connector");
    }
}
