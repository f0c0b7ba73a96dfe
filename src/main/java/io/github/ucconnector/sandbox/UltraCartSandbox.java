package io.github.ucconnector.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationAgentAuthMerchant;
import io.github.ucconnector.api.model.ConversationAgentAuthResponse;
import io.github.ucconnector.api.model.ConversationJoinRequest;
import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrlResponse;
import io.github.ucconnector.api.model.ConversationResponse;
import io.github.ucconnector.api.model.ConversationStartRequest;
import io.github.ucconnector.api.model.ConversationStartResponse;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.api.model.ConversationTwilioAccount;
import io.github.ucconnector.api.model.ConversationsResponse;
import io.github.ucconnector.api.model.Error;
import io.github.ucconnector.api.model.ErrorResponse;
import io.github.ucconnector.api.model.ResponseMetadata;
import io.github.ucconnector.api.model.ResultSet;

/**
 * A local HTTP server that behaves like UltraCart's Conversation REST API ({@code /rest/v2}) for the seven operations
 * the connector uses, with in-memory conversations, plus admin endpoints under {@code /sandbox} to play the customer,
 * inject faults and inspect the requests received. See {@code docs/SANDBOX.md}.
 *
 * <p>Thread-safe; answers requests concurrently on a small pool of daemon threads. Listens on
 * {@link SandboxOptions#bindAddress()}: the loopback interface unless told otherwise.
 */
public final class UltraCartSandbox implements AutoCloseable {

    static final String API_VERSION = "2017-03-01";
    private static final String API_PREFIX = "/rest/v2";
    private static final String ADMIN_PREFIX = "/sandbox";
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final int THREADS = 32;
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_RECORDED_REQUESTS = 10_000;
    private static final int DEFAULT_LIST_LIMIT = 100;
    private static final int MAX_LIST_LIMIT = 200;
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{1,10}");
    private static final Set<String> MEDIUMS = Set.of("sms", "websocket");
    private static final Set<String> SECRET_HEADERS = Set.of(
            "x-ultracart-simple-key", "authorization", "x-ultracart-browser-key", "proxy-authorization", "cookie");
    private static final ResponseMetadata NO_METADATA = new ResponseMetadata(null, null);

    /** Created on first use, so that {@link #start} stays fast. */
    private static final class Lazy {
        static final SecureRandom RANDOM = new SecureRandom();
        static final ObjectMapper JSON = JsonMapper.builder()
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Replaced as a whole when the accepted credentials change (key rotation, {@code PUT /sandbox/credentials}). */
    private volatile SandboxOptions options;
    private final int port;
    /** Host part of the URLs the sandbox hands out: localhost unless bound to one specific non-loopback address. */
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpServer server;
    private final ExecutorService executor;
    private final ConversationStore store = new ConversationStore();
    private final TrafficControl traffic = new TrafficControl();
    private final List<RecordedEntry> recorded = new ArrayList<>();

    private UltraCartSandbox(SandboxOptions options, HttpServer server, ExecutorService executor) {
        this.options = options;
        this.port = server.getAddress().getPort();
        this.host = urlHost(server.getAddress().getAddress());
        this.server = server;
        this.executor = executor;
    }

    /** Starts a sandbox on the options' bind address (loopback by default); port 0 picks any free port. */
    public static UltraCartSandbox start(SandboxOptions options) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per call.
        // The JDK reads this property once, when its first HttpServer is created in the JVM.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(options.bindAddress()), options.port()), 64);
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "ultracart-sandbox-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        UltraCartSandbox sandbox = new UltraCartSandbox(options, server, executor);
        server.createContext("/", sandbox::handle);
        server.setExecutor(executor);
        server.start();
        return sandbox;
    }

    public int port() {
        return port;
    }

    /** {@code http://localhost:<port>/rest/v2}; the bound address instead of localhost if not loopback or 0.0.0.0. */
    public String baseUrl() {
        return origin() + API_PREFIX;
    }

    /** Every API request received (not admin calls), in arrival order; at most the latest 10,000. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            List<RecordedRequest> copy = new ArrayList<>(recorded.size());
            for (RecordedEntry entry : recorded) {
                copy.add(entry.toRecord());
            }
            return List.copyOf(copy);
        }
    }

    public void clearRequests() {
        synchronized (recorded) {
            recorded.clear();
        }
    }

    /**
     * From now on accepts only these credentials, as UltraCart does once a key is rotated or a token replaced;
     * {@code null} turns that method off.
     *
     * @throws IllegalArgumentException when neither is given or one is blank
     */
    public void acceptCredentials(String apiKey, String oauthToken) {
        SandboxOptions current = options;
        options = new SandboxOptions(current.port(), apiKey, oauthToken, current.bindAddress());
    }

    /** Stops the server at once; requests still held (latency, timeout faults) are abandoned. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "UltraCartSandbox[" + baseUrl() + "]";
    }

    private String origin() {
        return "http://" + host + ":" + port();
    }

    private static String urlHost(InetAddress bound) {
        if (bound.isAnyLocalAddress() || bound.isLoopbackAddress()) {
            return "localhost";
        }
        String literal = bound.getHostAddress();
        return literal.contains(":") ? "[" + literal.replaceFirst("%.*$", "") + "]" : literal;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Dispatch

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals(ADMIN_PREFIX + "/uploads") || path.startsWith(ADMIN_PREFIX + "/uploads/")) {
                send(exchange, upload(exchange, path));
                return;
            }
            byte[] body = readBody(exchange);
            if (body == null) {
                exchange.getResponseHeaders().set("Connection", "close");
                send(exchange, Reply.error(400, "request body too large (more than " + MAX_BODY_BYTES + " bytes)"));
            } else if (path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/")) {
                handleApi(exchange, path.substring(API_PREFIX.length()), body);
            } else if (path.equals(ADMIN_PREFIX) || path.startsWith(ADMIN_PREFIX + "/")) {
                send(exchange, safely(() -> admin(exchange.getRequestMethod(), path.substring(ADMIN_PREFIX.length()), body)));
            } else {
                send(exchange, Reply.error(404, "unknown path " + path + "; the API is under " + API_PREFIX
                        + " and the sandbox admin endpoints under " + ADMIN_PREFIX));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the sandbox is closing
        } catch (IOException | RuntimeException e) {
            // the client went away or the server is stopping: nothing to answer
        }
    }

    private void handleApi(HttpExchange exchange, String apiPath, byte[] body) throws IOException, InterruptedException {
        RecordedEntry entry = record(exchange, body);
        Reply refusal = checkAuthAndVersion(exchange.getRequestHeaders());
        if (refusal != null) {
            answer(exchange, entry, refusal);
            return;
        }
        TrafficControl.Admission admission = traffic.admit();
        if (!admission.admitted()) {
            answer(exchange, entry, Reply.error(429, admission.refusal()));
            return;
        }
        Reply reply;
        try {
            FaultSettings settings = admission.settings();
            if (settings.latencyMs() > 0) {
                Thread.sleep(settings.latencyMs());
            }
            String fault = TrafficControl.drawFault(settings);
            reply = fault != null
                    ? fault(fault, settings)
                    : safely(() -> api(exchange.getRequestMethod(), apiPath, exchange.getRequestURI().getRawQuery(), body));
        } finally {
            // The call ends when its answer is ready: a client may send the next one as soon as it has the answer.
            traffic.release();
        }
        answer(exchange, entry, reply);
    }

    /** Authentication first (401), then the API version header (400). */
    private Reply checkAuthAndVersion(Headers headers) {
        String key = headers.getFirst("x-ultracart-simple-key");
        String authorization = headers.getFirst("Authorization");
        SandboxOptions accepted = options;
        boolean keyOk = key != null && accepted.apiKey() != null && secretEquals(key, accepted.apiKey());
        boolean tokenOk = false;
        if (authorization != null && accepted.oauthToken() != null) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                tokenOk = secretEquals(value.substring(7).trim(), accepted.oauthToken());
            }
        }
        if (!keyOk && !tokenOk) {
            return Reply.error(401, key == null && authorization == null
                    ? "missing credentials: send the x-ultracart-simple-key header or Authorization: Bearer <token>"
                    : "invalid credentials supplied");
        }
        String version = headers.getFirst("X-UltraCart-Api-Version");
        if (version == null) {
            return Reply.error(400, "the X-UltraCart-Api-Version header is required; use " + API_VERSION);
        }
        if (!API_VERSION.equals(version.trim())) {
            return Reply.error(400, "unsupported X-UltraCart-Api-Version " + abbreviate(version, 40) + "; use " + API_VERSION);
        }
        return null;
    }

    private static boolean secretEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply fault(String kind, FaultSettings settings) throws InterruptedException {
        Reply reply = switch (kind) {
            case "400" -> Reply.error(400, "simulated bad request: UltraCart rejected the request (sandbox fault injection)");
            case "429" -> Reply.error(429, "rate of 1000 per 3600 second(s) exceeded.");
            case "500" -> Reply.error(500, "simulated internal server error (sandbox fault injection)");
            case "502" -> Reply.error(502, "simulated bad gateway (sandbox fault injection)");
            case "503" -> Reply.error(503, "simulated service unavailable (sandbox fault injection)");
            case "timeout" -> {
                Thread.sleep(settings.timeoutMs());
                yield Reply.error(500, "simulated timeout: the request was held for " + settings.timeoutMs()
                        + " ms (sandbox fault injection)");
            }
            default -> throw new IllegalStateException("unknown fault kind " + kind);
        };
        if (settings.retryAfterSeconds() != null && FaultSettings.RETRY_AFTER_KINDS.contains(kind)) {
            reply = reply.withHeader("Retry-After", settings.retryAfterSeconds().toString());
        }
        return reply.withHeader("X-Sandbox-Fault", kind);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The seven UltraCart operations

    private Reply api(String method, String path, String rawQuery, byte[] body) {
        String[] s = segments(path);
        Map<String, String> query = parseQuery(rawQuery);
        if (s.length == 3 && s[0].equals("conversation") && s[1].equals("agent") && s[2].equals("auth")) {
            requireMethod(method, "PUT");
            return Reply.json(200, agentAuth());
        }
        if (s.length == 2 && s[0].equals("conversation") && s[1].equals("conversations")) {
            requireMethod(method, "GET", "PUT");
            return method.equals("GET") ? listConversations(query) : Reply.json(200, startConversation(body));
        }
        if (s.length == 3 && s[0].equals("conversation") && s[1].equals("conversations") && !s[2].isEmpty()) {
            requireMethod(method, "GET");
            return Reply.json(200, getConversation(s[2], query));
        }
        if (s.length == 4 && s[0].equals("conversation") && s[1].equals("conversations") && !s[2].isEmpty()
                && s[3].equals("join")) {
            requireMethod(method, "PUT");
            ConversationJoinRequest join = readJson(body, ConversationJoinRequest.class, false);
            if (!store.join(s[2], join == null ? null : join.participantLanguageIsoCode())) {
                throw notFound(s[2]);
            }
            return Reply.noContent();
        }
        if (s.length == 4 && s[0].equals("conversation") && s[1].equals("conversations") && !s[2].isEmpty()
                && s[3].equals("leave")) {
            requireMethod(method, "DELETE");
            if (!store.leave(s[2])) {
                throw notFound(s[2]);
            }
            return Reply.noContent();
        }
        if (s.length == 3 && s[0].equals("conversation") && s[1].equals("upload_url")) {
            requireMethod(method, "GET");
            return Reply.json(200, uploadUrl(s[2]));
        }
        throw new SandboxException(404, "no such operation: " + API_PREFIX + path);
    }

    private ConversationAgentAuthResponse agentAuth() {
        ConversationAgentAuth auth = new ConversationAgentAuth(
                true,
                true,
                ConversationStore.AGENT_ARN,
                ConversationStore.AGENT_NAME,
                true,
                ConversationStore.SANDBOX_PHONE,
                List.of(1),
                "sandbox-jwt-" + randomHex(24),
                ConversationStore.MERCHANT_ID,
                List.of(new ConversationAgentAuthMerchant("Sandbox Demo Store", true, ConversationStore.MERCHANT_ID)),
                ConversationStore.MERCHANT_ID,
                false,
                "sandbox-pbx-jwt-" + randomHex(16),
                false,
                true,
                "sandbox-voice-identity-agent-1",
                "sandbox-voice-token-" + randomHex(16),
                "sandbox-worker-token-" + randomHex(16),
                "sandbox-worker-token-v2-" + randomHex(16),
                List.of(new ConversationTwilioAccount(ConversationStore.MERCHANT_ID, List.of(ConversationStore.SANDBOX_PHONE))),
                1001,
                "ws://" + host + ":" + port() + ADMIN_PREFIX + "/websocket");
        return new ConversationAgentAuthResponse(auth, null, NO_METADATA, true, null);
    }

    private Reply listConversations(Map<String, String> query) {
        String medium = query.get("medium");
        if (medium != null && medium.isEmpty()) {
            medium = null;
        }
        if (medium != null && !MEDIUMS.contains(medium)) {
            throw new SandboxException(400, "medium must be sms or websocket, was " + abbreviate(medium, 40));
        }
        // "before" is accepted and ignored: its meaning and format are undocumented.
        int limit = intParameter(query, "_limit", DEFAULT_LIST_LIMIT);
        if (limit < 1) {
            throw new SandboxException(400, "_limit must be at least 1");
        }
        limit = Math.min(limit, MAX_LIST_LIMIT);
        int offset = intParameter(query, "_offset", 0);
        if (offset < 0) {
            throw new SandboxException(400, "_offset must not be negative");
        }
        ConversationStore.Page page = store.list(medium, offset, limit);
        int count = page.conversations().size();
        boolean more = (long) offset + count < page.total();
        ResultSet resultSet = new ResultSet(count, limit, more, offset + count, offset, page.total());
        return Reply.json(200, new ConversationsResponse(page.conversations(), null,
                new ResponseMetadata("conversations", resultSet), true, null));
    }

    private ConversationStartResponse startConversation(byte[] body) {
        ConversationStartRequest request = readJson(body, ConversationStartRequest.class, true);
        List<String> arns = request.addConversationParticipantArns();
        if (arns != null && arns.stream().anyMatch(arn -> arn == null || arn.isBlank())) {
            throw new SandboxException(400, "add_conversation_participant_arns must not contain empty values");
        }
        return new ConversationStartResponse(store.start(arns, request.conversationArn()));
    }

    private ConversationResponse getConversation(String uuid, Map<String, String> query) {
        Integer limit = query.containsKey("limit") ? intParameter(query, "limit", 0) : null;
        if (limit != null && limit < 1) {
            throw new SandboxException(400, "limit must be at least 1");
        }
        Conversation conversation = store.get(uuid, limit);
        if (conversation == null) {
            throw notFound(uuid);
        }
        return new ConversationResponse(conversation, null, NO_METADATA, true, null);
    }

    private ConversationMultimediaUploadUrlResponse uploadUrl(String extension) {
        if (!EXTENSION.matcher(extension).matches()) {
            throw new SandboxException(400, "extension must be 1 to 10 letters or digits (without a dot), was "
                    + abbreviate(extension, 40));
        }
        String key = "sandbox/uploads/" + UUID.randomUUID() + "." + extension;
        String url = origin() + "/" + key + "?X-Amz-Signature=" + randomHex(32) + "&X-Amz-Expires=900";
        return new ConversationMultimediaUploadUrlResponse(new ConversationMultimediaUploadUrl(key, url), null,
                NO_METADATA, true, null);
    }

    /** UltraCart declares no 404; an unknown conversation is a bad request. */
    private static SandboxException notFound(String uuid) {
        return new SandboxException(400, "conversation not found: " + abbreviate(uuid, 60));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Admin endpoints (not part of UltraCart)

    record NewConversation(
            @JsonProperty("customer_name") String customerName,
            @JsonProperty("medium") String medium,
            @JsonProperty("message") String message) {
    }

    record NewMessage(@JsonProperty("body") String body, @JsonProperty("author") String author) {
    }

    record NewCredentials(@JsonProperty("api_key") String apiKey, @JsonProperty("oauth_token") String oauthToken) {
    }

    private Reply admin(String method, String path, byte[] body) {
        String[] s = segments(path);
        if (s.length == 1 && s[0].equals("conversations")) {
            requireMethod(method, "POST");
            NewConversation request = readAdminJson(body, NewConversation.class);
            String medium = request == null || request.medium() == null ? "websocket" : request.medium();
            if (!MEDIUMS.contains(medium)) {
                throw new SandboxException(400, "medium must be sms or websocket");
            }
            return Reply.json(201, store.openByCustomer(request == null ? null : request.customerName(), medium,
                    request == null ? null : request.message()));
        }
        if (s.length == 3 && s[0].equals("conversations") && s[2].equals("messages")) {
            requireMethod(method, "POST");
            NewMessage request = readAdminJson(body, NewMessage.class);
            if (request == null || request.body() == null) {
                throw new SandboxException(400, "body is required, e.g. {\"body\": \"Hello\", \"author\": \"customer\"}");
            }
            String author = request.author() == null ? "customer" : request.author();
            if (!author.equals("customer") && !author.equals("agent")) {
                throw new SandboxException(400, "author must be customer or agent");
            }
            ConversationMessage message = store.addMessage(s[1], author.equals("agent"), request.body());
            if (message == null) {
                throw new SandboxException(404, "conversation not found: " + abbreviate(s[1], 60));
            }
            return Reply.json(201, message);
        }
        if (s.length == 3 && s[0].equals("conversations") && s[2].equals("close")) {
            requireMethod(method, "POST");
            ConversationSummary summary = store.close(s[1]);
            if (summary == null) {
                throw new SandboxException(404, "conversation not found: " + abbreviate(s[1], 60));
            }
            return Reply.json(200, summary);
        }
        if (s.length == 1 && s[0].equals("faults")) {
            requireMethod(method, "GET", "PUT");
            if (method.equals("PUT")) {
                FaultSettings requested = readAdminJson(body, FaultSettings.class);
                traffic.configure(requested == null ? FaultSettings.OFF : requested.normalized());
            }
            return Reply.json(200, traffic.settings());
        }
        if (s.length == 1 && s[0].equals("credentials")) {
            // PUT only: the sandbox never shows a credential, not even its own.
            requireMethod(method, "PUT");
            NewCredentials request = readAdminJson(body, NewCredentials.class);
            try {
                acceptCredentials(request == null ? null : request.apiKey(),
                        request == null ? null : request.oauthToken());
            } catch (IllegalArgumentException e) {
                throw new SandboxException(400, e.getMessage());
            }
            return Reply.noContent();
        }
        if (s.length == 1 && s[0].equals("requests")) {
            requireMethod(method, "GET", "DELETE");
            if (method.equals("DELETE")) {
                clearRequests();
                return Reply.noContent();
            }
            return Reply.json(200, requests());
        }
        if (s.length == 1 && s[0].equals("reset")) {
            requireMethod(method, "POST");
            store.clear();
            clearRequests();
            traffic.reset();
            return Reply.noContent();
        }
        if (s.length == 1 && s[0].equals("websocket")) {
            throw new SandboxException(501, "the sandbox does not emulate UltraCart's agent websocket");
        }
        throw new SandboxException(404, "no such sandbox endpoint: " + ADMIN_PREFIX + path);
    }

    /** The presigned upload URL target: accepts and discards the uploaded bytes. */
    private Reply upload(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestMethod().equals("PUT")) {
            readBody(exchange);
            return Reply.error(405, "upload with PUT").withHeader("Allow", "PUT");
        }
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return new Reply(200, null, Map.of("ETag", "\"" + randomHex(16) + "\""));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests and replies

    private interface ReplySupplier {
        Reply get();
    }

    /** Turns a {@link SandboxException} into its error reply, and anything unexpected into a 500. */
    private static Reply safely(ReplySupplier supplier) {
        try {
            return supplier.get();
        } catch (SandboxException e) {
            Reply reply = Reply.error(e.status(), e.getMessage());
            for (Map.Entry<String, String> header : e.headers().entrySet()) {
                reply = reply.withHeader(header.getKey(), header.getValue());
            }
            return reply;
        } catch (RuntimeException e) {
            return Reply.error(500, "internal sandbox error: " + e.getClass().getSimpleName());
        }
    }

    private static void requireMethod(String method, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        String allow = String.join(", ", allowed);
        throw new SandboxException(405, "method " + method + " is not allowed here; use " + allow, Map.of("Allow", allow));
    }

    private static <T> T readJson(byte[] body, Class<T> type, boolean required) {
        return readJson(body, type, required, false);
    }

    private static <T> T readAdminJson(byte[] body, Class<T> type) {
        return readJson(body, type, false, true);
    }

    private static <T> T readJson(byte[] body, Class<T> type, boolean required, boolean strict) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            if (required) {
                throw new SandboxException(400, "a JSON request body is required");
            }
            return null;
        }
        try {
            ObjectReader reader = Lazy.JSON.readerFor(type);
            if (strict) {
                reader = reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            }
            T value = reader.readValue(body);
            if (value == null && required) {
                throw new SandboxException(400, "a JSON request body is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new SandboxException(400, "unknown field \"" + abbreviate(e.getPropertyName(), 40)
                    + "\"; known fields: " + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw new SandboxException(400, "invalid JSON in request body: " + abbreviate(e.getOriginalMessage(), 200));
        } catch (IOException e) {
            throw new SandboxException(400, "unreadable request body");
        }
    }

    private static int intParameter(Map<String, String> query, String name, int defaultValue) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new SandboxException(400, name + " must be an integer, was " + abbreviate(value, 40));
        }
    }

    /** Path segments, percent-decoded; keeps empty segments so that "//" and a trailing "/" match nothing. */
    private static String[] segments(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return new String[0];
        }
        String[] raw = path.substring(1).split("/", -1);
        String[] decoded = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            decoded[i] = decode(raw[i].replace("+", "%2B"));
        }
        return decoded;
    }

    /** The first value of each query parameter, decoded. */
    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.putIfAbsent(name, value);
        }
        return result;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SandboxException(400, "malformed percent-encoding in the request URL");
        }
    }

    /** Reads the whole body; null when it is larger than allowed. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private RecordedEntry record(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            headers.put(lower, SECRET_HEADERS.contains(lower) ? "****" : String.join(", ", values));
        });
        String query = exchange.getRequestURI().getRawQuery();
        RecordedEntry entry = new RecordedEntry(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                query == null ? "" : query, Map.copyOf(headers), new String(body, StandardCharsets.UTF_8));
        synchronized (recorded) {
            if (recorded.size() >= MAX_RECORDED_REQUESTS) {
                recorded.remove(0);
            }
            recorded.add(entry);
        }
        return entry;
    }

    private static void answer(HttpExchange exchange, RecordedEntry entry, Reply reply) throws IOException {
        entry.status = reply.status();
        send(exchange, reply);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        reply.headers().forEach(headers::set);
        if (reply.body() == null || exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        headers.set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        Lazy.RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Shortens text from a request before it goes into an error message, and keeps it printable. */
    private static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        String single = text.replaceAll("\\s+", " ").trim();
        return single.length() <= max ? single : single.substring(0, max) + "...";
    }

    /** A recorded API request whose status is set when the sandbox answers. */
    private static final class RecordedEntry {
        final String method;
        final String path;
        final String query;
        final Map<String, String> headers;
        final String body;
        volatile int status;

        RecordedEntry(String method, String path, String query, Map<String, String> headers, String body) {
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = headers;
            this.body = body;
        }

        RecordedRequest toRecord() {
            return new RecordedRequest(method, path, query, headers, body, status);
        }
    }

    /** An answer: status, JSON body (null for none) and extra headers. */
    record Reply(int status, byte[] body, Map<String, String> headers) {

        static Reply json(int status, Object value) {
            try {
                return new Reply(status, Lazy.JSON.writeValueAsBytes(value), Map.of());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
        }

        static Reply noContent() {
            return new Reply(204, null, Map.of());
        }

        /** UltraCart's error shape: UC-REST-ERROR header plus an ErrorResponse body. */
        static Reply error(int status, String message) {
            String text = headerSafe(message);
            ErrorResponse body = new ErrorResponse(new Error(text, String.valueOf(status), null, null, text), NO_METADATA,
                    false, null);
            return json(status, body).withHeader("UC-REST-ERROR", text);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, body, Map.copyOf(more));
        }

        private static String headerSafe(String text) {
            StringBuilder safe = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                safe.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
            return safe.toString();
        }
    }
}
