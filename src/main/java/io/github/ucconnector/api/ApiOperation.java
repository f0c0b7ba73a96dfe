package io.github.ucconnector.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Conversation API's operations, named by their operationId in UltraCart's OpenAPI description: the one place
 * that knows each operation's method and path. Requests are made here ({@link #request}), and each request keeps
 * its operation on the way to the HTTP client, which meters the call by it ({@link ApiRequest#operationOf}).
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

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[a-z_]+}");

    private final String operationId;
    private final String method;
    private final String pathTemplate;

    /** @param pathTemplate the path as the spec writes it, e.g. {@code /conversation/conversations/{conversation_uuid}} */
    ApiOperation(String operationId, String method, String pathTemplate) {
        this.operationId = operationId;
        this.method = method;
        this.pathTemplate = pathTemplate;
    }

    public String operationId() {
        return operationId;
    }

    public String method() {
        return method;
    }

    /**
     * A call of this operation.
     *
     * @param pathValues the path parameters in the order the path names them; each becomes one encoded segment
     * @param query      the query string, already encoded, without {@code ?}; {@code null} for none
     * @param jsonBody   the JSON body, or {@code null} for none
     */
    public ApiRequest request(List<String> pathValues, String query, String jsonBody) {
        Matcher parameters = PATH_PARAMETER.matcher(pathTemplate);
        StringBuilder filled = new StringBuilder();
        int next = 0;
        while (parameters.find()) {
            if (next == pathValues.size()) {
                throw new IllegalArgumentException(operationId + " needs a value for " + parameters.group());
            }
            parameters.appendReplacement(filled, Matcher.quoteReplacement(pathSegment(pathValues.get(next++))));
        }
        parameters.appendTail(filled);
        if (next != pathValues.size()) {
            throw new IllegalArgumentException(operationId + " has " + next + " path parameters, not "
                    + pathValues.size());
        }
        return new ApiRequest(this, filled.toString(), query, jsonBody);
    }

    /** A call without query or body. */
    public ApiRequest request(String... pathValues) {
        return request(List.of(pathValues), null, null);
    }

    /** Ids are validated before they get here; encoding is the second fence, so a '/' can never add a segment. */
    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
