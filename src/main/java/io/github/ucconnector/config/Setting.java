package io.github.ucconnector.config;

import java.util.Locale;

/**
 * Every setting the connector reads. Each one is a property ({@code -Dkafka.bootstrap-servers=...}) or the
 * environment variable of the same name in upper case with dots and dashes as underscores
 * ({@code KAFKA_BOOTSTRAP_SERVERS}); a property wins over the environment.
 */
public enum Setting {
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap-servers", "",
            "Kafka cluster to use. Empty: start an embedded single-node KRaft broker on localhost."),
    KAFKA_GROUP_ID("kafka.group-id", "ultracart-conversation-connector",
            "Consumer group of the command consumers; every instance of one deployment uses the same."),
    KAFKA_POLL_TIMEOUT_MS("kafka.poll-timeout-ms", "1000",
            "How long a consumer poll waits for records; also bounds how long shutdown waits for a poll."),
    KAFKA_MAX_POLL_RECORDS("kafka.max-poll-records", "500",
            "Command records fetched per poll (Kafka's default); KAFKA_POLL_TIME_LIMIT_MS bounds the time they take."),
    KAFKA_POLL_TIME_LIMIT_MS("kafka.poll-time-limit-ms", "120000",
            "How long the commands of one poll may take, waits for the API budget included; later ones make no call but go back to Kafka and come again (never lost). A guard, not a pace: each hand-back makes the consumer rejoin its group. Below KAFKA_MAX_POLL_INTERVAL_MS."),
    KAFKA_MAX_POLL_INTERVAL_MS("kafka.max-poll-interval-ms", "300000",
            "Kafka's max.poll.interval.ms for the command consumers: one that spends longer on a poll leaves the group. Must be above KAFKA_POLL_TIME_LIMIT_MS."),
    KAFKA_CONSUMERS("kafka.consumers", "1",
            "Command consumer threads per instance, each with partitions of its own; raise it together with ULTRACART_BUDGET_MAX_CONCURRENT."),
    KAFKA_SESSION_TIMEOUT_MS("kafka.session-timeout-ms", "10000",
            "Consumer session timeout: how soon the group notices a crashed instance and hands its partitions on."),
    KAFKA_SECURITY_PROTOCOL("kafka.security.protocol", "PLAINTEXT",
            "How every Kafka client of the connector connects: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (managed services: SASL_SSL)."),
    KAFKA_SASL_MECHANISM("kafka.sasl.mechanism", "",
            "SASL mechanism with SASL_PLAINTEXT or SASL_SSL: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER."),
    KAFKA_SASL_USERNAME("kafka.sasl.username", "",
            "SASL user name (an API key for Confluent Cloud; the OAuth client id with OAUTHBEARER); builds the JAAS line, instead of kafka.sasl.jaas-config."),
    KAFKA_SASL_PASSWORD("kafka.sasl.password", "",
            "SASL password (an API secret; the OAuth client secret with OAUTHBEARER), with kafka.sasl.username.", true),
    KAFKA_SASL_JAAS_CONFIG("kafka.sasl.jaas-config", "",
            "Complete sasl.jaas.config of the Kafka clients, for what kafka.sasl.username and kafka.sasl.password cannot say.", true),
    KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS("kafka.sasl.login-callback-handler-class", "",
            "sasl.login.callback.handler.class; with OAUTHBEARER and a token endpoint the default is Kafka's OIDC handler."),
    KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL("kafka.sasl.oauthbearer.token-endpoint-url", "",
            "OAUTHBEARER: the OAuth/OIDC token endpoint the clients fetch their token from (client credentials grant)."),
    KAFKA_SSL_TRUSTSTORE_LOCATION("kafka.ssl.truststore-location", "",
            "Trust store with the CA of the brokers' certificates. Empty: the JVM's default CAs (enough for managed services)."),
    KAFKA_SSL_TRUSTSTORE_PASSWORD("kafka.ssl.truststore-password", "",
            "Password of the trust store.", true),
    KAFKA_SSL_TRUSTSTORE_TYPE("kafka.ssl.truststore-type", "",
            "Type of the trust store: JKS, PKCS12 or PEM. Empty: Kafka's default (JKS)."),
    KAFKA_SSL_KEYSTORE_LOCATION("kafka.ssl.keystore-location", "",
            "Key store with the connector's client certificate, for brokers that authenticate clients by TLS (mTLS)."),
    KAFKA_SSL_KEYSTORE_PASSWORD("kafka.ssl.keystore-password", "",
            "Password of the key store.", true),
    KAFKA_SSL_KEYSTORE_TYPE("kafka.ssl.keystore-type", "",
            "Type of the key store: JKS, PKCS12 or PEM. Empty: Kafka's default (JKS)."),
    KAFKA_SSL_KEY_PASSWORD("kafka.ssl.key-password", "",
            "Password of the private key in the key store, when it differs from the store's.", true),
    KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM("kafka.ssl.endpoint-identification-algorithm", "https",
            "https: check that the broker's certificate names the host connected to; none: do not (test clusters only)."),
    EMBEDDED_KAFKA_PORT("embedded.kafka.port", "9092",
            "Port of the embedded broker (used only when kafka.bootstrap-servers is empty)."),
    EMBEDDED_KAFKA_DATA_DIR("embedded.kafka.data-dir", "",
            "Log directory of the embedded broker. Empty: a fresh temporary directory, deleted on exit."),
    ULTRACART_BASE_URL("ultracart.base-url", "https://secure.ultracart.com/rest/v2",
            "UltraCart REST API base URL. Ignored when no credentials are set: the sandbox is used then."),
    ULTRACART_API_KEY("ultracart.api-key", "",
            "UltraCart simple API key, sent as x-ultracart-simple-key. Empty together with the OAuth token: use the sandbox.",
            true),
    ULTRACART_OAUTH_TOKEN("ultracart.oauth-token", "",
            "OAuth access token, sent as Authorization: Bearer; use it instead of an API key.", true),
    ULTRACART_API_KEY_FILE("ultracart.api-key-file", "",
            "File holding the simple API key (a mounted secret), instead of ultracart.api-key; re-read when it changes, so a rotated key needs no restart."),
    ULTRACART_OAUTH_TOKEN_FILE("ultracart.oauth-token-file", "",
            "File holding the OAuth access token, instead of ultracart.oauth-token; re-read when it changes, so a renewed token needs no restart."),
    ULTRACART_CONNECT_TIMEOUT_MS("ultracart.connect-timeout-ms", "5000",
            "Timeout for opening a connection to the API."),
    ULTRACART_RESPONSE_TIMEOUT_MS("ultracart.response-timeout-ms", "30000",
            "Timeout for an API response; a timed-out call is retried."),
    ULTRACART_TIMED_OUT_CALL_GRACE_MS("ultracart.timed-out-call-grace-ms", "",
            "After a call timed out, how long it may still be running at UltraCart, which refuses any call beside it with 429: the next call waits this long. Empty: as long as ultracart.response-timeout-ms."),
    ULTRACART_MAX_RETRIES("ultracart.max-retries", "3",
            "Retries of a call that failed with 429, 5xx, a timeout or a connection error (never for other 4xx)."),
    ULTRACART_RETRY_DELAY_MS("ultracart.retry-delay-ms", "1000",
            "Delay before the first retry; it doubles with each retry, with random jitter of 15 %."),
    ULTRACART_RETRY_MAX_DELAY_MS("ultracart.retry-max-delay-ms", "30000",
            "Upper bound of the delay between retries."),
    ULTRACART_AUTH_RETRY_INTERVAL_MS("ultracart.auth-retry-interval-ms", "60000",
            "After a 401 or 410, how long API calls pause before one is tried again; commands wait on Kafka meanwhile."),
    ULTRACART_OUTAGE_THRESHOLD("ultracart.outage-threshold", "3",
            "Failed calls in a row (5xx, timeout, connection refused or reset), made for at least two different commands or poll steps, after which UltraCart counts as down: every API call pauses, commands wait on Kafka and polling stops."),
    ULTRACART_OUTAGE_MIN_DURATION_MS("ultracart.outage-min-duration-ms", "5000",
            "How long calls must have been failing in a row, besides their number, before UltraCart counts as down; keeps scattered faults among frequent calls from pausing the API."),
    ULTRACART_OUTAGE_PROBE_INTERVAL_MS("ultracart.outage-probe-interval-ms", "5000",
            "While UltraCart is down, the wait before one call probes whether it answers again; it doubles with each failed probe."),
    ULTRACART_OUTAGE_PROBE_MAX_INTERVAL_MS("ultracart.outage-probe-max-interval-ms", "60000",
            "The longest wait between two probes while UltraCart is down."),
    ULTRACART_MAX_RESPONSE_BYTES("ultracart.max-response-bytes", "1048576",
            "Largest API response body accepted; a larger one is a failed command, not a crash."),
    ULTRACART_BUDGET_REQUESTS_PER_HOUR("ultracart.budget.requests-per-hour", "1000",
            "API requests per hour this connector may make (UltraCart's default limit; raise it if your account has more)."),
    ULTRACART_BUDGET_REQUESTS_PER_DAY("ultracart.budget.requests-per-day", "10000",
            "API requests per day this connector may make (UltraCart's default limit)."),
    ULTRACART_BUDGET_MAX_CONCURRENT("ultracart.budget.max-concurrent", "1",
            "API calls in flight at once; UltraCart answers concurrent calls with 429."),
    ULTRACART_BUDGET_POLL_RESERVE("ultracart.budget.poll-reserve", "100",
            "Requests kept for commands: polling pauses while fewer than this are left in the hourly or daily budget."),
    POLL_ENABLED("poll.enabled", "true",
            "Whether to poll conversation summaries and publish summaries and change events."),
    POLL_INTERVAL_MS("poll.interval-ms", "30000",
            "Pause between quick poll cycles; a quick cycle costs one API call when nothing changed."),
    POLL_FULL_SCAN_INTERVAL_MS("poll.full-scan-interval-ms", "3600000",
            "How often a poll cycle reads every page (reconciliation), catching changes that do not reorder the list."),
    POLL_ENRICH("poll.enrich", "auto",
            "When to fetch a conversation to describe its new messages: auto (only when the summary cannot: more than one new message, or no body), always (every conversation with new messages), never (the summary's last-message fields only)."),
    POLL_BACKFILL("poll.backfill", "false",
            "On the first scan of an empty summaries topic, whether to report the messages conversations already held (fetching each one): false reports them as created only."),
    POLL_FAILOVER_TIMEOUT_MS("poll.failover-timeout-ms", "30000",
            "With several instances: longest time from the active poller's crash until another instance polls; half of it is the Kafka session timeout of the poller lease, which the broker must allow (at least 12000 with a default broker)."),
    ULTRACART_BUDGET_INSTANCES("ultracart.budget.instances", "1",
            "How many connector instances share the API budget: each instance may spend the hourly and daily budget divided by this."),
    TOPIC_POLLER_LEASE("topic.poller-lease", "ultracart.conversation.poller-lease",
            "Single-partition topic (it holds no records) whose consumer group elects the one active poller among the instances."),
    MANAGEMENT_ENABLED("management.enabled", "true",
            "Whether to serve health checks and Prometheus metrics over HTTP on the management port."),
    MANAGEMENT_PORT("management.port", "8080",
            "Port of the management HTTP server (/observe/health, /observe/health/live, /observe/health/ready, /observe/metrics); 0 picks a free port."),
    MANAGEMENT_ADMIN_TOKEN("management.admin-token", "",
            "Bearer token of the admin endpoints on the management port (/admin/pause, /admin/resume, /admin/state, /admin/redrive), at least 16 characters. Empty together with management.admin-token-file: no admin endpoints.",
            true),
    MANAGEMENT_ADMIN_TOKEN_FILE("management.admin-token-file", "",
            "File holding the admin token (a mounted secret), instead of management.admin-token; re-read when it changes."),
    SANDBOX_PORT("sandbox.port", "8089",
            "Port of the UltraCart sandbox (started when no UltraCart credentials are set)."),
    SANDBOX_BIND_ADDRESS("sandbox.bind-address", "127.0.0.1",
            "Address the sandbox listens on; 0.0.0.0 lets other hosts or containers reach it (docker-compose.yml does)."),
    TOPIC_COMMAND_START("topic.command.start", "ultracart.conversation.command.start",
            "Topic of start commands."),
    TOPIC_COMMAND_JOIN("topic.command.join", "ultracart.conversation.command.join",
            "Topic of join commands."),
    TOPIC_COMMAND_LEAVE("topic.command.leave", "ultracart.conversation.command.leave",
            "Topic of leave commands."),
    TOPIC_SUMMARIES("topic.summaries", "ultracart.conversation.summaries",
            "Compacted topic of conversation summaries, key = conversation uuid; also the poller's memory across restarts."),
    TOPIC_EVENTS("topic.events", "ultracart.conversation.events",
            "Topic of the outcome events (CloudEvents, binary mode)."),
    TOPIC_DLQ("topic.dlq", "ultracart.conversation.dlq",
            "Dead-letter topic: failed commands, unchanged, with the reasons in headers."),
    TOPIC_COMMAND_GET("topic.command.get", "ultracart.conversation.command.get",
            "Topic of get commands."),
    TOPIC_COMMAND_UPLOAD_URL("topic.command.upload-url", "ultracart.conversation.command.upload-url",
            "Topic of upload-url commands."),
    TOPIC_COMMAND_AGENT_AUTH("topic.command.agent-auth", "ultracart.conversation.command.agent-auth",
            "Topic of agent-auth commands."),
    TOPIC_REPLIES("topic.replies", "ultracart.conversation.replies",
            "Private reply topic: full results with secrets (upload URLs, agent tokens); restrict who may read it."),
    TOPIC_LEDGER("topic.ledger", "ultracart.conversation.command-ledger",
            "Compacted topic where the connector remembers handled start, join and leave commands, so none is sent to UltraCart twice."),
    TOPIC_REDRIVEN("topic.redriven", "ultracart.conversation.redriven",
            "Compacted topic where a dead-letter redrive notes each dead letter it sent back, so none is sent back twice."),
    LEDGER_RETENTION_MS("ledger.retention-ms", "604800000",
            "How long the command ledger remembers a command (retention.ms of its topic when the connector creates it)."),
    TOPIC_PARTITIONS("topic.partitions", "",
            "Partitions of the topics the connector creates when they are missing. Empty: the broker's default."),
    TOPIC_REPLICATION_FACTOR("topic.replication-factor", "",
            "Replication factor of the topics the connector creates. Empty: the broker's default."),
    COMMAND_MAX_BYTES("command.max-bytes", "65536",
            "Largest command record value accepted; a larger one is rejected to the dead-letter topic."),
    EVENT_SOURCE("event.source", "/ultracart-conversation-connector",
            "CloudEvents source attribute (ce_source) of the events the connector publishes."),
    ROUTES_LOCATION("routes.location", "",
            "Where the Camel YAML routes are. Empty: routes/*.yaml in the working directory if present, else the ones in the jar."),
    LOG_FORMAT("log.format", "text",
            "text: log lines for people; json: one JSON object per line, a failed command's id, type, status and category as fields of their own."),
    LOG_STARTUP_DETAILS("log.startup-details", "false",
            "true: the start-up log lists every setting (secrets masked) and Camel's auto-configuration, property-placeholder and route summaries; false: only the settings that differ from their defaults.");

    private final String property;
    private final String defaultValue;
    private final String description;
    private final boolean secret;

    Setting(String property, String defaultValue, String description) {
        this(property, defaultValue, description, false);
    }

    Setting(String property, String defaultValue, String description, boolean secret) {
        this.property = property;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
    }

    public String property() {
        return property;
    }

    public String environmentVariable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean secret() {
        return secret;
    }

    /**
     * Whether the setting names one of the connector's topics; {@code topic.partitions} and
     * {@code topic.replication-factor} say how the missing ones are created.
     */
    public boolean namesTopic() {
        return property.startsWith("topic.") && this != TOPIC_PARTITIONS && this != TOPIC_REPLICATION_FACTOR;
    }
}
