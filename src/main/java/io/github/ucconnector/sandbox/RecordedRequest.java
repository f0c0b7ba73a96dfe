package io.github.ucconnector.sandbox;

import java.util.Map;

/**
 * One API request the sandbox received (calls under {@code /rest/v2}; admin calls under {@code /sandbox} are not recorded).
 *
 * @param method  HTTP method, e.g. {@code GET}
 * @param path    the raw request path including {@code /rest/v2}, e.g. {@code /rest/v2/conversation/conversations}
 * @param query   the raw query string without {@code ?}; empty when there is none
 * @param headers lower-cased header names to their values (several values joined with {@code ", "}); the values of
 *                credential headers ({@code x-ultracart-simple-key}, {@code authorization}, ...) are {@code ****}
 * @param body    the request body as UTF-8 text; empty when there is none
 * @param status  the HTTP status the sandbox answered, or 0 while the request is still being answered
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body, int status) {

    public RecordedRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        query = query == null ? "" : query;
        body = body == null ? "" : body;
    }
}
