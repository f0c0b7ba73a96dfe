package io.github.ucconnector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's settings table lists exactly the settings the code reads, with their real defaults. */
class SettingsTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| `([a-z0-9.-]+)` \\| (?:`([^`]*)`|\\(empty\\)) \\|",
            Pattern.MULTILINE);

    @Test
    void readmeTableMatchesTheSettings() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(readme);
        while (row.find()) {
            documented.put(row.group(1) + " " + row.group(2), row.group(3) == null ? "" : row.group(3));
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            actual.put(setting.environmentVariable() + " " + setting.property(), setting.defaultValue());
        }
        assertThat(documented).containsExactlyEntriesOf(actual);
    }
}
