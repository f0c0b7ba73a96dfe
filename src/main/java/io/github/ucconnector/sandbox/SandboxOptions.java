package io.github.ucconnector.sandbox;

/**
 * How to start an {@link UltraCartSandbox}.
 *
 * @param port        TCP port; 0 picks any free port
 * @param apiKey      the value the sandbox accepts in {@code x-ultracart-simple-key}; {@code null} disables simple-key auth
 * @param oauthToken  the token the sandbox accepts in {@code Authorization: Bearer <token>}; {@code null} disables OAuth
 * @param bindAddress the address to listen on, an IP address or host name: {@link #DEFAULT_BIND_ADDRESS} (loopback
 *                    only) unless other hosts or containers must reach the sandbox ({@code 0.0.0.0}: every interface)
 */
public record SandboxOptions(int port, String apiKey, String oauthToken, String bindAddress) {

    public static final String DEFAULT_API_KEY = "sandbox-simple-key";
    public static final String DEFAULT_OAUTH_TOKEN = "sandbox-oauth-token";
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    public SandboxOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (bindAddress == null || bindAddress.isBlank() || !bindAddress.strip().equals(bindAddress)) {
            throw new IllegalArgumentException("bindAddress must be an IP address or host name, was '" + bindAddress + "'");
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

    /** Loopback only ({@link #DEFAULT_BIND_ADDRESS}), as before the bind address could be chosen. */
    public SandboxOptions(int port, String apiKey, String oauthToken) {
        this(port, apiKey, oauthToken, DEFAULT_BIND_ADDRESS);
    }

    /** The given port with {@link #DEFAULT_API_KEY} and {@link #DEFAULT_OAUTH_TOKEN}, on the loopback address. */
    public static SandboxOptions defaults(int port) {
        return new SandboxOptions(port, DEFAULT_API_KEY, DEFAULT_OAUTH_TOKEN);
    }

    /** A copy listening on another address, e.g. {@code 0.0.0.0} in a container. */
    public SandboxOptions withBindAddress(String address) {
        return new SandboxOptions(port, apiKey, oauthToken, address);
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
        return "SandboxOptions[port=" + port + ", bindAddress=" + bindAddress
                + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", oauthToken=" + (oauthToken == null ? "none" : "****") + "]";
    }
}
