package io.github.ucconnector.config;

import java.util.Optional;

/**
 * The connector refuses to start, for a reason the operator can fix: the Launcher prints the message alone (no stack
 * trace, it would bury the reason) and exits with the code (README: "Exit codes"). Thrown where the refusal is
 * found; camel-main may wrap it, so {@link #in} looks through the causes.
 */
public final class StartupRefusedException extends RuntimeException {

    /** A setting is invalid, the Kafka cluster refuses it, or a file it names cannot be read. */
    public static final int SETTINGS = 2;
    /** A port the connector (or its embedded broker or sandbox) would listen on cannot be bound. */
    public static final int PORT = 3;

    private final int exitCode;

    private StartupRefusedException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static StartupRefusedException settings(String message) {
        return new StartupRefusedException(SETTINGS, message, null);
    }

    public static StartupRefusedException settings(String message, Throwable cause) {
        return new StartupRefusedException(SETTINGS, message, cause);
    }

    public static StartupRefusedException port(String message, Throwable cause) {
        return new StartupRefusedException(PORT, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The refusal among {@code failure} and its causes, if there is one. */
    public static Optional<StartupRefusedException> in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StartupRefusedException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }
}
