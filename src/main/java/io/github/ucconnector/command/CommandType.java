package io.github.ucconnector.command;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.ucconnector.api.ApiOperation;
import io.github.ucconnector.config.Setting;

/**
 * The commands the connector accepts. Each names everything about its type the connector needs besides the command
 * itself ({@link Command}): the topic it comes from, the API operation it calls, what it does to conversations and
 * the event types of its outcome and private reply. The topics to consume, create and pause are derived from here.
 */
public enum CommandType {
    START(Setting.TOPIC_COMMAND_START, ApiOperation.START_CONVERSATION, Effect.CHANGES_ONCE,
            "ultracart.conversation.started", null),
    JOIN(Setting.TOPIC_COMMAND_JOIN, ApiOperation.JOIN_CONVERSATION, Effect.CHANGES_REPEATABLY,
            "ultracart.conversation.joined", null),
    LEAVE(Setting.TOPIC_COMMAND_LEAVE, ApiOperation.LEAVE_CONVERSATION, Effect.CHANGES_REPEATABLY,
            "ultracart.conversation.left", null),
    GET(Setting.TOPIC_COMMAND_GET, ApiOperation.GET_CONVERSATION, Effect.READS,
            "ultracart.conversation.fetched", null),
    /** Its result holds a presigned URL: the full result goes only to the reply topic. */
    UPLOAD_URL(Setting.TOPIC_COMMAND_UPLOAD_URL, ApiOperation.GET_CONVERSATION_MULTIMEDIA_UPLOAD_URL, Effect.READS,
            "ultracart.conversation.upload-url.created", "ultracart.conversation.upload-url.reply"),
    /** Its result holds a JWT and phone-system tokens: the full result goes only to the reply topic. */
    AGENT_AUTH(Setting.TOPIC_COMMAND_AGENT_AUTH, ApiOperation.GET_AGENT_WEBSOCKET_AUTHORIZATION, Effect.READS,
            "ultracart.conversation.agent.authorized", "ultracart.conversation.agent-auth.reply");

    /** What a command's API call does at UltraCart, which decides whether it may be sent again. */
    public enum Effect {
        /** Only reads: nothing to remember, safe to repeat. */
        READS,
        /** Changes a conversation and leaves the same state when repeated (join, leave). */
        CHANGES_REPEATABLY,
        /** Changes something a second call would change again (a second start starts a second conversation). */
        CHANGES_ONCE
    }

    private final Setting topic;
    private final ApiOperation operation;
    private final Effect effect;
    private final String succeededEventType;
    private final String replyEventType;

    /** @param replyEventType the event type of the private reply, {@code null} when the result holds no secret */
    CommandType(Setting topic, ApiOperation operation, Effect effect, String succeededEventType,
            String replyEventType) {
        this.topic = topic;
        this.operation = operation;
        this.effect = effect;
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

    /** The setting that names the topic the commands of this type come from. */
    public Setting topic() {
        return topic;
    }

    /** The Conversation API operation a command of this type calls. */
    public ApiOperation operation() {
        return operation;
    }

    /** The setting of every command topic, in declaration order. */
    public static List<Setting> topicSettings() {
        return Arrays.stream(values()).map(CommandType::topic).toList();
    }

    /** Each command topic, as configured, with the type of its commands. */
    public static Map<String, CommandType> byTopic(Function<Setting, String> configured) {
        return Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(type -> configured.apply(type.topic),
                Function.identity()));
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
        return effect != Effect.READS;
    }

    /**
     * False for start only: a second start call would start a second conversation, so a start whose first call
     * may have reached UltraCart (a timeout, a 500) is never repeated. Join and leave leave the same state when
     * repeated.
     */
    public boolean safeToRepeat() {
        return effect != Effect.CHANGES_ONCE;
    }

    /** The event type of the private reply, or {@code null} when the command has none. */
    public String replyEventType() {
        return replyEventType;
    }
}
