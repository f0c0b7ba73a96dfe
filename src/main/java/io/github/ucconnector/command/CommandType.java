package io.github.ucconnector.command;

import java.util.Locale;

/** The commands the connector accepts, each with the event type of its successful outcome. */
public enum CommandType {
    START("ultracart.conversation.started"),
    JOIN("ultracart.conversation.joined"),
    LEAVE("ultracart.conversation.left");

    private final String succeededEventType;

    CommandType(String succeededEventType) {
        this.succeededEventType = succeededEventType;
    }

    /** The name used in events and dead-letter headers: {@code start}, {@code join}, {@code leave}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String succeededEventType() {
        return succeededEventType;
    }
}
