package io.github.ucconnector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesLocationTest {

    @TempDir
    Path temp;

    @Test
    void theSettingWinsAsItIs() {
        ConnectorSettings settings = ConnectorSettings.resolve(
                setting -> Map.of("routes.location", "file:/etc/connector/*.yaml").get(setting.property()));

        assertThat(RoutesLocation.of(settings)).isEqualTo("file:/etc/connector/*.yaml");
    }

    @Test
    void aRoutesFolderInTheWorkingDirectoryReplacesThePackagedRoutes() throws IOException {
        Files.createDirectories(temp.resolve("routes"));

        assertThat(RoutesLocation.of(temp, classLoader(jar("routes/packaged.yaml"))))
                .isEqualTo("file:" + temp.resolve("routes") + "/*.yaml");
    }

    @Test
    void theRoutesInAJarAreNamedOneByOneSoCamelDoesNotReadTheWholeJar() throws IOException {
        Path jar = jar("routes/b.yaml", "routes/a.yaml", "routes/notes.txt", "routes/old/c.yaml", "other/d.yaml");

        assertThat(RoutesLocation.of(temp, classLoader(jar))).isEqualTo("classpath:routes/a.yaml,classpath:routes/b.yaml");
    }

    @Test
    void theRoutesInAClassesFolderAreNamedOneByOne() throws IOException {
        Path classes = Files.createDirectories(temp.resolve("classes/routes")).getParent();
        Files.writeString(classes.resolve("routes/commands.yaml"), "- route: {}");
        Files.writeString(classes.resolve("routes/README.md"), "not a route");

        assertThat(RoutesLocation.of(temp, classLoader(classes))).isEqualTo("classpath:routes/commands.yaml");
    }

    @Test
    void withNoRoutesFolderInSightCamelsOwnPatternIsLeftToSearch() {
        assertThat(RoutesLocation.of(temp, classLoader(temp.resolve("nothing-here")))).isEqualTo("classpath:routes/*.yaml");
    }

    @Test
    void thePackagedRoutesOfTheConnectorItselfAreFound() {
        assertThat(RoutesLocation.of(temp, RoutesLocation.class.getClassLoader()))
                .contains("classpath:routes/conversation-commands.yaml", "classpath:routes/conversation-poller.yaml")
                .doesNotContain("*");
    }

    private Path jar(String... entries) throws IOException {
        Path jar = Files.createTempFile(temp, "routes", ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("routes/"));
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.write("- route: {}".getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    /** Sees only {@code location}, not the connector's own class path. */
    private static ClassLoader classLoader(Path location) {
        try {
            return new URLClassLoader(new URL[] {location.toUri().toURL()}, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
