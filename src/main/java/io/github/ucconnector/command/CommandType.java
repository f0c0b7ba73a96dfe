package io.github.ucconnector.command;

import java.util.Locale;

/** The commands the connector accepts, each with the event type of its successful outcome. */
public enum CommandType {
    START("ultracart.conversation.started"),
    JOIN("ultracart.conversation.joined"),
    LEAVE("ultracart.conversation.left"),
    GET("ultracart.conversation.fetched"),
    /** Its result holds a presigned URL: the full result goes only to the reply topic. */
    UPLOAD_URL("ultracart.conversation.upload-url.created", "ultracart.conversation.upload-url.reply"),
    /** Its result holds a JWT and phone-system tokens: the full result goes only to the reply topic. */
    AGENT_AUTH("ultracart.conversation.agent.authorized", "ultracart.conversation.agent-auth.reply");

    private final String succeededEventType;
    private final String replyEventType;

    CommandType(String succeededEventType) {
        this(succeededEventType, null);
    }

    CommandType(String succeededEventType, String replyEventType) {
        this.succeededEventType = succeededEventType;
        this.replyEventType = replyEventType;
    }

    /**
     * The name used in events and dead-letter headers: {@code start}, {@code join}, {@code leave}, {@code get},
     * {@code upload-url}, {@code agent-auth}.
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String succeededEventType() {
        return succeededEventType;
    }

    /** True when the result holds secrets and goes, in full, only to the private reply topic. */
    public boolean hasPrivateReply() {
        return replyEventType != null;
    }

    /**
     * True for commands that change a conversation (start, join, leave): the command ledger remembers their
     * outcome so a redelivered or re-sent command is not sent to UltraCart again. The others only read.
     */
    public boolean changesConversations() {
        return this == START || this == JOIN || this == LEAVE;
    }

    /**
     * False for start only: a second start call would start a second conversation, so a start whose first call
     * may have reached UltraCart (a timeout, a 500) is never repeated. Join and leave leave the same state when
     * repeated.
     */
    public boolean safeToRepeat() {
        return this != START;
    }

    /** The event type of the private reply, or {@code null} when the command has none. */
    public String replyEventType() {
        return replyEventType;
    }
}
