package io.github.ucconnector.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.ucconnector.Launcher;
import io.github.ucconnector.config.Setting;

/**
 * The connector as the jar starts it ({@link Launcher}) in a JVM of its own on the test class path, so that its
 * logging is configured as in production and everything it writes lands in one file.
 */
public final class LauncherJvm {

    /** The first line of the banner the launcher prints once Camel has started. */
    public static final String BANNER = "UltraCart Conversation connector is running";

    private LauncherJvm() {
    }

    /**
     * @param env    the connector's settings as environment variables; no other setting reaches it from the test
     *               JVM's environment
     * @param output where its standard output and error go
     */
    public static Process start(Map<String, String> env, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        for (Setting setting : Setting.values()) {
            builder.environment().remove(setting.environmentVariable());
        }
        builder.environment().putAll(env);
        return builder.start();
    }

    public static String read(Path output) throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
