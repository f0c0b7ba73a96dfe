package io.github.ucconnector.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationStartRequest;

/**
 * Turns a command record's value into a {@link Command}, strictly: a command is a JSON object that satisfies its
 * type's JSON Schema ({@code docs/schemas/commands}, see {@link CommandSchemas}). Anything else is rejected with a
 * reason a sender can act on. The size, UTF-8 and JSON syntax checks run first, so the schema only sees small,
 * well-formed values.
 */
public final class CommandReader {

    private static final int MAX_NESTING = 8;

    private static final String COMMAND_ID = "command_id";
    private static final String CONVERSATION_UUID = "conversation_uuid";
    private static final String LANGUAGE = "participant_language_iso_code";
    private static final String PARTICIPANT_ARNS = "add_conversation_participant_arns";
    private static final String CONVERSATION_ARN = "conversation_arn";
    private static final String QUEUE_UUID = "conversation_webchat_queue_uuid";
    private static final String LIMIT = "limit";
    private static final String EXTENSION = "extension";

    private final ObjectMapper mapper;
    private final JsonFactory scanner;
    private final CommandSchemas schemas;
    private final int maxBytes;

    public CommandReader(int maxBytes) {
        this.maxBytes = maxBytes;
        this.schemas = new CommandSchemas();
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(maxBytes).build());
        // Reads a rejected value token by token, never as a tree, so depth costs nothing but the value's own size.
        this.scanner = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE).build())
                .build();
    }

    /** Whether {@code id} may identify a command: what {@code command_id} and a {@code ce_id} header must be. */
    public boolean isCommandId(String id) {
        return schemas.isCommandId(id);
    }

    /**
     * The {@code command_id} a rejected value still names, so that its failure is correlated with the sender's
     * own id whatever else is wrong: present when the value is a JSON object (valid UTF-8 and JSON, no name twice,
     * of any size or depth) whose {@code command_id} is a valid command id.
     */
    public Optional<String> declaredCommandId(byte[] value) {
        return declared(value, COMMAND_ID).filter(this::isCommandId);
    }

    /**
     * The {@code conversation_uuid} a rejected command of a type that names a conversation still names, so that its
     * failure is keyed like the conversation's other events and lands on their partition: read as
     * {@link #declaredCommandId} reads the id, and present only when it is a valid conversation uuid.
     */
    public Optional<String> declaredConversationUuid(CommandType type, byte[] value) {
        if (!schemas.namesConversation(type)) {
            return Optional.empty();
        }
        return declared(value, CONVERSATION_UUID).filter(schemas::isConversationUuid);
    }

    /** The string value of the top-level field {@code name}, when the value is a whole, well-formed JSON object. */
    private Optional<String> declared(byte[] value, String name) {
        if (value == null || !isUtf8(value)) {
            return Optional.empty();
        }
        try (JsonParser parser = scanner.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String found = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = name.equals(parser.currentName());
                JsonToken token = parser.nextToken();
                if (wanted && token == JsonToken.VALUE_STRING) {
                    found = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            // Only a whole, well-formed object counts: anything after it makes the value something else.
            return parser.nextToken() == null ? Optional.ofNullable(found) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param fallbackId the id to use when the command carries no {@code command_id}
     * @throws CommandRejectedException when the value is not a valid command of this type
     */
    public Command read(CommandType type, byte[] value, String fallbackId) {
        if (value == null || value.length == 0) {
            throw new CommandRejectedException("the record has no value; a " + type.id() + " command is a JSON object");
        }
        if (value.length > maxBytes) {
            throw new CommandRejectedException("the record value has " + value.length + " bytes, more than the "
                    + maxBytes + " allowed");
        }
        requireUtf8(value);
        JsonNode json = parse(value, type);
        schemas.validate(type, json);
        String commandId = json.has(COMMAND_ID) ? json.get(COMMAND_ID).textValue() : fallbackId;
        return switch (type) {
            case START -> new Command.Start(commandId, new ConversationStartRequest(
                    textList(json, PARTICIPANT_ARNS), text(json, CONVERSATION_ARN), text(json, QUEUE_UUID)));
            case JOIN -> new Command.Join(commandId, text(json, CONVERSATION_UUID), joinRequest(json));
            case LEAVE -> new Command.Leave(commandId, text(json, CONVERSATION_UUID));
            case GET -> new Command.Get(commandId, text(json, CONVERSATION_UUID), limit(json));
            case UPLOAD_URL -> new Command.UploadUrl(commandId, text(json, EXTENSION));
            case AGENT_AUTH -> new Command.AgentAuth(commandId);
        };
    }

    /**
     * Jackson's byte parser does not check every UTF-8 sequence (overlong forms, surrogates, bytes in field names
     * it has cached), so the record is decoded strictly first.
     */
    private static void requireUtf8(byte[] value) {
        if (!isUtf8(value)) {
            throw new CommandRejectedException("the record value is not valid UTF-8");
        }
    }

    private static boolean isUtf8(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private JsonNode parse(byte[] value, CommandType type) {
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new CommandRejectedException("the record value is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CommandRejectedException("the record value is not readable JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new CommandRejectedException("a " + type.id() + " command must be a JSON object, not nothing");
        }
        return node;
    }

    /**
     * The schema's {@code "type": "integer"} admits {@code 5.0}, which is the number five in JSON; the connector
     * wants the integer written as one, as the README promises.
     */
    private static Integer limit(JsonNode json) {
        JsonNode node = json.get(LIMIT);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw new CommandRejectedException("field '" + LIMIT + "' must be a whole number, not "
                    + CommandSchemas.typeOf(node));
        }
        return node.intValue();
    }

    private static ConversationJoinRequest joinRequest(JsonNode json) {
        String language = text(json, LANGUAGE);
        return language == null ? null : new ConversationJoinRequest(language);
    }

    /** A string field the schema has checked, or {@code null} when absent. */
    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null ? null : node.textValue();
    }

    private static List<String> textList(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        List<String> values = new ArrayList<>(node.size());
        node.forEach(element -> values.add(element.textValue()));
        return values;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
