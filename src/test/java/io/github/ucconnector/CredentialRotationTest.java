package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.hostile.LogCapture;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UltraCart API key from a mounted file: rotated at UltraCart, then in the file, with no restart. */
class CredentialRotationTest {

    private static final String FIRST_KEY = "first-key-" + UUID.randomUUID();
    private static final String ROTATED_KEY = "rotated-key-" + UUID.randomUUID();

    @TempDir
    Path dir;

    @Test
    void aRotatedKeyIsPickedUpFromTheFileWithoutARestart() throws Exception {
        Path keyFile = dir.resolve("ultracart-api-key");
        Files.writeString(keyFile, FIRST_KEY + "\n");
        try (LogCapture log = LogCapture.start();
                RunningConnector connector = RunningConnector.start(new SandboxOptions(0, FIRST_KEY, null), Map.of(
                        Setting.ULTRACART_API_KEY.property(), "",
                        Setting.ULTRACART_API_KEY_FILE.property(), keyFile.toString(),
                        Setting.ULTRACART_AUTH_RETRY_INTERVAL_MS.property(), "500"), sandbox -> { })) {
            assertThat(started(connector, "before-rotation")).isTrue();

            // UltraCart rotates the key: calls with the old one are rejected, the command waits on Kafka.
            new SandboxAdmin(connector.sandbox()).credentials("{\"api_key\":\"" + ROTATED_KEY + "\"}");
            connector.sandbox().clearRequests();
            String waiting = "during-rotation-" + UUID.randomUUID();
            connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(waiting).toJson(), Map.of());
            await("a call rejected with 401").atMost(Duration.ofSeconds(20)).until(() -> connector.sandbox()
                    .requests().stream().map(RecordedRequest::status).anyMatch(status -> status == 401));
            connector.only("outcome while the key is old", Setting.TOPIC_EVENTS,
                    r -> waiting.equals(header(r, "ce_correlationid")), 0);
            connector.only("dead letter while the key is old", Setting.TOPIC_DLQ, r -> true, 0);

            // The secret volume is updated the way Kubernetes does it: a new file moved into place.
            Path staged = dir.resolve("staged");
            Files.writeString(staged, ROTATED_KEY + "\n");
            Files.move(staged, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(header(connector.outcomeOf(waiting), "ce_type")).isEqualTo("ultracart.conversation.started");

            // A broken rewrite keeps the last good key, with a warning naming the file.
            Files.writeString(keyFile, "");
            Thread.sleep(1100);
            assertThat(started(connector, "after-empty-rewrite")).isTrue();

            assertThat(log.messages()).anyMatch(line -> line.contains("ultracart.api-key-file = " + keyFile))
                    .anyMatch(line -> line.contains("The UltraCart credential in " + keyFile + " changed"))
                    .anyMatch(line -> line.contains("Could not re-read the UltraCart credential from " + keyFile)
                            && line.contains("the file is empty"));
            assertThat(log.events()).noneMatch(line -> line.contains(FIRST_KEY) || line.contains(ROTATED_KEY));
            assertThat(log.printed()).doesNotContain(FIRST_KEY).doesNotContain(ROTATED_KEY);
        }
    }

    @Test
    void anEmptyOrMissingFileOrTwoCredentialsStopTheStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> settings(Setting.ULTRACART_API_KEY_FILE, empty.toString()))
                .hasMessageContaining("ultracart.api-key-file names an empty file: " + empty);
        assertThatThrownBy(() -> settings(Setting.ULTRACART_OAUTH_TOKEN_FILE, dir.resolve("missing").toString()))
                .hasMessageContaining("ultracart.oauth-token-file names no readable file: " + dir.resolve("missing"));
        Path key = Files.writeString(dir.resolve("key"), "k");
        assertThatThrownBy(() -> ConnectorSettings.resolve(setting -> switch (setting) {
            case ULTRACART_API_KEY_FILE -> key.toString();
            case ULTRACART_API_KEY -> "k";
            default -> null;
        })).hasMessageContaining("set only one of ULTRACART_API_KEY");
        assertThat(settings(Setting.ULTRACART_OAUTH_TOKEN_FILE, key.toString()).usesSandbox()).isFalse();
    }

    private static ConnectorSettings settings(Setting setting, String value) {
        return ConnectorSettings.resolve(s -> s == setting ? value : null);
    }

    private static boolean started(RunningConnector connector, String prefix) {
        String commandId = prefix + "-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandId).toJson(), Map.of());
        return "ultracart.conversation.started".equals(header(connector.outcomeOf(commandId), "ce_type"));
    }
}
