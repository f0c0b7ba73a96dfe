package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** OAuth tokens are sent as UltraCart expects and, like API keys, never reach a topic. */
class AuthenticationTest {

    @Test
    void oauthTokenIsSentAsBearerAndNeverPublished() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.ULTRACART_API_KEY.property(), "",
                Setting.ULTRACART_OAUTH_TOKEN.property(), SandboxOptions.DEFAULT_OAUTH_TOKEN))) {
            String startId = "start-" + UUID.randomUUID();
            connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(startId).toJson(), Map.of());
            ConsumerRecord<byte[], byte[]> started = connector.outcomeOf(startId);
            assertThat(header(started, "ce_type")).isEqualTo("ultracart.conversation.started");
            String failingId = "join-" + UUID.randomUUID();
            connector.send(Setting.TOPIC_COMMAND_JOIN, null,
                    Commands.join(failingId, "unknown-1").toJson(), Map.of());
            connector.deadLetterOf(failingId);

            RecordedRequest call = connector.sandbox().requests().get(0);
            assertThat(call.headers()).containsEntry("authorization", "****").doesNotContainKey("x-ultracart-simple-key");
            assertThat(call.status()).isEqualTo(200);
            for (Setting topic : new Setting[] {Setting.TOPIC_EVENTS, Setting.TOPIC_DLQ}) {
                connector.only("record with the token", topic, record -> containsText(record, "Bearer")
                        || containsText(record, SandboxOptions.DEFAULT_OAUTH_TOKEN), 0);
            }
        }
    }

    private static boolean containsText(ConsumerRecord<byte[], byte[]> record, String text) {
        StringBuilder all = new StringBuilder();
        if (record.value() != null) {
            all.append(new String(record.value(), StandardCharsets.UTF_8));
        }
        for (Header header : record.headers()) {
            all.append(header.key()).append(new String(header.value(), StandardCharsets.UTF_8));
        }
        return all.toString().contains(text);
    }
}
