package io.github.ucconnector.schemas;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * {@code docs/asyncapi.yaml} as a test reads it: channels, their messages, and the schemas a message names for its
 * payload, headers and key, compiled with the same validator the connector uses. The document's own
 * {@code #/...} references are followed here; the JSON Schema files it points to are resolved by the validator,
 * relative to the document.
 */
public final class AsyncApiDocument {

    public static final Path DOCS = Path.of("docs");
    public static final Path FILE = DOCS.resolve("asyncapi.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode root;
    private final URI location;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<JsonNode, JsonSchema> compiled = new ConcurrentHashMap<>();

    private AsyncApiDocument(JsonNode root, URI location) {
        this.root = root;
        this.location = location;
    }

    public static AsyncApiDocument load() throws IOException {
        return new AsyncApiDocument(YAML.readTree(Files.readString(FILE)), FILE.toAbsolutePath().toUri());
    }

    public JsonNode root() {
        return root;
    }

    /** The channel whose {@code x-setting} is the given setting's environment variable. */
    public JsonNode channelOf(String setting) {
        for (JsonNode channel : root.path("channels")) {
            if (setting.equals(channel.path("x-setting").asText())) {
                return channel;
            }
        }
        throw new AssertionError("asyncapi.yaml has no channel with x-setting " + setting);
    }

    /** The channel's messages, their {@code $ref}s followed. */
    public List<JsonNode> messages(JsonNode channel) {
        List<JsonNode> messages = new ArrayList<>();
        channel.path("messages").forEach(message -> messages.add(follow(message)));
        return messages;
    }

    /** The channel's message with this {@code name} (for events and replies: the ce_type). */
    public Optional<JsonNode> message(JsonNode channel, String name) {
        return messages(channel).stream().filter(m -> name.equals(m.path("name").asText())).findFirst();
    }

    /** Follows a {@code #/...} reference inside this document; any other node is returned as it is. */
    public JsonNode follow(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref") && current.get("$ref").asText().startsWith("#/")) {
            current = root.at(current.get("$ref").asText().substring(1));
            if (current.isMissingNode()) {
                throw new AssertionError("unresolved reference " + node.get("$ref").asText());
            }
        }
        return current;
    }

    /**
     * Validates a value against a schema of the document: a multi-format schema object ({@code schemaFormat} and
     * {@code schema}) or a plain schema (the Kafka binding's key).
     *
     * @return the violations; empty when the value conforms
     */
    public List<String> violations(JsonNode schemaObject, JsonNode value) {
        JsonNode schema = follow(schemaObject.has("schemaFormat") ? schemaObject.get("schema") : schemaObject);
        JsonSchema compiledSchema = compiled.computeIfAbsent(schema,
                node -> factory.getSchema(SchemaLocation.of(location.toString()), node));
        return compiledSchema.validate(value).stream().map(ValidationMessage::toString).toList();
    }
}
