package io.github.ucconnector.command;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schemas of the commands, the very files published in {@code docs/schemas/commands} (the build copies
 * them into the jar under {@code schemas/}). Each schema is compiled once; a violation becomes one reason a sender
 * can act on, worded the same whichever schema keyword found it.
 */
public final class CommandSchemas {

    /** Where the build puts {@code docs/schemas}. */
    static final String LOCATION = "classpath:schemas/commands/";
    /** What a command id is, defined once for every command and for the {@code ce_id} header. */
    private static final String COMMAND_ID = "classpath:schemas/common.json#/$defs/commandId";
    /** What a conversation uuid is, defined once for every command that names one. */
    private static final String CONVERSATION_UUID = "classpath:schemas/common.json#/$defs/conversationUuid";
    private static final String CONVERSATION_UUID_FIELD = "conversation_uuid";

    /**
     * What a value that fails a pattern (or length) of a shared definition in {@code common.json} is, keyed by the
     * definition's name.
     */
    private static final Map<String, String> COMPLAINTS = Map.of(
            "printable", "contains control characters",
            "notBlank", "must not be empty",
            "conversationUuid", "is not a conversation id (letters, digits, '-' and '_', at most 128)",
            "languageCode", "is not a language code such as 'en' or 'pt-BR'",
            "extension", "is not a file extension (1 to 10 letters or digits, without a dot)");
    private static final List<String> GENERIC_FIRST = List.of("type", "maxItems", "printable", "notBlank", "text");

    private final Map<CommandType, JsonSchema> schemas = new EnumMap<>(CommandType.class);
    private final JsonSchema commandId;
    private final JsonSchema conversationUuid;

    public CommandSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
        for (CommandType type : CommandType.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(LOCATION + type.id() + ".json"), config);
            // Resolve every $ref now, not on the first command of each type.
            schema.initializeValidators();
            schemas.put(type, schema);
        }
        commandId = factory.getSchema(SchemaLocation.of(COMMAND_ID), config);
        commandId.initializeValidators();
        conversationUuid = factory.getSchema(SchemaLocation.of(CONVERSATION_UUID), config);
        conversationUuid.initializeValidators();
    }

    /** Whether {@code id} is a valid command id: printable, not blank, at most 1024 characters. */
    public boolean isCommandId(String id) {
        return id != null && commandId.validate(TextNode.valueOf(id)).isEmpty();
    }

    /** Whether {@code uuid} is what a command's {@code conversation_uuid} must be. */
    public boolean isConversationUuid(String uuid) {
        return uuid != null && conversationUuid.validate(TextNode.valueOf(uuid)).isEmpty();
    }

    /** Whether commands of this type name a conversation ({@code conversation_uuid} is one of their fields). */
    public boolean namesConversation(CommandType type) {
        return schemas.get(type).getSchemaNode().path("properties").has(CONVERSATION_UUID_FIELD);
    }

    /** @throws CommandRejectedException with the most telling violation when the command breaks its schema */
    public void validate(CommandType type, JsonNode command) {
        JsonSchema schema = schemas.get(type);
        Set<ValidationMessage> violations = schema.validate(command);
        if (!violations.isEmpty()) {
            ValidationMessage first = violations.stream().min(byRelevance(schema, command)).orElseThrow();
            throw new CommandRejectedException(reason(type, schema, first));
        }
    }

    /**
     * The order the reasons would be found reading the command by hand: what the value is, then unknown fields,
     * then missing ones, then each field in the schema's order, plain string rules before a field's own format.
     */
    private static Comparator<ValidationMessage> byRelevance(JsonSchema schema, JsonNode command) {
        List<String> fields = names(schema.getSchemaNode().path("properties").fieldNames());
        List<String> given = names(command.fieldNames());
        return Comparator.<ValidationMessage>comparingInt(violation -> {
            JsonNodePath at = violation.getInstanceLocation();
            if (at.getNameCount() == 0) {
                return switch (violation.getType()) {
                    case "type" -> 0;
                    case "additionalProperties" -> 1_000 + given.indexOf(violation.getProperty());
                    default -> 2_000;
                };
            }
            return 3_000 + 100 * fields.indexOf(at.getName(0));
        }).thenComparingInt(violation -> {
            int rank = GENERIC_FIRST.indexOf("type".equals(violation.getType()) ? "type"
                    : "maxItems".equals(violation.getType()) ? "maxItems" : definition(violation));
            return rank < 0 ? GENERIC_FIRST.size() : rank;
        });
    }

    private static String reason(CommandType type, JsonSchema schema, ValidationMessage violation) {
        JsonNodePath at = violation.getInstanceLocation();
        JsonNode value = violation.getInstanceNode();
        if (at.getNameCount() == 0) {
            return switch (violation.getType()) {
                case "type" -> "a " + type.id() + " command must be a JSON object, not " + typeOf(value);
                case "additionalProperties" -> "unknown field '" + printable(violation.getProperty()) + "' in a "
                        + type.id() + " command; allowed fields: "
                        + String.join(", ", names(schema.getSchemaNode().path("properties").fieldNames()).stream()
                                .sorted().toList());
                case "required" -> "missing field '" + violation.getProperty() + "'";
                default -> "the " + type.id() + " command " + violation.getMessage();
            };
        }
        String name = at.getName(0);
        String field = "field '" + name + "'";
        JsonNode property = schema.getSchemaNode().path("properties").path(name);
        return switch (violation.getType()) {
            case "type" -> at.getNameCount() > 1
                    ? field + " must hold only strings, found " + typeOf(value)
                    : field + " must be " + expected(violation.getSchemaNode()) + ", not " + typeOf(value);
            case "minimum", "maximum" -> field + " must be between " + property.path("minimum") + " and "
                    + property.path("maximum");
            case "maxItems" -> field + " has " + value.size() + " entries, more than " + violation.getSchemaNode();
            default -> {
                String complaint = COMPLAINTS.get(definition(violation));
                if (complaint != null) {
                    yield field + " " + complaint;
                }
                yield "maxLength".equals(violation.getType())
                        ? field + " is longer than " + violation.getSchemaNode() + " characters"
                        : field + " " + violation.getMessage().replaceFirst("^\\S+: ", "");
            }
        };
    }

    /** The name of the {@code $defs} entry whose keyword failed, or {@code null} for a command's own keyword. */
    private static String definition(ValidationMessage violation) {
        JsonNodePath fragment = violation.getSchemaLocation().getFragment();
        for (int i = 0; i < fragment.getNameCount() - 1; i++) {
            if ("$defs".equals(fragment.getName(i))) {
                return fragment.getName(i + 1);
            }
        }
        return null;
    }

    private static String expected(JsonNode type) {
        return switch (type.asText()) {
            case "string" -> "a string";
            case "integer" -> "a whole number";
            case "array" -> "an array of strings";
            default -> "of type " + type.asText();
        };
    }

    static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    /** Field names come from untrusted input: keep them short and printable in reasons. */
    static String printable(String text) {
        String cleaned = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }

    private static List<String> names(Iterator<String> names) {
        return StreamSupport.stream(((Iterable<String>) () -> names).spliterator(), false).toList();
    }
}
