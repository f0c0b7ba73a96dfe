package io.github.ucconnector.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Conversation API's operations, named by their operationId in UltraCart's OpenAPI description. The HTTP client
 * sees only a method and a path, so an operation is recognised by those, as the spec defines them.
 */
public enum ApiOperation {
    GET_AGENT_WEBSOCKET_AUTHORIZATION("getAgentWebsocketAuthorization", "PUT", "/conversation/agent/auth"),
    GET_CONVERSATIONS("getConversations", "GET", "/conversation/conversations"),
    START_CONVERSATION("startConversation", "PUT", "/conversation/conversations"),
    GET_CONVERSATION("getConversation", "GET", "/conversation/conversations/{conversation_uuid}"),
    JOIN_CONVERSATION("joinConversation", "PUT", "/conversation/conversations/{conversation_uuid}/join"),
    LEAVE_CONVERSATION("leaveConversation", "DELETE", "/conversation/conversations/{conversation_uuid}/leave"),
    GET_CONVERSATION_MULTIMEDIA_UPLOAD_URL("getConversationMultimediaUploadUrl", "GET",
            "/conversation/upload_url/{extension}");

    private static final ApiOperation[] ALL = values();

    private final String operationId;
    private final String method;
    private final Pattern path;

    /** @param pathTemplate the path as the spec writes it, e.g. {@code /conversation/conversations/{conversation_uuid}} */
    ApiOperation(String operationId, String method, String pathTemplate) {
        this.operationId = operationId;
        this.method = method;
        // Below any base path (/rest/v2); a path parameter is one encoded segment, so it never holds a '/'.
        this.path = Pattern.compile(".*" + pathTemplate.replaceAll("\\{[a-z_]+}", "[^/]+"));
    }

    public String operationId() {
        return operationId;
    }

    /**
     * The operation of a request, from its method and its path below the base URL (a query string is ignored);
     * empty for a request that is none of them.
     */
    public static Optional<ApiOperation> of(String method, String requestPath) {
        int query = requestPath.indexOf('?');
        String pathOnly = query < 0 ? requestPath : requestPath.substring(0, query);
        for (ApiOperation operation : ALL) {
            if (operation.method.equalsIgnoreCase(method) && operation.path.matcher(pathOnly).matches()) {
                return Optional.of(operation);
            }
        }
        return Optional.empty();
    }
}
