package io.github.ucconnector.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.sandbox.UltraCartSandbox;

/** The sandbox's admin endpoints, called over HTTP as a user would with curl. */
public final class SandboxAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public SandboxAdmin(UltraCartSandbox sandbox) {
        this.base = "http://localhost:" + sandbox.port() + "/sandbox";
    }

    /** A customer opens a conversation with a first message; returns its uuid. */
    public String openConversation(String customerName, String message) {
        return call("POST", "/conversations", "{\"customer_name\":\"" + customerName + "\",\"message\":\"" + message + "\"}")
                .path("conversation_uuid").asText();
    }

    /** A customer opens a conversation, with a first message or (null) without; returns its summary. */
    public JsonNode open(String customerName, String message) {
        return call("POST", "/conversations", message == null ? "{\"customer_name\":\"" + customerName + "\"}"
                : "{\"customer_name\":\"" + customerName + "\",\"message\":\"" + message + "\"}");
    }

    public JsonNode addAgentMessage(String conversationUuid, String body) {
        return call("POST", "/conversations/" + conversationUuid + "/messages",
                "{\"body\":\"" + body + "\",\"author\":\"agent\"}");
    }

    /** Forgets every conversation and recorded request, and turns faults off. */
    public void reset() {
        call("POST", "/reset", "");
    }

    public JsonNode addCustomerMessage(String conversationUuid, String body) {
        return call("POST", "/conversations/" + conversationUuid + "/messages", "{\"body\":\"" + body + "\"}");
    }

    public JsonNode close(String conversationUuid) {
        return call("POST", "/conversations/" + conversationUuid + "/close", "");
    }

    public void faults(String json) {
        call("PUT", "/faults", json);
    }

    /** Rotates the credentials the sandbox accepts, e.g. {@code {"api_key":"new-key"}}. */
    public void credentials(String json) {
        call("PUT", "/credentials", json);
    }

    private JsonNode call(String method, String path, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json").build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // The JDK client sometimes drops the answer on a pooled connection ("header parser received no
                // bytes"). The call is sent once more; the sandbox may have done the first one too, so a POST can
                // open a second conversation, which the benchmark tolerates (docs/BENCHMARKS.md).
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
