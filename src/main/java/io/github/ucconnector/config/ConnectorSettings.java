package io.github.ucconnector.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The resolved, validated settings of one connector run. Built once at start-up so that a wrong value stops the
 * connector with a clear message instead of failing on the first record.
 */
public final class ConnectorSettings {

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** An IPv4 or IPv6 literal or a host name; whether it resolves is seen when the sandbox starts. */
    private static final Pattern BIND_ADDRESS = Pattern.compile("[a-zA-Z0-9.:%_\\[\\]-]{1,255}");
    private static final List<Setting> TOPICS = Arrays.stream(Setting.values()).filter(Setting::namesTopic).toList();
    private static final List<Setting> POSITIVE_NUMBERS = List.of(Setting.KAFKA_POLL_TIMEOUT_MS,
            Setting.KAFKA_MAX_POLL_RECORDS, Setting.KAFKA_POLL_TIME_LIMIT_MS, Setting.KAFKA_MAX_POLL_INTERVAL_MS,
            Setting.KAFKA_CONSUMERS, Setting.KAFKA_SESSION_TIMEOUT_MS, Setting.ULTRACART_CONNECT_TIMEOUT_MS,
            Setting.ULTRACART_RESPONSE_TIMEOUT_MS, Setting.ULTRACART_RETRY_DELAY_MS, Setting.ULTRACART_RETRY_MAX_DELAY_MS,
            Setting.ULTRACART_MAX_RESPONSE_BYTES, Setting.COMMAND_MAX_BYTES, Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR,
            Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY, Setting.ULTRACART_BUDGET_MAX_CONCURRENT, Setting.POLL_INTERVAL_MS,
            Setting.POLL_FULL_SCAN_INTERVAL_MS, Setting.LEDGER_RETENTION_MS, Setting.ULTRACART_AUTH_RETRY_INTERVAL_MS,
            Setting.ULTRACART_OUTAGE_THRESHOLD, Setting.ULTRACART_OUTAGE_MIN_DURATION_MS, Setting.ULTRACART_OUTAGE_PROBE_INTERVAL_MS,
            Setting.ULTRACART_OUTAGE_PROBE_MAX_INTERVAL_MS);
    private static final List<String> SECURITY_PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512",
            "OAUTHBEARER");
    private static final List<String> STORE_TYPES = List.of("JKS", "PKCS12", "PEM");
    private static final List<Setting> SASL_SETTINGS = List.of(Setting.KAFKA_SASL_MECHANISM,
            Setting.KAFKA_SASL_USERNAME, Setting.KAFKA_SASL_PASSWORD, Setting.KAFKA_SASL_JAAS_CONFIG,
            Setting.KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS, Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL);
    private static final List<Setting> SSL_SETTINGS = List.of(Setting.KAFKA_SSL_TRUSTSTORE_LOCATION,
            Setting.KAFKA_SSL_TRUSTSTORE_PASSWORD, Setting.KAFKA_SSL_TRUSTSTORE_TYPE,
            Setting.KAFKA_SSL_KEYSTORE_LOCATION, Setting.KAFKA_SSL_KEYSTORE_PASSWORD, Setting.KAFKA_SSL_KEYSTORE_TYPE,
            Setting.KAFKA_SSL_KEY_PASSWORD);
    private static final List<Setting> CREDENTIALS = List.of(Setting.ULTRACART_API_KEY,
            Setting.ULTRACART_OAUTH_TOKEN, Setting.ULTRACART_API_KEY_FILE, Setting.ULTRACART_OAUTH_TOKEN_FILE);
    private static final List<Setting> ADMIN_TOKENS = List.of(Setting.MANAGEMENT_ADMIN_TOKEN,
            Setting.MANAGEMENT_ADMIN_TOKEN_FILE);
    /** A token an attacker on the network could guess is no protection. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    /** Far more than any key or token; a larger file is a wrong path, not a credential. */
    public static final int MAX_CREDENTIAL_FILE_BYTES = 16 * 1024;
    private static final List<Setting> PORTS = List.of(Setting.EMBEDDED_KAFKA_PORT, Setting.SANDBOX_PORT,
            Setting.MANAGEMENT_PORT);

    private final Map<Setting, String> values;
    /** The values as they were configured, before {@link #with} put in what the connector started itself. */
    private final Map<Setting, String> configured;

    private ConnectorSettings(Map<Setting, String> values, Map<Setting, String> configured) {
        this.values = values;
        this.configured = configured;
        validate();
    }

    /** Reads every setting from system properties, then the environment, then its default. */
    public static ConnectorSettings fromEnvironment() {
        return resolve(setting -> Optional.ofNullable(System.getProperty(setting.property()))
                .orElseGet(() -> System.getenv(setting.environmentVariable())));
    }

    /** Resolves every setting with the given lookup; {@code null} or blank means "use the default". */
    public static ConnectorSettings resolve(Function<Setting, String> lookup) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String value = lookup.apply(setting);
            values.put(setting, value == null || value.isBlank() ? setting.defaultValue() : value.trim());
        }
        return new ConnectorSettings(values, values);
    }

    /**
     * A copy with one value replaced, e.g. the address of the embedded broker once it runs. The replaced value is
     * not a configured one: {@link #changedSummary()} still shows what was configured.
     */
    public ConnectorSettings with(Setting setting, String value) {
        Map<Setting, String> copy = new EnumMap<>(values);
        copy.put(setting, value);
        return new ConnectorSettings(copy, configured);
    }

    public String get(Setting setting) {
        return values.get(setting);
    }

    public int getInt(Setting setting) {
        return Integer.parseInt(get(setting));
    }

    public boolean isSet(Setting setting) {
        return !get(setting).isEmpty();
    }

    public Optional<Integer> optionalInt(Setting setting) {
        return isSet(setting) ? Optional.of(getInt(setting)) : Optional.empty();
    }

    /** True when no UltraCart credential (value or file) is configured: the connector then talks to the sandbox. */
    public boolean usesSandbox() {
        return CREDENTIALS.stream().noneMatch(this::isSet);
    }

    public boolean usesEmbeddedKafka() {
        return !isSet(Setting.KAFKA_BOOTSTRAP_SERVERS);
    }

    /** Non-secret settings as Camel property placeholders ({@code {{topic.events}}} and so on). */
    public Map<String, String> placeholders() {
        Map<String, String> placeholders = new java.util.LinkedHashMap<>();
        values.forEach((setting, value) -> {
            if (!setting.secret()) {
                placeholders.put(setting.property(), value);
            }
        });
        return placeholders;
    }

    /** One line per setting, with the value in use, secrets masked. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        values.forEach((setting, value) -> lines.add(line(setting, value)));
        return lines;
    }

    /** One line per setting configured to something else than its default, secrets masked. */
    public List<String> changedSummary() {
        List<String> lines = new ArrayList<>();
        configured.forEach((setting, value) -> {
            if (!value.equals(setting.defaultValue())) {
                lines.add(line(setting, value));
            }
        });
        return lines;
    }

    private static String line(Setting setting, String value) {
        return setting.property() + " = " + (setting.secret() ? mask(value) : value);
    }

    static String mask(String secret) {
        return secret.isEmpty() ? "(not set)" : "****** (" + secret.length() + " characters)";
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        for (Setting setting : POSITIVE_NUMBERS) {
            requireInt(setting, 1, Integer.MAX_VALUE, problems);
        }
        for (Setting setting : PORTS) {
            requireInt(setting, 0, 65535, problems);
        }
        // The limit only bounds when a poll's commands stop calling; the call under way then still has to end.
        if (problems.isEmpty()
                && getInt(Setting.KAFKA_POLL_TIME_LIMIT_MS) >= getInt(Setting.KAFKA_MAX_POLL_INTERVAL_MS)) {
            problems.add(Setting.KAFKA_POLL_TIME_LIMIT_MS.property() + " must be below "
                    + Setting.KAFKA_MAX_POLL_INTERVAL_MS.property() + ", or a consumer leaves its group in a long poll");
        }
        requireInt(Setting.ULTRACART_MAX_RETRIES, 0, 100, problems);
        requireInt(Setting.ULTRACART_BUDGET_POLL_RESERVE, 0, Integer.MAX_VALUE, problems);
        if (isSet(Setting.ULTRACART_TIMED_OUT_CALL_GRACE_MS)) {
            requireInt(Setting.ULTRACART_TIMED_OUT_CALL_GRACE_MS, 0, Integer.MAX_VALUE, problems);
        }
        // Half of it becomes a Kafka session timeout, and a third of that the heartbeat interval.
        requireInt(Setting.POLL_FAILOVER_TIMEOUT_MS, 2000, 3_600_000, problems);
        requireInt(Setting.ULTRACART_BUDGET_INSTANCES, 1, 10_000, problems);
        requireBudgetShare(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR, problems);
        requireBudgetShare(Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY, problems);
        requireBoolean(Setting.POLL_ENABLED, problems);
        requireOneOf(Setting.POLL_ENRICH, List.of("auto", "always", "never"), problems);
        requireBoolean(Setting.POLL_BACKFILL, problems);
        requireOneOf(Setting.LOG_FORMAT, List.of("text", "json"), problems);
        requireBoolean(Setting.LOG_STARTUP_DETAILS, problems);
        requireBoolean(Setting.MANAGEMENT_ENABLED, problems);
        if (isSet(Setting.TOPIC_PARTITIONS)) {
            requireInt(Setting.TOPIC_PARTITIONS, 1, 100_000, problems);
        }
        if (isSet(Setting.TOPIC_REPLICATION_FACTOR)) {
            requireInt(Setting.TOPIC_REPLICATION_FACTOR, 1, Short.MAX_VALUE, problems);
        }
        Map<String, Long> uses = TOPICS.stream().collect(Collectors.groupingBy(this::get, Collectors.counting()));
        for (Setting topic : TOPICS) {
            if (!TOPIC_NAME.matcher(get(topic)).matches()) {
                problems.add(topic.property() + " is not a valid Kafka topic name: '" + get(topic) + "'");
            } else if (uses.get(get(topic)) > 1 && !get(topic).equals(topic.defaultValue())) {
                // The defaults differ from each other: the settings changed away from them are the ones to fix.
                problems.add(topic.property() + " names a topic that another setting already uses: " + get(topic));
            }
        }
        try {
            URI base = URI.create(get(Setting.ULTRACART_BASE_URL));
            if (!("https".equals(base.getScheme()) || "http".equals(base.getScheme())) || base.getHost() == null) {
                problems.add(Setting.ULTRACART_BASE_URL.property() + " must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add(Setting.ULTRACART_BASE_URL.property() + " is not a URL: " + e.getMessage());
        }
        if (!BIND_ADDRESS.matcher(get(Setting.SANDBOX_BIND_ADDRESS)).matches()) {
            problems.add(Setting.SANDBOX_BIND_ADDRESS.property() + " must be an IP address or host name, not '"
                    + get(Setting.SANDBOX_BIND_ADDRESS) + "'");
        }
        if (CREDENTIALS.stream().filter(this::isSet).count() > 1) {
            problems.add("set only one of " + String.join(", ", CREDENTIALS.stream()
                    .map(Setting::environmentVariable).toList()));
        }
        requireCredentialFile(Setting.ULTRACART_API_KEY_FILE, problems);
        requireCredentialFile(Setting.ULTRACART_OAUTH_TOKEN_FILE, problems);
        validateAdminToken(problems);
        validateKafkaSecurity(problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid connector settings:\n  - " + String.join("\n  - ", problems));
        }
    }

    /**
     * The Kafka security settings must describe one way to connect: a SASL or SSL setting with a protocol that does
     * not use it is a mistake (most often a forgotten {@code kafka.security.protocol}), not something to ignore.
     */
    private void validateKafkaSecurity(List<String> problems) {
        String protocol = get(Setting.KAFKA_SECURITY_PROTOCOL);
        if (!SECURITY_PROTOCOLS.contains(protocol)) {
            problems.add(Setting.KAFKA_SECURITY_PROTOCOL.property() + " must be one of " + SECURITY_PROTOCOLS
                    + ", not '" + protocol + "'");
            return;
        }
        if (!"PLAINTEXT".equals(protocol) && usesEmbeddedKafka()) {
            problems.add(Setting.KAFKA_SECURITY_PROTOCOL.property() + " " + protocol + " needs "
                    + Setting.KAFKA_BOOTSTRAP_SERVERS.property() + ": the embedded broker speaks PLAINTEXT only");
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean ssl = protocol.endsWith("SSL");
        SASL_SETTINGS.stream().filter(setting -> !sasl && isSet(setting)).forEach(setting -> problems.add(
                setting.property() + " is set but " + Setting.KAFKA_SECURITY_PROTOCOL.property() + " is " + protocol
                        + " (use SASL_SSL or SASL_PLAINTEXT)"));
        SSL_SETTINGS.stream().filter(setting -> !ssl && isSet(setting)).forEach(setting -> problems.add(
                setting.property() + " is set but " + Setting.KAFKA_SECURITY_PROTOCOL.property() + " is " + protocol
                        + " (use SSL or SASL_SSL)"));
        if (sasl) {
            validateSasl(problems);
        }
        if (ssl) {
            requireReadableFile(Setting.KAFKA_SSL_TRUSTSTORE_LOCATION, problems);
            requireReadableFile(Setting.KAFKA_SSL_KEYSTORE_LOCATION, problems);
            requireOneOf(Setting.KAFKA_SSL_TRUSTSTORE_TYPE, STORE_TYPES, problems);
            requireOneOf(Setting.KAFKA_SSL_KEYSTORE_TYPE, STORE_TYPES, problems);
            requireOneOf(Setting.KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, List.of("https", "none"), problems);
        }
    }

    private void validateSasl(List<String> problems) {
        String mechanism = get(Setting.KAFKA_SASL_MECHANISM);
        if (!SASL_MECHANISMS.contains(mechanism)) {
            problems.add(Setting.KAFKA_SASL_MECHANISM.property() + " must be one of " + SASL_MECHANISMS + " with "
                    + get(Setting.KAFKA_SECURITY_PROTOCOL) + ", not '" + mechanism + "'");
        }
        boolean user = isSet(Setting.KAFKA_SASL_USERNAME) || isSet(Setting.KAFKA_SASL_PASSWORD);
        if (isSet(Setting.KAFKA_SASL_JAAS_CONFIG) == user) {
            problems.add("set either " + Setting.KAFKA_SASL_JAAS_CONFIG.environmentVariable() + ", or "
                    + Setting.KAFKA_SASL_USERNAME.environmentVariable() + " and "
                    + Setting.KAFKA_SASL_PASSWORD.environmentVariable() + ", not both or neither");
        } else if (user && !(isSet(Setting.KAFKA_SASL_USERNAME) && isSet(Setting.KAFKA_SASL_PASSWORD))) {
            problems.add(Setting.KAFKA_SASL_USERNAME.environmentVariable() + " and "
                    + Setting.KAFKA_SASL_PASSWORD.environmentVariable() + " go together");
        }
        if ("OAUTHBEARER".equals(mechanism) && user && !isSet(Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL)) {
            problems.add("OAUTHBEARER with a client id and secret needs "
                    + Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL.environmentVariable());
        }
        if (!"OAUTHBEARER".equals(mechanism) && isSet(Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL)) {
            problems.add(Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL.property() + " needs "
                    + Setting.KAFKA_SASL_MECHANISM.property() + " OAUTHBEARER");
        }
    }

    /** True when an admin token (value or file) is configured: the admin endpoints are served then. */
    public boolean adminEndpointsEnabled() {
        return ADMIN_TOKENS.stream().anyMatch(this::isSet);
    }

    private void validateAdminToken(List<String> problems) {
        if (!adminEndpointsEnabled()) {
            return;
        }
        if (ADMIN_TOKENS.stream().allMatch(this::isSet)) {
            problems.add("set only one of " + String.join(", ", ADMIN_TOKENS.stream()
                    .map(Setting::environmentVariable).toList()));
            return;
        }
        if (!"true".equals(get(Setting.MANAGEMENT_ENABLED))) {
            problems.add("an admin token is set but " + Setting.MANAGEMENT_ENABLED.property()
                    + " is false: the admin endpoints are served on the management port");
        }
        if (isSet(Setting.MANAGEMENT_ADMIN_TOKEN_FILE)) {
            requireCredentialFile(Setting.MANAGEMENT_ADMIN_TOKEN_FILE, problems);
        } else if (get(Setting.MANAGEMENT_ADMIN_TOKEN).length() < MIN_ADMIN_TOKEN_LENGTH) {
            // The message says how long it is, never what it is.
            problems.add(Setting.MANAGEMENT_ADMIN_TOKEN.property() + " must have at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " characters, not " + get(Setting.MANAGEMENT_ADMIN_TOKEN).length());
        }
    }

    /** A mounted secret must be there at start-up; later, a bad rewrite only keeps the last good value. */
    private void requireCredentialFile(Setting setting, List<String> problems) {
        if (!isSet(setting)) {
            return;
        }
        Path file = Path.of(get(setting));
        try {
            if (Files.size(file) > MAX_CREDENTIAL_FILE_BYTES) {
                problems.add(setting.property() + " names a file of more than " + MAX_CREDENTIAL_FILE_BYTES
                        + " bytes, not a credential: " + file);
            } else if (Files.readString(file).isBlank()) {
                problems.add(setting.property() + " names an empty file: " + file);
            }
        } catch (IOException | RuntimeException e) {
            // The exception names the file and the reason, never its content.
            problems.add(setting.property() + " names no readable file: " + file + " (" + e + ")");
        }
    }

    private void requireReadableFile(Setting setting, List<String> problems) {
        if (isSet(setting) && !Files.isReadable(Path.of(get(setting)))) {
            problems.add(setting.property() + " names no readable file: " + get(setting));
        }
    }

    private void requireOneOf(Setting setting, List<String> allowed, List<String> problems) {
        if (isSet(setting) && !allowed.contains(get(setting))) {
            problems.add(setting.property() + " must be one of " + allowed + ", not '" + get(setting) + "'");
        }
    }

    public boolean getBoolean(Setting setting) {
        return Boolean.parseBoolean(get(setting));
    }

    /** Every instance must be left at least one request of an account-wide limit. */
    private void requireBudgetShare(Setting limit, List<String> problems) {
        try {
            int instances = getInt(Setting.ULTRACART_BUDGET_INSTANCES);
            if (instances >= 1 && getInt(limit) >= 1 && getInt(limit) / instances < 1) {
                problems.add(limit.property() + " (" + get(limit) + ") leaves no request to each of the "
                        + instances + " instances of " + Setting.ULTRACART_BUDGET_INSTANCES.property());
            }
        } catch (NumberFormatException e) {
            // reported by requireInt
        }
    }

    private void requireBoolean(Setting setting, List<String> problems) {
        if (!"true".equals(get(setting)) && !"false".equals(get(setting))) {
            problems.add(setting.property() + " must be true or false, not '" + get(setting) + "'");
        }
    }

    private void requireInt(Setting setting, int min, int max, List<String> problems) {
        try {
            int value = Integer.parseInt(get(setting));
            if (value < min || value > max) {
                problems.add(setting.property() + " must be between " + min + " and " + max + ", not " + value);
            }
        } catch (NumberFormatException e) {
            problems.add(setting.property() + " must be a whole number, not '" + get(setting) + "'");
        }
    }
}
