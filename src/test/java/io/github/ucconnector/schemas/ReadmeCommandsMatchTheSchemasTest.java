package io.github.ucconnector.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.command.CommandReader;
import io.github.ucconnector.command.CommandRejectedException;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.config.Setting;
import org.junit.jupiter.api.Test;

/**
 * Every command the README shows is valid against its schema in docs/asyncapi.yaml and is read by the connector;
 * the one the walkthrough shows as invalid is rejected by both.
 */
class ReadmeCommandsMatchTheSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code echo '…' | kcat … -t <topic>} or {@code echo "…" | kcat … -t <topic>}, continuation lines joined. */
    private static final Pattern KCAT = Pattern.compile("echo (?:'([^']*)'|\"((?:[^\"\\\\]|\\\\.)*)\")\\s*\\|\\s*kcat .*?-t (\\S+)");
    private static final String SAMPLE_UUID = "7d3c6a4e-1b2f-4c5d-9e8f-0a1b2c3d4e5f";

    private final AsyncApiDocument doc = AsyncApiDocument.load();
    private final CommandReader reader = new CommandReader(65536);
    private final String readme = Files.readString(Path.of("README.md"));

    ReadmeCommandsMatchTheSchemasTest() throws IOException {
    }

    @Test
    void kcatWalkthroughCommandsAreValidExceptTheOneShownAsInvalid() throws IOException {
        List<String> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        String comment = "";
        for (String line : readme.replace("\\\n", " ").split("\n")) {
            if (line.startsWith("# ")) {
                comment = line;
            }
            Matcher kcat = KCAT.matcher(line);
            if (!kcat.find()) {
                continue;
            }
            String value = kcat.group(1) != null ? kcat.group(1)
                    : kcat.group(2).replace("\\\"", "\"").replace("$UUID", SAMPLE_UUID);
            CommandType type = typeOfTopic(kcat.group(3));
            if (comment.contains("not valid")) {
                assertThat(violations(type, value)).as(value).isNotEmpty();
                assertThatThrownBy(() -> read(type, value)).isInstanceOf(CommandRejectedException.class);
                invalid.add(value);
            } else {
                assertThat(violations(type, value)).as(value).isEmpty();
                read(type, value);
                valid.add(type.id());
            }
        }
        // Every type shown at least once; a later section (Tracing) may show one again.
        assertThat(valid).containsOnly("start", "join", "leave", "get", "upload-url", "agent-auth");
        assertThat(invalid).hasSize(1);
    }

    @Test
    void commandExamplesOfTheCommandsSectionAreValidInTheTablesOrder() throws IOException {
        String section = readme.substring(readme.indexOf("## Commands"), readme.indexOf("## Events"));
        List<CommandType> tableOrder = new ArrayList<>();
        for (String line : section.split("\n")) {
            Arrays.stream(CommandType.values()).filter(type -> line.startsWith("| " + type.id() + " |"))
                    .forEach(tableOrder::add);
        }
        assertThat(tableOrder).containsExactly(CommandType.values());
        String block = section.substring(section.indexOf("```json\n") + 8);
        List<String> examples = List.of(block.substring(0, block.indexOf("```")).strip().split("\n"));
        assertThat(examples).hasSize(tableOrder.size());
        for (int i = 0; i < examples.size(); i++) {
            assertThat(violations(tableOrder.get(i), examples.get(i))).as(examples.get(i)).isEmpty();
            read(tableOrder.get(i), examples.get(i));
        }
    }

    private List<String> violations(CommandType type, String value) throws IOException {
        return doc.violations(doc.messages(doc.channelOf("TOPIC_COMMAND_" + type.name())).get(0).get("payload"),
                JSON.readTree(value));
    }

    private void read(CommandType type, String value) {
        reader.read(type, value.getBytes(StandardCharsets.UTF_8), "fallback-id");
    }

    private static CommandType typeOfTopic(String topic) {
        return Arrays.stream(CommandType.values())
                .filter(type -> Setting.valueOf("TOPIC_COMMAND_" + type.name()).defaultValue().equals(topic))
                .findFirst().orElseThrow(() -> new AssertionError("not a command topic: " + topic));
    }
}
