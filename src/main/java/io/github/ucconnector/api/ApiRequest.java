package io.github.ucconnector.api;

/**
 * One Conversation API call: method, path below the base URL (ids already validated and encoded), the query string
 * (already encoded, without {@code ?}) or {@code null} for none, and the JSON body, or {@code null} for none.
 */
public record ApiRequest(String operationId, String method, String path, String query, String jsonBody) {

    /** A call without a query string. */
    public ApiRequest(String operationId, String method, String path, String jsonBody) {
        this(operationId, method, path, null, jsonBody);
    }
}
