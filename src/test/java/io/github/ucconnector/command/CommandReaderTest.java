package io.github.ucconnector.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandReaderTest {

    private final CommandReader reader = new CommandReader(4096);

    private Command read(CommandType type, String json) {
        return reader.read(type, json.getBytes(StandardCharsets.UTF_8), "fallback-id");
    }

    @Test
    void startCommandCarriesEveryFieldOfTheStartRequest() {
        Command command = read(CommandType.START, """
                {"command_id":"c-1","add_conversation_participant_arns":["arn:a","arn:b"],
                 "conversation_arn":"arn:conv","conversation_webchat_queue_uuid":"q-1"}""");

        assertThat(command).isInstanceOf(Command.Start.class);
        Command.Start start = (Command.Start) command;
        assertThat(start.commandId()).isEqualTo("c-1");
        assertThat(start.request().addConversationParticipantArns()).containsExactly("arn:a", "arn:b");
        assertThat(start.request().conversationArn()).isEqualTo("arn:conv");
        assertThat(start.request().conversationWebchatQueueUuid()).isEqualTo("q-1");
    }

    @Test
    void emptyStartCommandIsValidAndUsesTheFallbackId() {
        Command command = read(CommandType.START, "{}");

        assertThat(command.commandId()).isEqualTo("fallback-id");
        assertThat(command.conversationUuid()).isNull();
    }

    @Test
    void joinCommandWithLanguageKeepsIt() {
        Command.Join join = (Command.Join) read(CommandType.JOIN,
                "{\"conversation_uuid\":\"7d3c6a4e-1b2f-4c5d-9e8f-0a1b2c3d4e5f\",\"participant_language_iso_code\":\"pt-BR\"}");

        assertThat(join.conversationUuid()).isEqualTo("7d3c6a4e-1b2f-4c5d-9e8f-0a1b2c3d4e5f");
        assertThat(join.request().participantLanguageIsoCode()).isEqualTo("pt-BR");
    }

    @Test
    void joinCommandWithoutLanguageHasNoRequestBody() {
        Command.Join join = (Command.Join) read(CommandType.JOIN, "{\"conversation_uuid\":\"abc-123\"}");

        assertThat(join.request()).isNull();
    }

    @Test
    void unknownFieldIsRejectedWithTheAllowedFields() {
        assertThatThrownBy(() -> read(CommandType.LEAVE, "{\"conversation_uuid\":\"abc\",\"force\":true}"))
                .isInstanceOf(CommandRejectedException.class)
                .hasMessage("unknown field 'force' in a leave command; allowed fields: command_id, conversation_uuid");
    }

    @Test
    void joinFieldsAreUnknownToStart() {
        assertThatThrownBy(() -> read(CommandType.START, "{\"conversation_uuid\":\"abc\"}"))
                .hasMessageStartingWith("unknown field 'conversation_uuid' in a start command");
    }

    @Test
    void missingConversationUuidIsRejected() {
        assertThatThrownBy(() -> read(CommandType.JOIN, "{}")).hasMessage("missing field 'conversation_uuid'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../admin", "abc/../../x", "abc%2Fdef", "with space", "tab\\tid", "a?b=c", "a#b", "ü-nicode",
            "-leading-dash", "."})
    void conversationUuidWithPathTricksIsRejected(String uuid) {
        String json = "{\"conversation_uuid\":\"" + uuid + "\"}";
        assertThatThrownBy(() -> read(CommandType.LEAVE, json))
                .isInstanceOf(CommandRejectedException.class)
                .hasMessageContaining("conversation_uuid");
    }

    @Test
    void veryLongConversationUuidIsRejected() {
        String json = "{\"conversation_uuid\":\"" + "a".repeat(129) + "\"}";
        assertThatThrownBy(() -> read(CommandType.LEAVE, json)).hasMessageContaining("is not a conversation id");
    }

    @Test
    void wrongTypesAreRejectedWithTheTypeFound() {
        assertThatThrownBy(() -> read(CommandType.LEAVE, "{\"conversation_uuid\":42}"))
                .hasMessage("field 'conversation_uuid' must be a string, not number");
        assertThatThrownBy(() -> read(CommandType.START, "{\"add_conversation_participant_arns\":\"arn:a\"}"))
                .hasMessage("field 'add_conversation_participant_arns' must be an array of strings, not string");
        assertThatThrownBy(() -> read(CommandType.START, "{\"add_conversation_participant_arns\":[1]}"))
                .hasMessage("field 'add_conversation_participant_arns' must hold only strings, found number");
        assertThatThrownBy(() -> read(CommandType.START, "{\"command_id\":null}"))
                .hasMessage("field 'command_id' must be a string, not null");
    }

    @Test
    void emptyValuesAreRejected() {
        assertThatThrownBy(() -> read(CommandType.START, "{\"conversation_arn\":\"\"}"))
                .hasMessage("field 'conversation_arn' must not be empty");
        assertThatThrownBy(() -> reader.read(CommandType.START, new byte[0], "id"))
                .hasMessageContaining("has no value");
        assertThatThrownBy(() -> reader.read(CommandType.START, null, "id")).hasMessageContaining("has no value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"a\":", "[]", "\"text\"", "42", "null", "{} {}", "{\"command_id\":\"a\",\"command_id\":\"b\"}"})
    void valuesThatAreNotOneJsonObjectAreRejected(String value) {
        assertThatThrownBy(() -> read(CommandType.START, value)).isInstanceOf(CommandRejectedException.class);
    }

    @Test
    void deepNestingIsRejectedBeforeItCostsAnything() {
        String deep = "{\"conversation_arn\":" + "[".repeat(50) + "]".repeat(50) + "}";
        assertThatThrownBy(() -> read(CommandType.START, deep)).hasMessageContaining("not valid JSON");
    }

    @Test
    void oversizedRecordIsRejectedWithItsSize() {
        byte[] big = ("{\"conversation_arn\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.read(CommandType.START, big, "id"))
                .hasMessage("the record value has 5023 bytes, more than the 4096 allowed");
    }

    @Test
    void controlCharactersInTextAreRejected() {
        assertThatThrownBy(() -> read(CommandType.START, "{\"conversation_arn\":\"arn\\u0000x\"}"))
                .hasMessage("field 'conversation_arn' contains control characters");
    }

    /** Java's '$' matches before a final line terminator: the schemas let none reach an id pattern. */
    @Test
    void lineSeparatorsAreRejectedLikeControlCharacters() {
        assertThatThrownBy(() -> read(CommandType.LEAVE, "{\"conversation_uuid\":\"abc\\n\"}"))
                .hasMessage("field 'conversation_uuid' contains control characters");
        assertThatThrownBy(() -> read(CommandType.UPLOAD_URL, "{\"extension\":\"jpg\\r\\n\"}"))
                .hasMessage("field 'extension' contains control characters");
        assertThatThrownBy(() -> read(CommandType.LEAVE, "{\"conversation_uuid\":\"abc\u2028\"}"))
                .hasMessage("field 'conversation_uuid' contains control characters");
        assertThatThrownBy(() -> read(CommandType.START, "{\"add_conversation_participant_arns\":[\"arn\u2029\"]}"))
                .hasMessage("field 'add_conversation_participant_arns' contains control characters");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] latin1 = "{\"conversation_arn\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> reader.read(CommandType.START, latin1, "id"))
                .isInstanceOf(CommandRejectedException.class);
    }

    @Test
    void invalidLanguageCodeIsRejected() {
        for (String language : List.of("english please", "e", "../en")) {
            String json = "{\"conversation_uuid\":\"abc\",\"participant_language_iso_code\":\"" + language + "\"}";
            assertThatThrownBy(() -> read(CommandType.JOIN, json)).hasMessageContaining("participant_language_iso_code");
        }
    }

    @Test
    void aRejectedObjectStillNamesItsValidCommandId() {
        assertThat(declared("{\"command_id\":\"crm-1\",\"conversation_uuid\":42}")).contains("crm-1");
        assertThat(declared("{\"extension\":\"../../x\",\"command_id\":\"crm-2\"}")).contains("crm-2");
        assertThat(declared("{\"command_id\":\"crm-3\",\"unknown\":{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}}"))
                .contains("crm-3");
        assertThat(declared("{\"command\\u005fid\":\"crm-4\",\"limit\":5.5}")).contains("crm-4");
    }

    @Test
    void noCommandIdIsDeclaredByWhatIsNotOneObjectOrByAnIdThatIsNotValid() {
        for (String value : List.of("", "[\"crm-1\"]", "\"crm-1\"", "{\"command_id\":\"crm-1\"} {}",
                "{\"command_id\":\"crm-1\",", "{\"command_id\":\"crm-1\",\"command_id\":\"crm-1\"}",
                "{\"command_id\":\"crm-1\",\"a\":1,\"a\":2}", "{\"command_id\":17}", "{\"command_id\":\"\"}",
                "{\"command_id\":\"   \"}", "{\"command_id\":\"a\\nb\"}", "{\"command_id\":\"" + "x".repeat(1025) + "\"}",
                "{\"command_id\":null}", "{\"nested\":{\"command_id\":\"crm-1\"}}")) {
            assertThat(declared(value)).as(value).isEmpty();
        }
        assertThat(reader.declaredCommandId("{\"command_id\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)))
                .isEmpty();
        assertThat(declared("{\"command_id\":\"" + "x".repeat(1024) + "\"}")).isPresent();
    }

    @Test
    void aRejectedCommandStillNamesItsConversationWhenTheUuidIsValid() {
        // Schema-invalid for another reason: an unknown field, a wrong language code, a command id of the wrong type.
        for (String value : List.of("{\"conversation_uuid\":\"7d3c6a4e-1b2f\",\"colour\":\"red\"}",
                "{\"participant_language_iso_code\":\"??\",\"conversation_uuid\":\"7d3c6a4e-1b2f\"}",
                "{\"command_id\":7,\"conversation_uuid\":\"7d3c6a4e-1b2f\",\"x\":{\"deep\":[1,2]}}")) {
            assertThat(reader.declaredConversationUuid(CommandType.JOIN, value.getBytes(StandardCharsets.UTF_8)))
                    .as(value).contains("7d3c6a4e-1b2f");
        }
        assertThat(reader.declaredConversationUuid(CommandType.LEAVE, "{\"conversation_uuid\":\"u_1\",\"a\":1}"
                .getBytes(StandardCharsets.UTF_8))).contains("u_1");
    }

    @Test
    void noConversationIsRecoveredFromAnInvalidUuidOrAValueThatIsNoObject() {
        for (String value : List.of("{\"conversation_uuid\":\"../admin\"}", "{\"conversation_uuid\":\"a b\"}",
                "{\"conversation_uuid\":\"-leading-dash\"}", "{\"conversation_uuid\":\"" + "u".repeat(129) + "\"}",
                "{\"conversation_uuid\":\"\"}", "{\"conversation_uuid\":42}", "{\"conversation_uuid\":null}",
                "{\"nested\":{\"conversation_uuid\":\"u-1\"}}", "{\"conversation_uuid\":\"u-1\"} trailing",
                "{\"conversation_uuid\":\"u-1\",\"conversation_uuid\":\"u-2\"}", "[\"u-1\"]", "not json")) {
            assertThat(reader.declaredConversationUuid(CommandType.JOIN, value.getBytes(StandardCharsets.UTF_8)))
                    .as(value).isEmpty();
        }
        assertThat(reader.declaredConversationUuid(CommandType.JOIN, null)).isEmpty();
    }

    @Test
    void onlyCommandTypesThatNameAConversationRecoverOne() {
        byte[] value = "{\"conversation_uuid\":\"u-1\",\"oops\":true}".getBytes(StandardCharsets.UTF_8);
        for (CommandType type : CommandType.values()) {
            boolean namesConversation = List.of(CommandType.JOIN, CommandType.LEAVE, CommandType.GET).contains(type);
            assertThat(reader.declaredConversationUuid(type, value)).as(type.id())
                    .isEqualTo(namesConversation ? java.util.Optional.of("u-1") : java.util.Optional.empty());
        }
    }

    private java.util.Optional<String> declared(String value) {
        return reader.declaredCommandId(value.getBytes(StandardCharsets.UTF_8));
    }
}
