package io.github.ucconnector.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.command.Command;

/** Maps commands to Conversation API calls exactly as UltraCart's SDKs make them. */
public final class UltraCartRequests {

    private final ObjectMapper mapper;

    public UltraCartRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ApiRequest requestFor(Command command) {
        if (command instanceof Command.Start start) {
            return new ApiRequest("startConversation", "PUT", "/conversation/conversations", json(start.request()));
        }
        if (command instanceof Command.Join join) {
            return new ApiRequest("joinConversation", "PUT",
                    "/conversation/conversations/" + pathSegment(join.conversationUuid()) + "/join",
                    join.request() == null ? null : json(join.request()));
        }
        if (command instanceof Command.Get get) {
            return new ApiRequest("getConversation", "GET",
                    "/conversation/conversations/" + pathSegment(get.conversationUuid()),
                    get.limit() == null ? null : "limit=" + get.limit(), null);
        }
        if (command instanceof Command.UploadUrl uploadUrl) {
            return new ApiRequest("getConversationMultimediaUploadUrl", "GET",
                    "/conversation/upload_url/" + pathSegment(uploadUrl.extension()), null);
        }
        if (command instanceof Command.AgentAuth) {
            return new ApiRequest("getAgentWebsocketAuthorization", "PUT", "/conversation/agent/auth", null);
        }
        Command.Leave leave = (Command.Leave) command;
        return new ApiRequest("leaveConversation", "DELETE",
                "/conversation/conversations/" + pathSegment(leave.conversationUuid()) + "/leave", null);
    }

    /** Ids are validated before they get here; encoding is the second fence, so a '/' can never add a segment. */
    public static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a request body", e);
        }
    }
}
