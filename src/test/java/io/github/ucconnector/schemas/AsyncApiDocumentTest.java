package io.github.ucconnector.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.polling.ChangeEvents;
import org.junit.jupiter.api.Test;

/** docs/asyncapi.yaml and docs/schemas agree with each other, with the settings, and with the code's event types. */
class AsyncApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final AsyncApiDocument doc = AsyncApiDocument.load();

    AsyncApiDocumentTest() throws IOException {
    }

    @Test
    void isAnAsyncApi3DocumentWithAKafkaServer() {
        assertThat(doc.root().path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.root().path("servers").path("kafka").path("protocol").asText()).isEqualTo("kafka");
        doc.root().path("operations").forEach(operation -> {
            assertThat(operation.path("action").asText()).isIn("send", "receive");
            assertThat(doc.follow(operation.path("channel")).has("address")).isTrue();
        });
    }

    @Test
    void everyTopicSettingHasItsChannelAndEveryChannelIsATopicSetting() {
        Map<String, String> topics = new java.util.TreeMap<>();
        for (Setting setting : Setting.values()) {
            if (setting.name().startsWith("TOPIC_") && setting.defaultValue().startsWith("ultracart.")) {
                topics.put(setting.environmentVariable(), setting.defaultValue());
            }
        }
        Map<String, String> channels = new java.util.TreeMap<>();
        doc.root().path("channels").forEach(channel ->
                channels.put(channel.path("x-setting").asText(), channel.path("address").asText()));
        assertThat(channels).isEqualTo(topics);
    }

    @Test
    void everyEventTypeOfTheCodeIsAMessageOfItsChannelAndNoOther() {
        Set<String> events = new TreeSet<>(List.of(OutcomeEvents.COMMAND_FAILED, ChangeEvents.CREATED,
                ChangeEvents.MESSAGE_RECEIVED, ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT,
                ChangeEvents.CLOSED, ChangeEvents.UPDATED));
        Set<String> replies = new TreeSet<>();
        for (CommandType type : CommandType.values()) {
            events.add(type.succeededEventType());
            if (type.hasPrivateReply()) {
                replies.add(type.replyEventType());
            }
        }
        assertThat(messageNames("TOPIC_EVENTS")).isEqualTo(events);
        assertThat(messageNames("TOPIC_REPLIES")).isEqualTo(replies);
        for (CommandType type : CommandType.values()) {
            String setting = "TOPIC_COMMAND_" + type.name();
            assertThat(messageNames(setting)).containsExactly(type.id());
            assertThat(doc.messages(doc.channelOf(setting)).get(0).at("/payload/schema/$ref").asText())
                    .isEqualTo("./schemas/commands/" + type.id() + ".json");
        }
    }

    @Test
    void everyReferenceResolves() throws IOException {
        List<String> unresolved = new ArrayList<>();
        references(doc.root(), AsyncApiDocument.FILE, doc.root(), unresolved);
        try (Stream<Path> files = Files.walk(AsyncApiDocument.DOCS.resolve("schemas"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode schema = JSON.readTree(file.toFile());
                references(schema, file, schema, unresolved);
            }
        }
        assertThat(unresolved).isEmpty();
    }

    @Test
    void everySchemaIsValidDraft202012AndItsExamplesConform() throws IOException {
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        try (Stream<Path> files = Files.walk(AsyncApiDocument.DOCS.resolve("schemas"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode schema = JSON.readTree(file.toFile());
                assertThat(schema.path("$schema").asText()).as(file.toString())
                        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
                assertThat(metaSchema.validate(schema)).as(file.toString()).isEmpty();
                JsonSchema compiled = FACTORY.getSchema(SchemaLocation.of(file.toAbsolutePath().toUri().toString()));
                compiled.initializeValidators();
                for (JsonNode example : schema.path("examples")) {
                    assertThat(compiled.validate(example)).as(file + " example " + example).isEmpty();
                }
            }
        }
    }

    /** ultracart.json is derived from the spec's components: the same fields, with the same JSON types. */
    @Test
    void ultraCartModelsMirrorTheOpenApiComponents() throws IOException {
        JsonNode spec = JSON.readTree(getClass().getResourceAsStream("/ultracart/conversation-openapi.json"))
                .path("components").path("schemas");
        JsonNode models = JSON.readTree(AsyncApiDocument.DOCS.resolve("schemas/ultracart.json").toFile()).path("$defs");
        models.fields().forEachRemaining(model -> {
            JsonNode component = spec.path(model.getKey());
            assertThat(component.isMissingNode()).as(model.getKey()).isFalse();
            List<String> names = new ArrayList<>();
            component.path("properties").fieldNames().forEachRemaining(names::add);
            assertThat(model.getValue().path("properties").properties()).as(model.getKey())
                    .extracting(Map.Entry::getKey).containsExactlyElementsOf(names);
            model.getValue().path("properties").properties().forEach(property -> assertThat(
                    type(property.getValue())).as(model.getKey() + "." + property.getKey())
                    .isEqualTo(type(component.path("properties").path(property.getKey()))));
        });
    }

    private static String type(JsonNode property) {
        if (property.has("$ref")) {
            String ref = property.get("$ref").asText();
            return ref.substring(ref.lastIndexOf('/') + 1);
        }
        return property.path("type").asText() + (property.has("items") ? "<" + type(property.get("items")) + ">" : "");
    }

    private Set<String> messageNames(String setting) {
        Set<String> names = new TreeSet<>();
        doc.messages(doc.channelOf(setting)).forEach(message -> names.add(message.path("name").asText()));
        return names;
    }

    /** Collects every $ref under node, in the file it appears in, that does not lead to a node. */
    private static void references(JsonNode node, Path file, JsonNode document, List<String> unresolved) throws IOException {
        if (node.isObject() && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            int hash = ref.indexOf('#');
            String path = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode target = document;
            if (!path.isEmpty()) {
                Path targetFile = file.getParent().resolve(path).normalize();
                target = Files.isRegularFile(targetFile) ? JSON.readTree(targetFile.toFile()) : null;
            }
            if (target == null || target.at(pointer).isMissingNode()) {
                unresolved.add(file + ": " + ref);
            }
        }
        for (JsonNode child : node) {
            references(child, file, document, unresolved);
        }
    }
}
