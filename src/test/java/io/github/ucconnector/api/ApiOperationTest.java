package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every operation of UltraCart's spec is recognised from the method and path the HTTP client sees. */
class ApiOperationTest {

    @Test
    void eachSpecOperationIsRecognisedFromItsMethodAndPath() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(Path.of("src/test/resources/ultracart/conversation-openapi.json")
                .toFile()).path("paths");
        Map<String, String> recognised = new HashMap<>();
        Map<String, String> expected = new HashMap<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            String operationId = method.getValue().path("operationId").asText();
            String requestPath = "/rest/v2" + path.getKey().replaceAll("\\{[a-z_]+}", "abc-1") + "?_limit=200";
            expected.put(operationId, operationId);
            recognised.put(operationId, ApiOperation.of(method.getKey().toUpperCase(), requestPath)
                    .map(ApiOperation::operationId).orElse("none"));
        }));

        assertThat(recognised).hasSize(ApiOperation.values().length).isEqualTo(expected);
    }

    @Test
    void anotherRequestIsNoOperation() {
        assertThat(ApiOperation.of("POST", "/rest/v2/conversation/conversations")).isEmpty();
        assertThat(ApiOperation.of("GET", "/rest/v2/conversation/conversations/a/b/c")).isEmpty();
    }
}
