package io.github.ucconnector.command;

/**
 * What a successful command publishes: the subject (key) of its outcome event, the event's data, and the full result
 * for the private reply when the result holds secrets.
 *
 * @param conversationUuid the conversation the outcome is about, or {@code null} for none
 * @param eventData        what the outcome event carries: never a secret
 * @param replyData        the full result, only for the private reply topic; {@code null} when there is no reply
 */
public record CommandOutcome(String conversationUuid, Object eventData, Object replyData) {

    /** An outcome without secrets: no private reply. */
    static CommandOutcome published(String conversationUuid, Object eventData) {
        return new CommandOutcome(conversationUuid, eventData, null);
    }
}
