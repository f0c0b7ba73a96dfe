package io.github.ucconnector.api;

/**
 * One Conversation API call: method, path below the base URL (ids already validated and encoded) and the JSON
 * body, or {@code null} for none.
 */
public record ApiRequest(String operationId, String method, String path, String jsonBody) {
}
