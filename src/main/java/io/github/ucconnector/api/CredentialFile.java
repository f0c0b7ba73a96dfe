package io.github.ucconnector.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.github.ucconnector.config.ConnectorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An UltraCart credential kept in a file, typically a mounted Kubernetes or Docker secret. The file is read again
 * when a call needs the credential and the last read is more than a second old, so a rotated API key or a renewed
 * OAuth token is used without a restart. Reading a few bytes once a second is cheaper than it sounds and, unlike a
 * file watch, sees the symbolic-link swap by which Kubernetes updates a secret volume. A rewrite that leaves the file
 * empty or unreadable keeps the last good credential and logs a warning (naming the file, never its content).
 */
public final class CredentialFile implements Supplier<String> {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialFile.class);
    private static final long CHECK_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Path file;
    private String credential;
    private long nextCheck;
    private String lastProblem;

    private CredentialFile(Path file, String credential) {
        this.file = file;
        this.credential = credential;
        this.nextCheck = System.nanoTime() + CHECK_INTERVAL_NANOS;
    }

    /** Reads the file; at start-up an empty or unreadable one is an error, not something to wait for. */
    public static CredentialFile open(Path file) {
        try {
            return new CredentialFile(file, read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the UltraCart credential from " + file, e);
        }
    }

    /** The current credential, re-read first if the last read is more than a second old. */
    @Override
    public synchronized String get() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_INTERVAL_NANOS;
            refresh();
        }
        return credential;
    }

    private void refresh() {
        try {
            String current = read(file);
            if (!current.equals(credential)) {
                credential = current;
                LOG.info("The UltraCart credential in {} changed; calls use the new one from now on", file);
            }
            lastProblem = null;
        } catch (IOException e) {
            // Once per problem, not once a second.
            String problem = e.toString();
            if (!problem.equals(lastProblem)) {
                LOG.warn("Could not re-read the UltraCart credential from {} ({}); still using the last good one",
                        file, problem);
            }
            lastProblem = problem;
        }
    }

    /** The file's content without surrounding white space: secrets are usually written with a trailing newline. */
    private static String read(Path file) throws IOException {
        if (Files.size(file) > ConnectorSettings.MAX_CREDENTIAL_FILE_BYTES) {
            throw new IOException("the file has more than " + ConnectorSettings.MAX_CREDENTIAL_FILE_BYTES
                    + " bytes: not a credential");
        }
        String content = Files.readString(file).strip();
        if (content.isEmpty()) {
            throw new IOException("the file is empty");
        }
        return content;
    }

    /** Names the file only. */
    @Override
    public String toString() {
        return "CredentialFile[" + file + "]";
    }
}
