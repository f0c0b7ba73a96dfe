package io.github.ucconnector.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.function.Supplier;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * Configures the HTTP client of one API endpoint: every request passes the {@link ApiGate}, draws from the
 * shared {@link ApiBudget}, is timed for the {@link ApiMeters} and gets
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
    private final ApiGate gate;
    private final ApiBudget.Priority priority;
    private final ApiMeters metrics;

    private UltraCartAuthentication(Supplier<String> apiKey, Supplier<String> oauthToken, ApiBudget budget,
            ApiGate gate, ApiBudget.Priority priority, ApiMeters metrics) {
        this.apiKey = apiKey;
        this.oauthToken = oauthToken;
        this.budget = budget;
        this.gate = gate;
        this.priority = priority;
        this.metrics = metrics;
    }

    public static UltraCartAuthentication simpleKey(Supplier<String> apiKey, ApiBudget budget, ApiGate gate,
            ApiBudget.Priority priority, ApiMeters metrics) {
        return new UltraCartAuthentication(apiKey, null, budget, gate, priority, metrics);
    }

    public static UltraCartAuthentication oauthToken(Supplier<String> token, ApiBudget budget, ApiGate gate,
            ApiBudget.Priority priority, ApiMeters metrics) {
        return new UltraCartAuthentication(null, token, budget, gate, priority, metrics);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // Retries are the routes' business (classified, budgeted, with backoff); the client adds none of its own,
        // but for the one below: a call refused only because of a call the connector itself gave up on.
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("ultracart-api-budget", (request, scope, chain) -> {
            String caller = ApiRequest.exchangeIdOf(scope.clientContext).orElse(null);
            boolean probe = false;
            try {
                probe = gate.beforeCall(priority);
                ClassicHttpResponse response;
                try {
                    response = budgetedCall(request, scope, chain);
                } catch (IOException e) {
                    gate.onNoAnswer(caller);
                    throw e;
                }
                if (response.getCode() == 429 && isRepeatable(scope.originalRequest)
                        && budget.collidedWithAbandonedCall()) {
                    // Refused beside a call this connector gave up on, before it did anything: not the command's
                    // failure, so it is sent once more, after the grace period, without using one of its retries.
                    // The chain adds protocol headers to the request it is given, so the copy starts afresh.
                    EntityUtils.consume(response.getEntity());
                    response.close();
                    response = budgetedCall(ClassicRequestBuilder.copy(scope.originalRequest).build(), scope, chain);
                }
                budget.onAnswer(response.getCode(), RetryAfter.parse(response.getFirstHeader(HttpHeaders.RETRY_AFTER)));
                gate.onAnswer(response.getCode(), caller);
                return response;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the API budget");
            } finally {
                gate.afterCall(probe);
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

    /** Waits for the budget, then makes the call and times it (without the wait) by operation and status. */
    private ClassicHttpResponse budgetedCall(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException, InterruptedException {
        try (ApiBudget.Permit permit = budget.acquire(priority)) {
            ApiOperation operation = ApiRequest.operationOf(scope.clientContext).orElse(null);
            long start = System.nanoTime();
            try {
                ClassicHttpResponse response = chain.proceed(request, scope);
                metrics.apiCall(operation, priority, Integer.toString(response.getCode()), System.nanoTime() - start);
                return response;
            } catch (IOException | HttpException e) {
                metrics.apiCall(operation, priority, noAnswer(e), System.nanoTime() - start);
                if (e instanceof SocketTimeoutException) {
                    // The request was sent and no answer came in time: UltraCart may still be working on it.
                    budget.onAbandoned();
                }
                throw e;
            }
        }
    }

    private static boolean isRepeatable(ClassicHttpRequest request) {
        return request.getEntity() == null || request.getEntity().isRepeatable();
    }

    /** The status tag of a call that got no answer: its {@link FailureCategory}, as {@link FailureClassifier} says. */
    private static String noAnswer(Exception e) {
        // Read and connect timeouts are both InterruptedIOExceptions.
        return (e instanceof InterruptedIOException ? FailureCategory.TIMEOUT : FailureCategory.CONNECTION_ERROR).id();
    }

    @Override
    public String toString() {
        return (apiKey != null ? "UltraCart simple key" : "UltraCart OAuth token") + " (masked), " + priority + " priority";
    }
}
