package io.github.ucconnector.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * One Conversation API call, made by {@link ApiOperation#request}: the operation, its path below the base URL (ids
 * already encoded), the query string (already encoded, without {@code ?}) or {@code null} for none, and the JSON
 * body, or {@code null} for none.
 */
public record ApiRequest(ApiOperation operation, String path, String query, String jsonBody) {

    public String method() {
        return operation.method();
    }

    /** Replaces the message with the request as camel-http sends it; no earlier header reaches UltraCart. */
    public void writeTo(Message message) {
        message.getHeaders().clear();
        // The enum camel-http expects: as text it would go through a type converter lookup on every call.
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method()));
        message.setHeader(Exchange.HTTP_PATH, path);
        if (query != null) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        if (jsonBody != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(jsonBody);
    }
}
