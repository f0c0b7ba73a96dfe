package io.github.ucconnector.command;

/** A command record that cannot become an API call: the reason is meant for the person who sent it. */
public final class CommandRejectedException extends RuntimeException {

    public CommandRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
