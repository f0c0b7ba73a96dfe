package io.github.ucconnector.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.hostile.LogCapture;
import io.github.ucconnector.support.RunningConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin endpoints exist only with a token, answer only to it, and never log it; health and metrics stay open. */
class AdminSecurityTest {

    private static final String TOKEN = "admin-token-" + "s3cr3t-9f2c41d7";

    @Test
    void withoutATokenTheAdminEndpointsDoNotExist() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of())) {
            connector.awaitReady();
            assertThat(connector.management("GET", "/admin/state", bearer(TOKEN)).statusCode()).isEqualTo(404);
            assertThat(connector.management("POST", "/admin/pause", bearer(TOKEN)).statusCode()).isEqualTo(404);
            assertThat(connector.management("POST", "/admin/redrive", bearer(TOKEN)).statusCode()).isEqualTo(404);
            assertThat(connector.management("/observe/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyTheRightBearerTokenIsAcceptedAndTheTokenIsNeverLogged() throws Exception {
        try (LogCapture log = LogCapture.start();
                RunningConnector connector = RunningConnector.start(
                        Map.of(Setting.MANAGEMENT_ADMIN_TOKEN.property(), TOKEN))) {
            connector.awaitReady();
            HttpResponse<String> missing = connector.management("GET", "/admin/state", Map.of());
            HttpResponse<String> wrong = connector.management("POST", "/admin/pause", bearer(TOKEN + "x"));
            HttpResponse<String> redriveWithout = connector.management("POST", "/admin/redrive", Map.of());
            HttpResponse<String> redriveWrong = connector.management("POST", "/admin/redrive?dry_run",
                    bearer("not-the-" + TOKEN));
            HttpResponse<String> notBearer = connector.management("GET", "/admin/state",
                    Map.of("Authorization", "Basic " + TOKEN));

            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(notBearer.statusCode()).isEqualTo(401);
            assertThat(redriveWithout.statusCode()).isEqualTo(401);
            assertThat(redriveWrong.statusCode()).isEqualTo(401);
            assertThat(connector.readiness()).as("the refused pause changed nothing").doesNotContainValue("DOWN");
            assertThat(log.messages()).filteredOn(line -> line.contains("refused (401)")).hasSize(5);
            assertThat(log.messages()).as("a refused redrive did not run").noneMatch(line -> line.startsWith("Operator redrive"));

            HttpResponse<String> state = connector.management("GET", "/admin/state", bearer(TOKEN));
            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(state.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(state.body()).contains("\"paused\":{\"commands\":[],\"poller\":false}");
            HttpResponse<String> paused = connector.management("POST", "/admin/pause?poller", bearer(TOKEN));
            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat(paused.body()).contains("\"poller\":true");
            assertThat(connector.management("POST", "/admin/resume?poller", bearer(TOKEN)).statusCode())
                    .isEqualTo(200);
            assertThat(connector.management("POST", "/admin/pause?commands=bogus", bearer(TOKEN)).statusCode())
                    .isEqualTo(400);
            assertThat(connector.management("POST", "/admin/redrive?category=bogus", bearer(TOKEN)).statusCode())
                    .isEqualTo(400);
            assertThat(connector.management("GET", "/admin/redrive", bearer(TOKEN)).statusCode())
                    .as("a redrive sends records: POST only").isEqualTo(405);
            assertThat(connector.management("GET", "/admin/pause", bearer(TOKEN)).statusCode())
                    .as("pause changes state: POST only").isEqualTo(405);

            // Health and metrics need no token, as before.
            assertThat(connector.management("/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(connector.management("/observe/metrics").statusCode()).isEqualTo(200);

            assertThat(log.events()).noneMatch(line -> line.contains(TOKEN));
            assertThat(log.printed()).doesNotContain(TOKEN);
        }
    }

    @Test
    void theTokenMayComeFromAFile(@TempDir Path secrets) throws Exception {
        Path file = Files.writeString(secrets.resolve("admin-token"), TOKEN + "\n");
        try (RunningConnector connector = RunningConnector.start(
                Map.of(Setting.MANAGEMENT_ADMIN_TOKEN_FILE.property(), file.toString()))) {
            assertThat(connector.management("GET", "/admin/state", bearer(TOKEN)).statusCode()).isEqualTo(200);
            assertThat(connector.management("GET", "/admin/state", bearer("another-token-entirely")).statusCode())
                    .isEqualTo(401);
        }
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
