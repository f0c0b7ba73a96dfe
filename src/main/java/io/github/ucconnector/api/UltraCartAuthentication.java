package io.github.ucconnector.api;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;

/**
 * Adds UltraCart's authentication and version headers to every API request inside the HTTP client, so the API key
 * or OAuth token never becomes an exchange header that a route could log or publish.
 */
public final class UltraCartAuthentication implements HttpClientConfigurer {

    public static final String API_VERSION_HEADER = "X-UltraCart-Api-Version";
    public static final String API_VERSION = "2017-03-01";
    public static final String SIMPLE_KEY_HEADER = "x-ultracart-simple-key";
    private static final String JSON = "application/json";

    private final String apiKey;
    private final String oauthToken;

    private UltraCartAuthentication(String apiKey, String oauthToken) {
        this.apiKey = apiKey;
        this.oauthToken = oauthToken;
    }

    public static UltraCartAuthentication simpleKey(String apiKey) {
        return new UltraCartAuthentication(apiKey, null);
    }

    public static UltraCartAuthentication oauthToken(String token) {
        return new UltraCartAuthentication(null, token);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorLast((request, entity, context) -> {
            if (apiKey != null) {
                request.setHeader(SIMPLE_KEY_HEADER, apiKey);
            } else {
                request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + oauthToken);
            }
            request.setHeader(API_VERSION_HEADER, API_VERSION);
            request.setHeader(HttpHeaders.ACCEPT, JSON);
            // UltraCart's SDKs send a JSON content type on every call, with or without a body.
            if (!request.containsHeader(HttpHeaders.CONTENT_TYPE)) {
                request.setHeader(HttpHeaders.CONTENT_TYPE, JSON);
            }
        });
    }

    @Override
    public String toString() {
        return apiKey != null ? "UltraCart simple key (masked)" : "UltraCart OAuth token (masked)";
    }
}
