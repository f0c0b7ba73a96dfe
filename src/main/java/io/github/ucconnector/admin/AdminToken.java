package io.github.ucconnector.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;

import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token every admin request must present. Compared in constant time, as SHA-256 digests so that not even
 * the token's length shows in the time an answer takes. A refused request is logged in one line, without the token.
 */
public final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    private static final String BEARER = "Bearer ";

    /** The configured token; {@code null} when there is none, and every request is refused. */
    private final Supplier<String> token;

    /** @param token the configured token; a file is re-read when it changes (see {@code CredentialFile}) */
    public AdminToken(Supplier<String> token) {
        this.token = token;
    }

    /** No admin token is configured: no request is accepted (and the admin routes do not even start). */
    public static AdminToken none() {
        return new AdminToken(null);
    }

    /**
     * Route step: whether the request must be refused (401), logging why.
     *
     * @param authorization the request's {@code Authorization} header
     */
    public boolean refuses(@Header("Authorization") String authorization, @Header("CamelHttpMethod") String method,
            @Header("CamelHttpPath") String path) {
        String reason = null;
        if (token == null) {
            reason = "no admin token is configured";
        } else if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            reason = "no bearer token";
        } else if (!matches(authorization.substring(BEARER.length()).strip())) {
            reason = "wrong bearer token";
        }
        if (reason != null) {
            LOG.warn("Admin request {} {} refused (401): {}", method, path, reason);
        }
        return reason != null;
    }

    private boolean matches(String presented) {
        return MessageDigest.isEqual(sha256(presented), sha256(token.get()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "AdminToken[******]";
    }
}
