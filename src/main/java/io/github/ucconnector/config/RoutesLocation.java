package io.github.ucconnector.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where camel-main loads the YAML routes from ({@code camel.main.routes-include-pattern}): {@code ROUTES_LOCATION}
 * when set, else {@code routes/*.yaml} in the working directory when there is such a folder, else the routes packaged
 * with the connector.
 */
public final class RoutesLocation {

    private static final String FOLDER = "routes";
    private static final String PATTERN = FOLDER + "/*.yaml";

    private RoutesLocation() {
    }

    public static String of(ConnectorSettings settings) {
        if (settings.isSet(Setting.ROUTES_LOCATION)) {
            return settings.get(Setting.ROUTES_LOCATION);
        }
        return of(Path.of(""), RoutesLocation.class.getClassLoader());
    }

    static String of(Path workingDirectory, ClassLoader classLoader) {
        Path folder = workingDirectory.resolve(FOLDER);
        if (Files.isDirectory(folder)) {
            return "file:" + folder + "/*.yaml";
        }
        return packaged(classLoader);
    }

    /**
     * The packaged routes, each by its name. Camel would find them with {@code classpath:routes/*.yaml}, but to list
     * a jar it reads the whole jar as a stream: about 2 s of the start-up with the 70 MB shaded jar. A jar's own
     * index lists it at once. Where the routes are neither in a folder nor in a jar, Camel's pattern it is.
     */
    static String packaged(ClassLoader classLoader) {
        SortedSet<String> names = new TreeSet<>();
        try {
            for (URL url : Collections.list(classLoader.getResources(FOLDER))) {
                switch (url.getProtocol()) {
                    case "file" -> names.addAll(inFolder(Path.of(url.toURI())));
                    case "jar" -> names.addAll(inJar(((JarURLConnection) url.openConnection()).getJarFileURL()));
                    default -> {
                        return "classpath:" + PATTERN;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the packaged routes", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot list the packaged routes", e);
        }
        if (names.isEmpty()) {
            return "classpath:" + PATTERN;
        }
        return names.stream().map(name -> "classpath:" + name).collect(Collectors.joining(","));
    }

    private static SortedSet<String> inFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
                    .filter(RoutesLocation::isRoutesFile).map(name -> FOLDER + "/" + name)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static SortedSet<String> inJar(URL jarFile) throws IOException, URISyntaxException {
        // A JarFile of our own: the class loader's cached one must stay open.
        try (JarFile jar = new JarFile(Path.of(jarFile.toURI()).toFile())) {
            return jar.stream().map(JarEntry::getName).filter(name -> name.startsWith(FOLDER + "/"))
                    .filter(name -> isRoutesFile(name.substring(FOLDER.length() + 1)))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A YAML file directly in the folder, as {@code routes/*.yaml} matches. */
    private static boolean isRoutesFile(String name) {
        return name.endsWith(".yaml") && !name.contains("/");
    }
}
