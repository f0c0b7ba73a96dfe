package io.github.ucconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import com.sun.net.httpserver.HttpServer;
import io.github.ucconnector.Launcher;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * No Docker engine runs where the build runs, so docker-compose.yml and the Jib image configuration in pom.xml are
 * checked here instead: well formed, and in step with the connector's real settings, topics and image.
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path POM = Path.of("pom.xml");
    private static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
    private static final Set<String> SETTING_VARIABLES = Arrays.stream(Setting.values())
            .map(Setting::environmentVariable).collect(Collectors.toUnmodifiableSet());
    /** Read by the JVM or by camel-main (CAMEL_MAIN_…, CAMEL_COMPONENT_…), not by the connector's settings. */
    private static final Set<String> OTHER_DOCUMENTED_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    private static final Pattern TOPIC_LINE = Pattern.compile("^\\s*create (\\S+)(.*)$", Pattern.MULTILINE);
    private static final Pattern TOPIC_CONFIG = Pattern.compile("--config (\\S+?)=(\\S+)|--(partitions) ([0-9]+)");
    private static final Pattern COMMENTED_VARIABLE = Pattern.compile("^\\s*#\\s*([A-Z][A-Z0-9_]*):\\s", Pattern.MULTILINE);
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");
    private static final Pattern REQUEST_PATH = Pattern.compile("GET (\\S+) HTTP/1\\.1");
    private static final List<Setting> CREDENTIALS = List.of(Setting.ULTRACART_API_KEY, Setting.ULTRACART_OAUTH_TOKEN,
            Setting.ULTRACART_API_KEY_FILE, Setting.ULTRACART_OAUTH_TOKEN_FILE);
    private static final long SCRIPT_TIMEOUT_SECONDS = 20;
    /** camel-main's readiness path; application.properties keeps camel-main's health path. */
    private static final String READINESS_PATH =
            new MainConfigurationProperties().httpManagementServer().getHealthPath() + "/ready";
    /** camel-main has no setting for it; MetricsScrapeTest scrapes the running connector there. */
    private static final String METRICS_PATH = "/observe/metrics";
    private static final String MONITORING = "monitoring";
    private static final String MONITORING_DIR = "docs/monitoring";
    private static final String PROMETHEUS_PORT = "9090";

    private static String composeText;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static Document pom;

    @BeforeAll
    static void load() throws Exception {
        composeText = Files.readString(COMPOSE);
        // snakeyaml-engine (from camel-yaml-dsl) refuses duplicate keys by default, as Compose does.
        Object root = new Load(LoadSettings.builder().setLabel(COMPOSE.toString()).build()).loadFromString(composeText);
        compose = map(root, "the compose file");
        services = new LinkedHashMap<>();
        map(compose.get("services"), "services").forEach((name, service) -> services.put(name, map(service, name)));
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
    }

    @Test
    void servicesAndProfilesAreTheDocumentedOnes() {
        assertThat(compose).containsOnlyKeys("name", "services", "volumes");
        assertThat(services).containsOnlyKeys("kafka", "kafka-init", "ultracart-credentials", "connector", "sandbox",
                "connector-sandbox", "prometheus", "grafana");
        // Kafka and its topics start in every profile; each connector only in its own.
        assertThat(profiles("kafka")).isEmpty();
        assertThat(profiles("kafka-init")).isEmpty();
        assertThat(profiles("ultracart-credentials")).containsExactly("ultracart");
        assertThat(profiles("connector")).containsExactly("ultracart");
        assertThat(profiles("sandbox")).containsExactly("sandbox");
        assertThat(profiles("connector-sandbox")).containsExactly("sandbox");
        // Prometheus and Grafana only on request, with either connector's profile.
        assertThat(services.keySet().stream().filter(name -> profiles(name).contains(MONITORING)))
                .containsExactlyInAnyOrder("prometheus", "grafana");
        assertThat(profiles("prometheus")).containsExactly(MONITORING);
        assertThat(profiles("grafana")).containsExactly(MONITORING);
        for (String name : services.keySet()) {
            assertThat(services.get(name)).as(name).containsKey("image");
            for (String dependency : dependsOn(name).keySet()) {
                assertThat(services).as(name + " depends on a service of this file").containsKey(dependency);
                assertThat(profiles(dependency)).as(name + " depends on " + dependency + ", which must start with it")
                        .isSubsetOf(profiles(name));
            }
        }
        Map<String, Object> volumes = map(compose.get("volumes"), "volumes");
        services.forEach((name, service) -> {
            for (Object volume : list(service.getOrDefault("volumes", List.of()), "volumes")) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith(".")) {
                    // A bind mount of the repository's own files: Compose would create a missing one as a directory.
                    assertThat(Path.of(source)).as(name + " mounts " + source + " of this repository").exists();
                } else if (!source.startsWith("/")) {
                    assertThat(volumes).as("named volume " + source).containsKey(source);
                }
            }
        });
    }

    @Test
    void everyImageIsPinned() {
        services.forEach((name, service) -> {
            String image = (String) service.get("image");
            assertThat(image).as(name).doesNotContain("${").contains(":");
            String tag = image.substring(image.lastIndexOf(':') + 1);
            assertThat(tag).as(name + " image tag").isNotBlank().isNotEqualTo("latest").doesNotContain("/");
        });
        for (String name : List.of("kafka", "kafka-init", "ultracart-credentials")) {
            assertThat(services.get(name).get("image")).as(name).isEqualTo(KAFKA_IMAGE);
        }
    }

    @Test
    void kafkaIsASingleKraftNodeReachableAsKafka9092() {
        Map<String, String> env = environment("kafka");
        assertThat(env).containsKeys("KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES", "KAFKA_LISTENERS",
                "KAFKA_ADVERTISED_LISTENERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_CONTROLLER_QUORUM_VOTERS",
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_INTER_BROKER_LISTENER_NAME", "CLUSTER_ID");
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(env.get("KAFKA_NODE_ID") + "@kafka:9093");
        assertThat(env.get("KAFKA_LISTENERS")).contains("CONTROLLER://:9093", "PLAINTEXT://:9092");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
        // Every listener has a security protocol.
        Set<String> mapped = Arrays.stream(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(","))
                .map(entry -> entry.split(":")[0]).collect(Collectors.toSet());
        for (String listener : env.get("KAFKA_LISTENERS").split(",")) {
            assertThat(mapped).as(listener).contains(listener.substring(0, listener.indexOf("://")));
        }
        // One broker: internal topics with replication factor 1, or the connector's consumer group never starts.
        assertThat(env).containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        assertThat(services.get("kafka")).containsKey("healthcheck");
        assertThat(String.valueOf(map(services.get("kafka").get("healthcheck"), "healthcheck").get("test")))
                .contains("--bootstrap-server kafka:9092");
    }

    @Test
    void topicCreationCreatesExactlyTheConnectorsDefaultTopics() {
        Map<String, Map<String, String>> created = createdTopics();
        Set<String> defaults = new TreeSet<>();
        for (Setting setting : Setting.values()) {
            if (setting.property().startsWith("topic.") && setting.defaultValue().startsWith("ultracart.")) {
                defaults.add(setting.defaultValue());
            }
        }
        assertThat(new TreeSet<>(created.keySet())).isEqualTo(defaults);

        // As the connector creates them: summaries and redrive notes compacted; the ledger compacted with the
        // ledger's retention.
        assertThat(created.get(Setting.TOPIC_SUMMARIES.defaultValue()))
                .containsExactly(Map.entry("cleanup.policy", "compact"));
        assertThat(created.get(Setting.TOPIC_REDRIVEN.defaultValue()))
                .containsExactly(Map.entry("cleanup.policy", "compact"));
        assertThat(created.get(Setting.TOPIC_LEDGER.defaultValue()))
                .containsOnly(Map.entry("cleanup.policy", "compact,delete"),
                        Map.entry("retention.ms", Setting.LEDGER_RETENTION_MS.defaultValue()));
        // A topic the connector needs with one partition (the poller lease) gets one; every other one the broker's
        // default, like the connector's own TopicInitializer.
        Set<String> singlePartition = new TreeSet<>();
        for (Setting setting : Setting.values()) {
            if (defaults.contains(setting.defaultValue()) && setting.description().startsWith("Single-partition")) {
                singlePartition.add(setting.defaultValue());
            }
        }
        created.forEach((topic, configs) -> {
            if (singlePartition.contains(topic)) {
                assertThat(configs).as(topic).containsExactly(Map.entry("--partitions", "1"));
            } else if (!topic.equals(Setting.TOPIC_SUMMARIES.defaultValue())
                    && !topic.equals(Setting.TOPIC_LEDGER.defaultValue())
                    && !topic.equals(Setting.TOPIC_REDRIVEN.defaultValue())) {
                assertThat(configs).as(topic + " is an ordinary topic").isEmpty();
            }
        });

        String script = script("kafka-init");
        assertThat(script).contains("set -e", "/opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 --create",
                "--if-not-exists");
        assertThat(dependsOn("kafka-init")).containsExactly(Map.entry("kafka", "service_healthy"));
        assertThat(services.get("kafka-init").get("restart")).isEqualTo("no");
    }

    @Test
    void theConnectorsWaitForHealthyKafkaAndTheirTopics() {
        for (String name : List.of("connector", "connector-sandbox")) {
            assertThat(dependsOn(name)).as(name)
                    .containsEntry("kafka", "service_healthy")
                    .containsEntry("kafka-init", "service_completed_successfully");
            assertThat(environment(name)).as(name).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        }
        assertThat(dependsOn("connector")).containsEntry("ultracart-credentials", "service_completed_successfully");
        assertThat(dependsOn("connector-sandbox")).containsEntry("sandbox", "service_healthy");
        assertThat(services.get("sandbox")).containsKey("healthcheck");
    }

    @Test
    void connectorServicesGetOnlyRealSettings() {
        for (String name : connectorImageServices()) {
            for (String variable : environment(name).keySet()) {
                assertThat(isKnownVariable(variable)).as(name + ": " + variable + " is a setting of the connector")
                        .isTrue();
            }
        }
        // The commented-out optional ones too, so that the file never suggests a setting that does not exist.
        Matcher commented = COMMENTED_VARIABLE.matcher(composeText);
        int count = 0;
        while (commented.find()) {
            count++;
            assertThat(isKnownVariable(commented.group(1))).as("commented " + commented.group(1)).isTrue();
        }
        assertThat(count).as("commented optional settings").isPositive();
    }

    @Test
    void theRealConnectorTakesCredentialsFromTheUserAndDefaultsLikeTheConnector() {
        Map<String, String> env = environment("connector");
        assertThat(interpolated(env.get("ULTRACART_API_KEY"))).isEqualTo(List.of("ULTRACART_API_KEY", ":-", ""));
        assertThat(interpolated(env.get("ULTRACART_OAUTH_TOKEN"))).isEqualTo(List.of("ULTRACART_OAUTH_TOKEN", ":-", ""));
        assertThat(interpolated(env.get("ULTRACART_API_KEY_FILE"))).isEqualTo(List.of("ULTRACART_API_KEY_FILE", ":-", ""));
        assertThat(interpolated(env.get("ULTRACART_OAUTH_TOKEN_FILE")))
                .isEqualTo(List.of("ULTRACART_OAUTH_TOKEN_FILE", ":-", ""));
        assertThat(interpolated(env.get("ULTRACART_BASE_URL")))
                .isEqualTo(List.of("ULTRACART_BASE_URL", ":-", Setting.ULTRACART_BASE_URL.defaultValue()));
        // Every ${…} with a default that names a setting defaults to that setting's own default.
        Matcher interpolation = INTERPOLATION.matcher(composeText.replaceAll("(?m)^\\s*#.*$", ""));
        while (interpolation.find()) {
            String variable = interpolation.group(1);
            if (SETTING_VARIABLES.contains(variable) && ":-".equals(interpolation.group(2))) {
                assertThat(interpolation.group(3)).as(variable)
                        .isEqualTo(Setting.valueOf(variable).defaultValue());
            }
            // A required ${VAR:?…} would stop every profile: Compose resolves all services before choosing some.
            assertThat(interpolation.group(2)).as(interpolation.group()).isNotIn(":?", "?");
        }
        // The credentials check sees whether each is set, never its value.
        assertThat(environment("ultracart-credentials")).containsOnly(
                Map.entry("API_KEY_SET", "${ULTRACART_API_KEY:+yes}"),
                Map.entry("OAUTH_TOKEN_SET", "${ULTRACART_OAUTH_TOKEN:+yes}"),
                Map.entry("API_KEY_FILE_SET", "${ULTRACART_API_KEY_FILE:+yes}"),
                Map.entry("OAUTH_TOKEN_FILE_SET", "${ULTRACART_OAUTH_TOKEN_FILE:+yes}"));
    }

    @Test
    void theCredentialsCheckLetsTheConnectorStartWithExactlyOneOfTheFourCredentials() throws Exception {
        // Run as Compose runs it: the environment interpolated from the user's shell, the script by /bin/sh -c.
        for (Setting credential : CREDENTIALS) {
            assertThat(runCredentialsCheck(Map.of(credential.environmentVariable(), "/run/secrets/x")))
                    .as("only " + credential).isZero();
        }
        assertThat(runCredentialsCheck(Map.of())).as("none").isEqualTo(2);
        assertThat(runCredentialsCheck(Map.of("ULTRACART_API_KEY", "", "ULTRACART_OAUTH_TOKEN_FILE", "")))
                .as("set but empty, as an empty line in .env").isEqualTo(2);
        for (int i = 0; i < CREDENTIALS.size(); i++) {
            for (int j = i + 1; j < CREDENTIALS.size(); j++) {
                Map<String, String> two = Map.of(CREDENTIALS.get(i).environmentVariable(), "a",
                        CREDENTIALS.get(j).environmentVariable(), "b");
                assertThat(runCredentialsCheck(two)).as(two.keySet() + ": the connector would refuse both").isEqualTo(2);
            }
        }
    }

    @Test
    void theConnectorsPublishTheManagementPortAndReportReadiness() throws IOException {
        assertThat(Files.readString(Path.of("src/main/resources/application.properties")))
                .doesNotContain("camel.management.health-path");
        // Defaults like the connector (8080), as every ${…} of a setting (checked above).
        String port = "${MANAGEMENT_PORT:-8080}";
        for (String name : List.of("connector", "connector-sandbox")) {
            Map<String, String> env = environment(name);
            // The container listens where the port is published and the healthcheck knocks: one variable moves all.
            assertThat(env).as(name).containsEntry("MANAGEMENT_PORT", port).doesNotContainKey("MANAGEMENT_ENABLED");
            assertThat(list(services.get(name).get("ports"), name + " ports"))
                    .as(name + ": on the host's loopback, as the server has no authentication")
                    .containsExactly("127.0.0.1:" + port + ":" + port);
            Map<String, Object> healthcheck = map(services.get(name).get("healthcheck"), name + " healthcheck");
            assertThat(healthcheck).as(name).containsKeys("interval", "timeout", "retries", "start_period");
            List<Object> test = list(healthcheck.get("test"), name + " healthcheck test");
            // Exec form, bash: /dev/tcp is bash's, and sh in the image is dash (CMD-SHELL would use it).
            assertThat(test).as(name).hasSize(4).startsWith("CMD", "bash", "-c");
            assertThat((String) test.get(3)).as(name).contains("/dev/tcp/127.0.0.1/" + port);
            Matcher request = REQUEST_PATH.matcher((String) test.get(3));
            assertThat(request.find()).as(name + " sends an HTTP request").isTrue();
            assertThat(request.group(1)).as(name + ": camel-main's readiness path").isEqualTo(READINESS_PATH);
        }
    }

    @Test
    void theHealthcheckIsHealthyOnlyWhileTheReadinessPathAnswers200() throws Exception {
        String command = (String) list(map(services.get("connector").get("healthcheck"), "healthcheck").get("test"),
                "test").get(3);
        // The management server answers readiness 200 or 503 and every other path 404: the command must ask the
        // readiness path and read the status (checked against camel-main's server as the image runs it, see README).
        AtomicInteger readiness = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean ready = exchange.getRequestURI().getPath().equals(READINESS_PATH);
            byte[] body = (ready && readiness.get() == 200 ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ready ? readiness.get() : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String port = String.valueOf(server.getAddress().getPort());
            assertThat(runHealthcheck(command, port)).as("readiness DOWN").isNotZero();
            readiness.set(200);
            assertThat(runHealthcheck(command, port)).as("readiness UP").isZero();
        } finally {
            server.stop(0);
        }
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(closed.getLocalPort());
            closed.close();
            assertThat(runHealthcheck(command, port)).as("nothing listening yet").isNotZero();
        }
    }

    @Test
    void theSandboxProfileRunsTheSandboxOnItsOwnAndPointsTheConnectorAtIt() {
        Map<String, Object> sandbox = services.get("sandbox");
        assertThat(sandbox.get("command")).isEqualTo(List.of("sandbox"));
        Map<String, String> env = environment("sandbox");
        // Kafka given: `sandbox` then starts the sandbox only, no embedded broker.
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isNotBlank();
        assertThat(env).containsEntry("SANDBOX_BIND_ADDRESS", "0.0.0.0");
        String port = env.getOrDefault("SANDBOX_PORT", Setting.SANDBOX_PORT.defaultValue());
        assertThat(list(sandbox.get("ports"), "ports")).containsExactly("127.0.0.1:" + port + ":" + port);

        Map<String, String> connector = environment("connector-sandbox");
        assertThat(connector).containsEntry("ULTRACART_BASE_URL", "http://sandbox:" + port + "/rest/v2")
                .containsEntry("ULTRACART_API_KEY", SandboxOptions.DEFAULT_API_KEY)
                .doesNotContainKey("ULTRACART_OAUTH_TOKEN");
    }

    @Test
    void prometheusScrapesTheConnectorsManagementPortWithTheAlertRules() throws IOException {
        Map<String, String> mounts = bindMounts("prometheus");
        // The image's own command reads this path.
        String config = "/etc/prometheus/prometheus.yml";
        assertThat(mounts).containsEntry(config, "./" + MONITORING_DIR + "/prometheus/prometheus.yml");
        Map<String, Object> prometheus = loadYaml(Path.of(mounts.get(config)));
        // Each rule file, relative to the configuration in the container, is the repository's (promtool check
        // config resolves it the same way beside the file in the repository: .ci/check-monitoring).
        List<Object> ruleFiles = list(prometheus.get("rule_files"), "rule_files");
        assertThat(ruleFiles).isNotEmpty();
        for (Object ruleFile : ruleFiles) {
            String inContainer = Path.of(config).resolveSibling(String.valueOf(ruleFile)).normalize().toString();
            assertThat(mounts).as("rule file " + ruleFile).containsEntry(inContainer,
                    "./" + MONITORING_DIR + "/prometheus/" + ruleFile);
        }

        List<Object> scrapes = list(prometheus.get("scrape_configs"), "scrape_configs");
        assertThat(scrapes).hasSize(1);
        Map<String, Object> scrape = map(scrapes.get(0), "scrape config");
        // The job the rules' up{job=…} and the README's scrape example name.
        String job = (String) scrape.get("job_name");
        assertThat(Files.readString(Path.of(MONITORING_DIR, "prometheus", "alerts.yml")))
                .contains("up{job=\"" + job + "\"}");
        assertThat(Files.readString(Path.of("README.md"))).contains("job_name: " + job);
        assertThat(scrape.get("metrics_path")).isEqualTo(METRICS_PATH);

        // Every connector service by its name in Compose's DNS, on the port its management server listens on.
        List<Object> discovery = list(scrape.get("dns_sd_configs"), "dns_sd_configs");
        assertThat(discovery).hasSize(1);
        Map<String, Object> dns = map(discovery.get(0), "dns_sd_config");
        List<String> connectors = services.keySet().stream()
                .filter(name -> environment(name).containsKey("MANAGEMENT_PORT")).toList();
        assertThat(connectors).containsExactlyInAnyOrder("connector", "connector-sandbox");
        assertThat(list(dns.get("names"), "names")).containsExactlyInAnyOrderElementsOf(connectors);
        assertThat(dns.get("type")).isEqualTo("A");
        for (String name : connectors) {
            List<String> port = interpolated(environment(name).get("MANAGEMENT_PORT"));
            assertThat(port).as(name + " MANAGEMENT_PORT").isEqualTo(List.of("MANAGEMENT_PORT", ":-",
                    Setting.MANAGEMENT_PORT.defaultValue()));
            assertThat(String.valueOf(dns.get("port"))).as("the scrape port is " + name + "'s management port")
                    .isEqualTo(port.get(2));
        }
        assertThat(list(services.get("prometheus").get("ports"), "prometheus ports"))
                .containsExactly("127.0.0.1:" + PROMETHEUS_PORT + ":" + PROMETHEUS_PORT);
    }

    @Test
    void grafanaIsProvisionedWithThisPrometheusAndTheDashboard() throws IOException {
        Map<String, String> mounts = bindMounts("grafana");
        String provisioning = "/etc/grafana/provisioning/";
        assertThat(mounts).containsEntry(provisioning + "datasources", "./" + MONITORING_DIR + "/grafana/provisioning/datasources")
                .containsEntry(provisioning + "dashboards", "./" + MONITORING_DIR + "/grafana/provisioning/dashboards");

        Map<String, Object> datasources = loadYaml(Path.of(MONITORING_DIR, "grafana/provisioning/datasources/prometheus.yml"));
        List<Object> list = list(datasources.get("datasources"), "datasources");
        assertThat(list).hasSize(1);
        Map<String, Object> datasource = map(list.get(0), "datasource");
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("isDefault", true)
                .containsEntry("url", "http://prometheus:" + PROMETHEUS_PORT);
        assertThat(dependsOn("grafana")).containsKey("prometheus");

        // The dashboard provider's folder holds exactly the repository's dashboard.
        Map<String, Object> dashboards = loadYaml(Path.of(MONITORING_DIR, "grafana/provisioning/dashboards/ultracart-connector.yml"));
        List<Object> providers = list(dashboards.get("providers"), "providers");
        assertThat(providers).hasSize(1);
        String folder = (String) map(map(providers.get(0), "provider").get("options"), "options").get("path");
        String dashboard = "./" + MONITORING_DIR + "/grafana/ultracart-connector.json";
        List<String> inFolder = mounts.entrySet().stream()
                .filter(mount -> Path.of(mount.getKey()).getParent().equals(Path.of(folder))).map(Map.Entry::getValue).toList();
        assertThat(inFolder).as("mounted in " + folder).containsExactly(dashboard);
        assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .isEqualTo(folder + "/" + Path.of(dashboard).getFileName());
        assertThat(list(services.get("grafana").get("ports"), "grafana ports")).containsExactly("127.0.0.1:3000:3000");
    }

    @Test
    void theConnectorServicesRunTheImageJibBuilds() {
        Element jib = jibPlugin();
        assertThat(text(jib, "version")).isEqualTo("3.4.4");
        Element configuration = child(jib, "configuration");
        String image = resolve(text(child(configuration, "to"), "image"));
        assertThat(image).isEqualTo("ultracart-conversation-connector:" + text(pom.getDocumentElement(), "version"));
        for (String name : connectorImageServices()) {
            assertThat(services.get(name)).as(name).containsEntry("image", image).containsEntry("pull_policy", "never");
        }
        assertThat(connectorImageServices()).containsExactlyInAnyOrder("connector", "sandbox", "connector-sandbox");
    }

    @Test
    void theJibImageRunsAsNonRootWithTheRoutesInItsWorkingDirectory() throws Exception {
        Element configuration = child(jibPlugin(), "configuration");
        String base = text(child(configuration, "from"), "image");
        assertThat(base).startsWith("eclipse-temurin:17").doesNotEndWith(":latest");

        Element container = child(configuration, "container");
        assertThat(text(container, "format")).isEqualTo("OCI");
        assertThat(resolve(text(container, "mainClass"))).isEqualTo(Launcher.class.getName());
        String user = text(container, "user");
        String uid = user.split(":")[0];
        assertThat(uid).as("the image's user").matches("[0-9]+|[a-z_][a-z0-9_-]*").isNotIn("0", "root");
        String workingDirectory = text(container, "workingDirectory");
        assertThat(workingDirectory).startsWith("/");
        List<String> ports = new ArrayList<>();
        NodeList portNodes = child(container, "ports").getElementsByTagName("port");
        for (int i = 0; i < portNodes.getLength(); i++) {
            ports.add(portNodes.item(i).getTextContent().trim());
        }
        assertThat(ports).containsExactlyInAnyOrder(Setting.SANDBOX_PORT.defaultValue(), "8080");

        // routes/ lands in the working directory, where the connector looks first (ConnectorApplication): a volume
        // mounted over it replaces the routes.
        Element path = child(child(child(configuration, "extraDirectories"), "paths"), "path");
        assertThat(resolve(text(path, "from"))).isEqualTo(Path.of("").toAbsolutePath().resolve("routes").toString());
        assertThat(text(path, "into")).isEqualTo(workingDirectory + "/routes");
        try (var routes = Files.list(Path.of("routes"))) {
            assertThat(routes.filter(route -> route.toString().endsWith(".yaml"))).isNotEmpty();
        }
        String mount = "./routes:" + workingDirectory + "/routes";
        assertThat(composeText).as("the compose file shows how to mount your own routes").contains(mount);

        assertThat(text(child(configuration, "outputPaths"), "tar")).endsWith("/jib-image.tar");
        // Built only on request (jib:buildTar): `mvn verify` must not need a registry.
        assertThat(jibPlugin().getElementsByTagName("executions").getLength()).isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Exit status of the ultracart-credentials service for the given shell variables of the user. */
    private static int runCredentialsCheck(Map<String, String> shell) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        environment("ultracart-credentials").forEach((name, value) -> env.put(name, interpolate(value, shell)));
        return run(env, "/bin/sh", "-c", interpolate(script("ultracart-credentials"), shell));
    }

    /** Exit status of a connector's healthcheck command, with MANAGEMENT_PORT set to the given port. */
    private static int runHealthcheck(String command, String port) throws IOException, InterruptedException {
        return run(Map.of(), "bash", "-c", interpolate(command, Map.of("MANAGEMENT_PORT", port)));
    }

    private static int run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return process.exitValue();
    }

    /**
     * Compose's interpolation of a value: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alternative} and
     * ${VAR+alternative} from the user's shell; $$ is a literal $.
     */
    private static String interpolate(String value, Map<String, String> shell) {
        Matcher matcher = Pattern.compile("\\$\\$|" + INTERPOLATION.pattern()).matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else {
                String variable = shell.get(matcher.group(1));
                String operator = String.valueOf(matcher.group(2));
                String word = String.valueOf(matcher.group(3));
                boolean set = operator.startsWith(":") ? variable != null && !variable.isEmpty() : variable != null;
                replacement = switch (operator) {
                    case ":-", "-" -> set ? variable : word;
                    case ":+", "+" -> set ? word : "";
                    case "null" -> variable == null ? "" : variable;
                    default -> throw new AssertionError("not interpolated here: " + matcher.group());
                };
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(result).toString();
    }

    private static boolean isKnownVariable(String variable) {
        return SETTING_VARIABLES.contains(variable) || OTHER_DOCUMENTED_VARIABLES.contains(variable)
                || variable.startsWith("CAMEL_");
    }

    private static List<String> connectorImageServices() {
        return services.entrySet().stream()
                .filter(entry -> String.valueOf(entry.getValue().get("image")).startsWith("ultracart-conversation-connector:"))
                .map(Map.Entry::getKey).toList();
    }

    /** A service's bind mounts of the repository's files: the path in the container to the path in the repository. */
    private static Map<String, String> bindMounts(String service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : list(services.get(service).getOrDefault("volumes", List.of()), service + " volumes")) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts[0].startsWith(".")) {
                assertThat(parts).as(service + ": " + volume + " read-only").hasSize(3).endsWith("ro");
                assertThat(mounts.put(parts[1], parts[0])).as(service + " mounts " + parts[1] + " once").isNull();
            }
        }
        return mounts;
    }

    private static Map<String, Object> loadYaml(Path file) throws IOException {
        return map(new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Files.readString(file)),
                file.toString());
    }

    /** Topic name to its --config entries (and --partitions), from the `create <topic> [option]…` lines of kafka-init. */
    private static Map<String, Map<String, String>> createdTopics() {
        Map<String, Map<String, String>> topics = new TreeMap<>();
        Matcher line = TOPIC_LINE.matcher(script("kafka-init"));
        while (line.find()) {
            Map<String, String> configs = new LinkedHashMap<>();
            Matcher config = TOPIC_CONFIG.matcher(line.group(2));
            while (config.find()) {
                if (config.group(1) != null) {
                    configs.put(config.group(1), config.group(2));
                } else {
                    configs.put("--partitions", config.group(4));
                }
            }
            assertThat(line.group(2).replaceAll(TOPIC_CONFIG.pattern(), "")).as("only --config, --partitions: " + line.group(1))
                    .isBlank();
            assertThat(topics.put(line.group(1), configs)).as("created once: " + line.group(1)).isNull();
        }
        return topics;
    }

    /** The shell script of a one-shot service: entrypoint sh -c, command its single argument. */
    private static String script(String service) {
        Map<String, Object> definition = services.get(service);
        assertThat(definition.get("entrypoint")).as(service).isEqualTo(List.of("/bin/sh", "-c"));
        List<Object> command = list(definition.get("command"), service + " command");
        assertThat(command).as(service).hasSize(1);
        return (String) command.get(0);
    }

    /** [variable, operator, word] of a value that is exactly one ${…}. */
    private static List<String> interpolated(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        assertThat(matcher.matches()).as(value).isTrue();
        return List.of(matcher.group(1), String.valueOf(matcher.group(2)), String.valueOf(matcher.group(3)));
    }

    private static List<String> profiles(String service) {
        return list(services.get(service).getOrDefault("profiles", List.of()), service + " profiles").stream()
                .map(String::valueOf).toList();
    }

    /** Dependency to its condition; the short list form means service_started. */
    private static Map<String, String> dependsOn(String service) {
        Object dependsOn = services.get(service).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(name -> conditions.put(String.valueOf(name), "service_started"));
        } else if (dependsOn != null) {
            map(dependsOn, service + " depends_on").forEach((name, spec) -> conditions.put(name,
                    String.valueOf(map(spec, name).getOrDefault("condition", "service_started"))));
        }
        return conditions;
    }

    /** A service's environment, map or list form, values as Compose passes them (strings). */
    private static Map<String, String> environment(String service) {
        Object environment = services.get(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] parts = String.valueOf(entry).split("=", 2);
                variables.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        } else if (environment != null) {
            map(environment, service + " environment").forEach((name, value) -> {
                assertThat(value).as(service + ": " + name + " is a string (Compose rejects some other types)")
                        .isInstanceOf(String.class);
                variables.put(name, (String) value);
            });
        }
        return variables;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what + " is a mapping").isInstanceOf(Map.class);
        ((Map<Object, Object>) value).keySet().forEach(key -> assertThat(key).as(what + " key").isInstanceOf(String.class));
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) {
        assertThat(value).as(what + " is a list").isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static Element jibPlugin() {
        NodeList plugins = pom.getElementsByTagName("plugin");
        Element found = null;
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                assertThat(found).as("one jib-maven-plugin").isNull();
                assertThat(text(plugin, "groupId")).isEqualTo("com.google.cloud.tools");
                found = plugin;
            }
        }
        assertThat(found).as("jib-maven-plugin in pom.xml").isNotNull();
        return found;
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }

    /** ${project.version}, ${project.basedir}, ${project.artifactId} and the pom's own properties. */
    private static String resolve(String value) {
        Element project = pom.getDocumentElement();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("project.version", text(project, "version"));
        properties.put("project.artifactId", text(project, "artifactId"));
        properties.put("project.basedir", Path.of("").toAbsolutePath().toString());
        for (Node node = child(project, "properties").getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element property) {
                properties.put(property.getTagName(), property.getTextContent().trim());
            }
        }
        String resolved = value;
        for (Map.Entry<String, String> property : properties.entrySet()) {
            resolved = resolved.replace("${" + property.getKey() + "}", property.getValue());
        }
        assertThat(resolved).as("resolved " + value).doesNotContain("${");
        return resolved;
    }
}
