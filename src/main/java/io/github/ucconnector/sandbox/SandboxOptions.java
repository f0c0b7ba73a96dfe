package io.github.ucconnector.sandbox;

/**
 * How to start an {@link UltraCartSandbox}.
 *
 * @param port       TCP port on the loopback interface; 0 picks any free port
 * @param apiKey     the value the sandbox accepts in {@code x-ultracart-simple-key}; {@code null} disables simple-key auth
 * @param oauthToken the token the sandbox accepts in {@code Authorization: Bearer <token>}; {@code null} disables OAuth
 */
public record SandboxOptions(int port, String apiKey, String oauthToken) {

    public static final String DEFAULT_API_KEY = "sandbox-simple-key";
    public static final String DEFAULT_OAUTH_TOKEN = "sandbox-oauth-token";

    public SandboxOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (apiKey == null && oauthToken == null) {
            throw new IllegalArgumentException("the sandbox needs an API key or an OAuth token (or both)");
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        if (oauthToken != null && oauthToken.isBlank()) {
            throw new IllegalArgumentException("oauthToken must not be blank");
        }
    }

    /** The given port with {@link #DEFAULT_API_KEY} and {@link #DEFAULT_OAUTH_TOKEN}. */
    public static SandboxOptions defaults(int port) {
        return new SandboxOptions(port, DEFAULT_API_KEY, DEFAULT_OAUTH_TOKEN);
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
        return "SandboxOptions[port=" + port + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", oauthToken=" + (oauthToken == null ? "none" : "****") + "]";
    }
}
