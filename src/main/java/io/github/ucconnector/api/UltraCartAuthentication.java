package io.github.ucconnector.api;

import java.util.function.Supplier;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHeaders;

/**
 * Configures the HTTP client of one API endpoint: every request passes the {@link CredentialsGate}, draws from the
 * shared {@link ApiBudget} and gets
 * UltraCart's authentication and version headers inside the client, so the API key or OAuth token never becomes an
 * exchange header that a route could log or publish.
 */
public final class UltraCartAuthentication implements HttpClientConfigurer {

    public static final String API_VERSION_HEADER = "X-UltraCart-Api-Version";
    public static final String API_VERSION = "2017-03-01";
    public static final String SIMPLE_KEY_HEADER = "x-ultracart-simple-key";
    private static final String JSON = "application/json";

    /** Asked on every request, so a credential that changes (see {@link CredentialFile}) is used at once. */
    private final Supplier<String> apiKey;
    private final Supplier<String> oauthToken;
    private final ApiBudget budget;
    private final CredentialsGate gate;
    private final ApiBudget.Priority priority;

    private UltraCartAuthentication(Supplier<String> apiKey, Supplier<String> oauthToken, ApiBudget budget, CredentialsGate gate,
            ApiBudget.Priority priority) {
        this.apiKey = apiKey;
        this.oauthToken = oauthToken;
        this.budget = budget;
        this.gate = gate;
        this.priority = priority;
    }

    public static UltraCartAuthentication simpleKey(Supplier<String> apiKey, ApiBudget budget, CredentialsGate gate,
            ApiBudget.Priority priority) {
        return new UltraCartAuthentication(apiKey, null, budget, gate, priority);
    }

    public static UltraCartAuthentication oauthToken(Supplier<String> token, ApiBudget budget, CredentialsGate gate,
            ApiBudget.Priority priority) {
        return new UltraCartAuthentication(null, token, budget, gate, priority);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // Retries are the routes' business (classified, budgeted, with backoff); the client must not add its own.
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("ultracart-api-budget", (request, scope, chain) -> {
            try {
                gate.beforeCall(priority);
                try (ApiBudget.Permit permit = budget.acquire(priority)) {
                    ClassicHttpResponse response = chain.proceed(request, scope);
                    budget.onAnswer(response.getCode(),
                            RetryAfter.parse(response.getFirstHeader(HttpHeaders.RETRY_AFTER)));
                    gate.onAnswer(response.getCode());
                    return response;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the API budget");
            }
        });
        builder.addRequestInterceptorLast((request, entity, context) -> {
            if (apiKey != null) {
                request.setHeader(SIMPLE_KEY_HEADER, apiKey.get());
            } else {
                request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + oauthToken.get());
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
        return (apiKey != null ? "UltraCart simple key" : "UltraCart OAuth token") + " (masked), " + priority + " priority";
    }
}
