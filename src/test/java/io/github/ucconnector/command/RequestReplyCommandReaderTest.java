package io.github.ucconnector.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading get, upload-url and agent-auth commands. */
class RequestReplyCommandReaderTest {

    private final CommandReader reader = new CommandReader(4096);

    private Command read(CommandType type, String json) {
        return reader.read(type, json.getBytes(StandardCharsets.UTF_8), "fallback-id");
    }

    @Test
    void getCommandWithAndWithoutLimit() {
        Command.Get get = (Command.Get) read(CommandType.GET, "{\"command_id\":\"g-1\",\"conversation_uuid\":\"abc-1\"}");
        assertThat(get.commandId()).isEqualTo("g-1");
        assertThat(get.conversationUuid()).isEqualTo("abc-1");
        assertThat(get.limit()).isNull();
        assertThat(get.type()).isEqualTo(CommandType.GET);

        assertThat(((Command.Get) read(CommandType.GET, "{\"conversation_uuid\":\"abc-1\",\"limit\":1}")).limit()).isEqualTo(1);
        assertThat(((Command.Get) read(CommandType.GET, "{\"conversation_uuid\":\"abc-1\",\"limit\":10000}")).limit())
                .isEqualTo(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5\"", "5.0", "5.5", "true", "null", "[5]", "{}"})
    void limitOfAnotherJsonTypeIsRejected(String limit) {
        assertThatThrownBy(() -> read(CommandType.GET, "{\"conversation_uuid\":\"abc\",\"limit\":" + limit + "}"))
                .isInstanceOf(CommandRejectedException.class)
                .hasMessageStartingWith("field 'limit' must be a whole number, not ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "2147483648", "99999999999999999999999"})
    void limitOutOfBoundsIsRejected(String limit) {
        assertThatThrownBy(() -> read(CommandType.GET, "{\"conversation_uuid\":\"abc\",\"limit\":" + limit + "}"))
                .isInstanceOf(CommandRejectedException.class)
                .hasMessage("field 'limit' must be between 1 and 10000");
    }

    @Test
    void getCommandNeedsAConversationIdThatIsSafeInAPath() {
        assertThatThrownBy(() -> read(CommandType.GET, "{\"limit\":3}")).hasMessage("missing field 'conversation_uuid'");
        assertThatThrownBy(() -> read(CommandType.GET, "{\"conversation_uuid\":\"../x\"}"))
                .hasMessageContaining("is not a conversation id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "PNG", "mp4", "a", "abcdefghij", "m4a"})
    void extensionsOfLettersAndDigitsAreAccepted(String extension) {
        Command.UploadUrl upload = (Command.UploadUrl) read(CommandType.UPLOAD_URL,
                "{\"command_id\":\"u-1\",\"extension\":\"" + extension + "\"}");

        assertThat(upload.extension()).isEqualTo(extension);
        assertThat(upload.conversationUuid()).isNull();
        assertThat(upload.type()).isEqualTo(CommandType.UPLOAD_URL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "p%2Fq", "toolongextension", ".jpg", "jp.g", "x y", "a?b", "a#b", "é",
            "abcdefghijk", "a\\\\b", "a\\u0000"})
    void extensionsThatCouldChangeThePathAreRejected(String extension) {
        assertThatThrownBy(() -> read(CommandType.UPLOAD_URL, "{\"extension\":\"" + extension + "\"}"))
                .isInstanceOf(CommandRejectedException.class);
    }

    @Test
    void emptyMissingOrNonTextExtensionIsRejected() {
        assertThatThrownBy(() -> read(CommandType.UPLOAD_URL, "{\"extension\":\"\"}"))
                .hasMessage("field 'extension' must not be empty");
        assertThatThrownBy(() -> read(CommandType.UPLOAD_URL, "{}")).hasMessage("missing field 'extension'");
        assertThatThrownBy(() -> read(CommandType.UPLOAD_URL, "{\"extension\":7}"))
                .hasMessage("field 'extension' must be a string, not number");
        assertThatThrownBy(() -> read(CommandType.UPLOAD_URL, "{\"extension\":\"a/b\"}"))
                .hasMessage("field 'extension' is not a file extension (1 to 10 letters or digits, without a dot)");
    }

    @Test
    void agentAuthCommandHasOnlyACommandId() {
        Command command = read(CommandType.AGENT_AUTH, "{}");
        assertThat(command).isInstanceOf(Command.AgentAuth.class);
        assertThat(command.commandId()).isEqualTo("fallback-id");
        assertThat(command.conversationUuid()).isNull();
        assertThat(read(CommandType.AGENT_AUTH, "{\"command_id\":\"a-1\"}").commandId()).isEqualTo("a-1");

        assertThatThrownBy(() -> read(CommandType.AGENT_AUTH, "{\"jwt\":\"x\"}"))
                .hasMessageStartingWith("unknown field 'jwt' in a").hasMessageEndingWith("allowed fields: command_id");
    }

    @Test
    void commandTypeIdsMatchTheTopicNames() {
        assertThat(CommandType.GET.id()).isEqualTo("get");
        assertThat(CommandType.UPLOAD_URL.id()).isEqualTo("upload-url");
        assertThat(CommandType.AGENT_AUTH.id()).isEqualTo("agent-auth");
        assertThat(CommandType.UPLOAD_URL.hasPrivateReply()).isTrue();
        assertThat(CommandType.AGENT_AUTH.hasPrivateReply()).isTrue();
        assertThat(CommandType.GET.hasPrivateReply()).isFalse();
        assertThat(CommandType.START.hasPrivateReply()).isFalse();
    }
}
