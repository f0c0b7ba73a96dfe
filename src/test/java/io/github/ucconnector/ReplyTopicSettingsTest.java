package io.github.ucconnector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.wiring.ConnectorWiring;
import org.junit.jupiter.api.Test;

/** The topics of the get, upload-url and agent-auth commands and the reply topic: defaults, checks, creation. */
class ReplyTopicSettingsTest {

    private static ConnectorSettings settings(Map<String, String> byProperty) {
        return ConnectorSettings.resolve(setting -> byProperty.get(setting.property()));
    }

    @Test
    void defaultsAndEnvironmentVariables() {
        ConnectorSettings settings = settings(Map.of());

        assertThat(settings.get(Setting.TOPIC_COMMAND_GET)).isEqualTo("ultracart.conversation.command.get");
        assertThat(settings.get(Setting.TOPIC_COMMAND_UPLOAD_URL)).isEqualTo("ultracart.conversation.command.upload-url");
        assertThat(settings.get(Setting.TOPIC_COMMAND_AGENT_AUTH)).isEqualTo("ultracart.conversation.command.agent-auth");
        assertThat(settings.get(Setting.TOPIC_REPLIES)).isEqualTo("ultracart.conversation.replies");
        assertThat(Setting.TOPIC_REPLIES.environmentVariable()).isEqualTo("TOPIC_REPLIES");
        assertThat(Setting.TOPIC_COMMAND_UPLOAD_URL.environmentVariable()).isEqualTo("TOPIC_COMMAND_UPLOAD_URL");
        assertThat(settings.placeholders()).containsEntry("topic.replies", "ultracart.conversation.replies")
                .containsEntry("topic.command.agent-auth", "ultracart.conversation.command.agent-auth");
    }

    @Test
    void everyTopicIsCreatedAtStartUp() {
        assertThat(ConnectorWiring.plainTopics(settings(Map.of()))).contains("ultracart.conversation.command.get",
                "ultracart.conversation.command.upload-url", "ultracart.conversation.command.agent-auth",
                "ultracart.conversation.replies").doesNotHaveDuplicates();
    }

    @Test
    void theReplyTopicMustBeValidAndOfItsOwn() {
        assertThatThrownBy(() -> settings(Map.of("topic.replies", "ultracart.conversation.events")))
                .hasMessageContaining("names a topic that another setting already uses: ultracart.conversation.events");
        assertThatThrownBy(() -> settings(Map.of("topic.command.upload-url", "a/b")))
                .hasMessageContaining("topic.command.upload-url is not a valid Kafka topic name");
    }
}
