package io.github.ucconnector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every operation of UltraCart's spec makes the request the spec describes, and no other operation exists. */
class ApiOperationTest {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[a-z_]+}");

    @Test
    void eachSpecOperationMakesItsMethodAndPath() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(Path.of("src/test/resources/ultracart/conversation-openapi.json")
                .toFile()).path("paths");
        Map<String, String> specified = new HashMap<>();
        Map<String, String> made = new HashMap<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            String operationId = method.getValue().path("operationId").asText();
            List<String> pathValues = Collections.nCopies(PATH_PARAMETER.split(path.getKey(), -1).length - 1, "abc-1");
            specified.put(operationId, method.getKey().toUpperCase() + " "
                    + PATH_PARAMETER.matcher(path.getKey()).replaceAll("abc-1"));
            made.put(operationId, Arrays.stream(ApiOperation.values())
                    .filter(operation -> operation.operationId().equals(operationId))
                    .map(operation -> operation.request(pathValues, null, null))
                    .map(request -> request.method() + " " + request.path())
                    .findFirst().orElse("none"));
        }));

        assertThat(made).hasSize(ApiOperation.values().length).isEqualTo(specified);
    }

    @Test
    void aPathValueIsOneEncodedSegment() {
        assertThat(ApiOperation.GET_CONVERSATION.request("a/b c").path())
                .isEqualTo("/conversation/conversations/a%2Fb%20c");
    }

    @Test
    void aRequestNeedsEachPathValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> ApiOperation.JOIN_CONVERSATION.request());
        assertThatIllegalArgumentException().isThrownBy(() -> ApiOperation.GET_CONVERSATIONS.request("extra"));
    }
}
