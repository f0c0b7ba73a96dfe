package io.github.ucconnector.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every spec schema has a record of the same name whose JSON names and types are exactly the spec's. */
class ModelRecordsMirrorTheSpecTest {

    /** Fields UltraCart added after the spec file (src/test/resources/ultracart) was extracted. */
    private static final Map<String, Set<String>> NEWER_THAN_SPEC = Map.of("Warning", Set.of("warning_code"));

    @Test
    void everySchemaHasARecordWithExactlyItsFieldsAndTypes() throws Exception {
        JsonNode schemas = spec().path("components").path("schemas");
        assertThat(schemas.size()).isEqualTo(23);
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = it.next();
            Class<?> record = Class.forName(ModelRecordsMirrorTheSpecTest.class.getPackageName() + "." + schema.getKey());
            assertThat(record.isRecord()).as(schema.getKey()).isTrue();

            Map<String, Type> recordFields = new HashMap<>();
            for (RecordComponent component : record.getRecordComponents()) {
                JsonProperty property = component.getAccessor().getDeclaringClass()
                        .getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
                recordFields.put(property.value(), component.getGenericType());
            }
            NEWER_THAN_SPEC.getOrDefault(schema.getKey(), Set.of()).forEach(recordFields::remove);

            JsonNode properties = schema.getValue().path("properties");
            assertThat(recordFields.keySet()).as(schema.getKey()).containsExactlyInAnyOrderElementsOf(
                    iterable(properties.fieldNames()));
            properties.fields().forEachRemaining(property -> assertThat(javaTypeName(recordFields.get(property.getKey())))
                    .as(schema.getKey() + "." + property.getKey())
                    .isEqualTo(expectedType(property.getValue())));
        }
    }

    private static String expectedType(JsonNode property) {
        if (property.has("$ref")) {
            String ref = property.get("$ref").asText();
            return ref.substring(ref.lastIndexOf('/') + 1);
        }
        return switch (property.path("type").asText()) {
            case "string" -> "String";
            case "boolean" -> "Boolean";
            case "integer" -> "int64".equals(property.path("format").asText()) ? "Long" : "Integer";
            case "number" -> BigDecimal.class.getSimpleName();
            case "array" -> "List<" + expectedType(property.get("items")) + ">";
            default -> throw new AssertionError("unexpected type in spec: " + property);
        };
    }

    private static String javaTypeName(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return ((Class<?>) parameterized.getRawType()).getSimpleName() + "<"
                    + javaTypeName(parameterized.getActualTypeArguments()[0]) + ">";
        }
        return ((Class<?>) type).getSimpleName();
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static JsonNode spec() throws IOException {
        try (InputStream in = ModelRecordsMirrorTheSpecTest.class.getResourceAsStream("/ultracart/conversation-openapi.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
