package io.github.ucconnector.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.StartupRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A credential kept in a file (an UltraCart API key or OAuth token, the admin token), typically a mounted Kubernetes or Docker secret. The file is read again
 * when a call needs the credential and the last read is more than a second old, so a rotated API key or a renewed
 * OAuth token is used without a restart. Reading a few bytes once a second is cheaper than it sounds and, unlike a
 * file watch, sees the symbolic-link swap by which Kubernetes updates a secret volume. A rewrite that leaves the file
 * empty or unreadable keeps the last good credential and logs a warning (naming the file, never its content).
 */
public final class CredentialFile implements Supplier<String> {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialFile.class);
    private static final long CHECK_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Path file;
    /** What the credential is, for the log: never its value. */
    private final String what;
    private final String changed;
    private String credential;
    private long nextCheck;
    private String lastProblem;

    private CredentialFile(Path file, String what, String changed, String credential) {
        this.file = file;
        this.what = what;
        this.changed = changed;
        this.credential = credential;
        this.nextCheck = System.nanoTime() + CHECK_INTERVAL_NANOS;
    }

    /**
     * Reads the file; at start-up an empty or unreadable one is an error, not something to wait for.
     *
     * @throws StartupRefusedException when it cannot be read
     */
    public static CredentialFile open(Path file) {
        return open(file, "UltraCart credential", "calls use the new one from now on");
    }

    /**
     * @param what    what the credential is, as the log names it ("admin token")
     * @param changed what a change means, for the log line that notes it
     */
    public static CredentialFile open(Path file, String what, String changed) {
        try {
            return new CredentialFile(file, what, changed, read(file));
        } catch (IOException e) {
            // Names the file and the reason, never the content.
            throw StartupRefusedException.settings("Could not read the " + what + " from " + file + " (" + e + ")", e);
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
                LOG.info("The {} in {} changed; {}", what, file, changed);
            }
            lastProblem = null;
        } catch (IOException e) {
            // Once per problem, not once a second.
            String problem = e.toString();
            if (!problem.equals(lastProblem)) {
                LOG.warn("Could not re-read the {} from {} ({}); still using the last good one", what, file,
                        problem);
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
