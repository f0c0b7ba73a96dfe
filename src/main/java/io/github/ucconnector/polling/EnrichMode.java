package io.github.ucconnector.polling;

import java.util.Locale;

/** When the poller fetches a conversation to describe its new messages ({@code poll.enrich}). */
public enum EnrichMode {
    /** Only when the summary cannot describe them: more than one new message, or a last message without a body. */
    AUTO,
    /** Every conversation with new messages: each event holds the full message, uuid and media included. */
    ALWAYS,
    /** Never: the newest message comes from the summary, earlier new ones only by their position. */
    NEVER;

    public static EnrichMode of(String setting) {
        return valueOf(setting.trim().toUpperCase(Locale.ROOT));
    }
}
