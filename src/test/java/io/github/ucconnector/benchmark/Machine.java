package io.github.ucconnector.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Where and on what a benchmark ran: the lines at the top of its results. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return String.join("\n",
                "- date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS),
                "- commit: " + git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain").isBlank()
                        ? "" : " (with uncommitted changes)"),
                "- machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                        + memTotal() + " RAM; " + System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "- everything on this one machine: broker, sandbox, load generator, connector and baseline");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB").findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String git(String... args) {
        try {
            ProcessBuilder builder = new ProcessBuilder("git");
            builder.command().addAll(java.util.List.of(args));
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? output : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
