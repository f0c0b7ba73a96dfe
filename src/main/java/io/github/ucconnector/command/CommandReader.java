package io.github.ucconnector.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationStartRequest;

/**
 * Turns a command record's value into a {@link Command}, strictly: a command is a JSON object with only the
 * fields of its type, each of the right JSON type. Anything else is rejected with a reason a sender can act on.
 */
public final class CommandReader {

    /** Conversation ids go into URL paths: only id-like tokens, so no path trick or encoding can get through. */
    static final Pattern CONVERSATION_UUID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final Pattern LANGUAGE_CODE = Pattern.compile("[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*");
    /** File extensions go into URL paths too: ASCII letters and digits only, no dot, no slash, no '%'. */
    static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{1,10}");
    static final int MAX_LIMIT = 10_000;
    private static final int MAX_TEXT_LENGTH = 1024;
    private static final int MAX_PARTICIPANTS = 100;
    private static final int MAX_NESTING = 8;

    private static final String COMMAND_ID = "command_id";
    private static final String CONVERSATION_UUID_FIELD = "conversation_uuid";
    private static final String LANGUAGE = "participant_language_iso_code";
    private static final String PARTICIPANT_ARNS = "add_conversation_participant_arns";
    private static final String CONVERSATION_ARN = "conversation_arn";
    private static final String QUEUE_UUID = "conversation_webchat_queue_uuid";
    private static final String LIMIT = "limit";
    private static final String EXTENSION_FIELD = "extension";

    private static final Map<CommandType, Set<String>> FIELDS = Map.of(
            CommandType.START, Set.of(COMMAND_ID, PARTICIPANT_ARNS, CONVERSATION_ARN, QUEUE_UUID),
            CommandType.JOIN, Set.of(COMMAND_ID, CONVERSATION_UUID_FIELD, LANGUAGE),
            CommandType.LEAVE, Set.of(COMMAND_ID, CONVERSATION_UUID_FIELD),
            CommandType.GET, Set.of(COMMAND_ID, CONVERSATION_UUID_FIELD, LIMIT),
            CommandType.UPLOAD_URL, Set.of(COMMAND_ID, EXTENSION_FIELD),
            CommandType.AGENT_AUTH, Set.of(COMMAND_ID));

    private final ObjectMapper mapper;
    private final int maxBytes;

    public CommandReader(int maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(maxBytes).build());
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
        ObjectNode json = parseObject(value, type);
        rejectUnknownFields(json, type);
        String commandId = optionalText(json, COMMAND_ID);
        if (commandId == null) {
            commandId = fallbackId;
        }
        return switch (type) {
            case START -> new Command.Start(commandId, new ConversationStartRequest(
                    textList(json, PARTICIPANT_ARNS), optionalText(json, CONVERSATION_ARN), optionalText(json, QUEUE_UUID)));
            case JOIN -> new Command.Join(commandId, conversationUuid(json), joinRequest(json));
            case LEAVE -> new Command.Leave(commandId, conversationUuid(json));
            case GET -> new Command.Get(commandId, conversationUuid(json), limit(json));
            case UPLOAD_URL -> new Command.UploadUrl(commandId, extension(json));
            case AGENT_AUTH -> new Command.AgentAuth(commandId);
        };
    }

    /**
     * Jackson's byte parser does not check every UTF-8 sequence (overlong forms, surrogates, bytes in field names
     * it has cached), so the record is decoded strictly first.
     */
    private static void requireUtf8(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new CommandRejectedException("the record value is not valid UTF-8");
        }
    }

    private ObjectNode parseObject(byte[] value, CommandType type) {
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new CommandRejectedException("the record value is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CommandRejectedException("the record value is not readable JSON: " + firstLine(e.getMessage()));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new CommandRejectedException("a " + type.id() + " command must be a JSON object, not "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return object;
    }

    private static void rejectUnknownFields(ObjectNode json, CommandType type) {
        Set<String> allowed = FIELDS.get(type);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new CommandRejectedException("unknown field '" + printable(name) + "' in a " + type.id()
                        + " command; allowed fields: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String conversationUuid(ObjectNode json) {
        String uuid = optionalText(json, CONVERSATION_UUID_FIELD);
        if (uuid == null) {
            throw new CommandRejectedException("missing field '" + CONVERSATION_UUID_FIELD + "'");
        }
        if (!CONVERSATION_UUID.matcher(uuid).matches()) {
            throw new CommandRejectedException("field '" + CONVERSATION_UUID_FIELD
                    + "' is not a conversation id (letters, digits, '-' and '_', at most 128)");
        }
        return uuid;
    }

    /** An optional whole number of messages, 1 to {@link #MAX_LIMIT}; a number in a string is not accepted. */
    private static Integer limit(ObjectNode json) {
        JsonNode node = json.get(LIMIT);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw new CommandRejectedException("field '" + LIMIT + "' must be a whole number, not " + typeOf(node));
        }
        if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > MAX_LIMIT) {
            throw new CommandRejectedException("field '" + LIMIT + "' must be between 1 and " + MAX_LIMIT);
        }
        return node.intValue();
    }

    private static String extension(ObjectNode json) {
        String extension = optionalText(json, EXTENSION_FIELD);
        if (extension == null) {
            throw new CommandRejectedException("missing field '" + EXTENSION_FIELD + "'");
        }
        if (!EXTENSION.matcher(extension).matches()) {
            throw new CommandRejectedException("field '" + EXTENSION_FIELD
                    + "' is not a file extension (1 to 10 letters or digits, without a dot)");
        }
        return extension;
    }

    private static ConversationJoinRequest joinRequest(ObjectNode json) {
        String language = optionalText(json, LANGUAGE);
        if (language == null) {
            return null;
        }
        if (!LANGUAGE_CODE.matcher(language).matches() || language.length() > 35) {
            throw new CommandRejectedException("field '" + LANGUAGE + "' is not a language code such as 'en' or 'pt-BR'");
        }
        return new ConversationJoinRequest(language);
    }

    /** A string field that may be absent; present but null, empty or of another type is rejected. */
    private static String optionalText(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new CommandRejectedException("field '" + field + "' must be a string, not " + typeOf(node));
        }
        return checkedText(field, node.textValue());
    }

    private static java.util.List<String> textList(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!(node instanceof ArrayNode array)) {
            throw new CommandRejectedException("field '" + field + "' must be an array of strings, not " + typeOf(node));
        }
        if (array.size() > MAX_PARTICIPANTS) {
            throw new CommandRejectedException("field '" + field + "' has " + array.size() + " entries, more than "
                    + MAX_PARTICIPANTS);
        }
        java.util.List<String> values = new java.util.ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                throw new CommandRejectedException("field '" + field + "' must hold only strings, found " + typeOf(element));
            }
            values.add(checkedText(field, element.textValue()));
        }
        return values;
    }

    private static String checkedText(String field, String text) {
        if (text.isBlank()) {
            throw new CommandRejectedException("field '" + field + "' must not be empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new CommandRejectedException("field '" + field + "' is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new CommandRejectedException("field '" + field + "' contains control characters");
        }
        return text;
    }

    private static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** Field names come from untrusted input: keep them short and printable in reasons. */
    private static String printable(String text) {
        String cleaned = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
