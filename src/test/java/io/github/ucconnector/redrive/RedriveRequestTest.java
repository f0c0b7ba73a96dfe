package io.github.ucconnector.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandType;
import org.junit.jupiter.api.Test;

/** How a redrive request is read from query parameters and command-line arguments, and what it refuses. */
class RedriveRequestTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsEveryCriterion() {
        RedriveRequest request = RedriveRequest.of(Map.of("category", "server_error, timeout", "type", "join,start",
                "status", "500,503", "since", "2h", "until", "2026-12-01T11:30:00Z", "dry_run", "",
                "include_unknown_starts", "true", "limit", "10"), CLOCK);

        assertThat(request.categories()).containsExactlyInAnyOrder(FailureCategory.SERVER_ERROR, FailureCategory.TIMEOUT);
        assertThat(request.types()).containsExactlyInAnyOrder(CommandType.JOIN, CommandType.START);
        assertThat(request.statuses()).containsExactlyInAnyOrder(500, 503);
        assertThat(request.since()).hasValue(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(request.until()).hasValue(Instant.parse("2026-12-01T11:30:00Z"));
        assertThat(request.dryRun()).isTrue();
        assertThat(request.includeUnknownStarts()).isTrue();
        assertThat(request.limit()).isEqualTo(OptionalInt.of(10));
    }

    @Test
    void withoutParametersEveryDeadLetterGoesBack() {
        RedriveRequest request = RedriveRequest.of(Map.of(), CLOCK);

        assertThat(request.categories()).isEmpty();
        assertThat(request.types()).isEmpty();
        assertThat(request.statuses()).isEmpty();
        assertThat(request.since()).isEmpty();
        assertThat(request.dryRun()).isFalse();
        assertThat(request.includeUnknownStarts()).isFalse();
    }

    @Test
    void durationsCountBackFromNow() {
        assertThat(RedriveRequest.instant("30m", "since", CLOCK)).hasValue(NOW.minusSeconds(30 * 60));
        assertThat(RedriveRequest.instant("45s", "since", CLOCK)).hasValue(NOW.minusSeconds(45));
        assertThat(RedriveRequest.instant("7d", "since", CLOCK)).hasValue(NOW.minusSeconds(7 * 86_400));
        assertThat(RedriveRequest.instant("PT2H", "since", CLOCK)).hasValue(NOW.minusSeconds(2 * 3600));
        assertThat(RedriveRequest.instant("P1DT1H", "since", CLOCK)).hasValue(NOW.minusSeconds(25 * 3600));
    }

    @Test
    void theJarSubcommandTakesTheSameParametersAsOptions() {
        assertThat(RedriveRequest.parametersOf(List.of("--category", "server_error", "--since", "2h", "--dry-run",
                "--include-unknown-starts", "--status=503")))
                .containsExactly(Map.entry("category", "server_error"), Map.entry("since", "2h"),
                        Map.entry("dry_run", ""), Map.entry("include_unknown_starts", ""), Map.entry("status", "503"));
        assertThatThrownBy(() -> RedriveRequest.parametersOf(List.of("server_error")))
                .hasMessage("expected an option such as --category, not 'server_error'");
    }

    @Test
    void parametersThatNameNothingAreRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("category", "server-error"), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("category names no failure category 'server-error'; the categories are"
                        + " invalid_command, bad_request");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("type", "joins"), CLOCK))
                .hasMessage("type names no command type 'joins'; the types are start, join, leave, get, upload-url,"
                        + " agent-auth");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("status", "5xx"), CLOCK))
                .hasMessage("status must be HTTP status codes (100..599), not '5xx'");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("since", "yesterday"), CLOCK))
                .hasMessageStartingWith("since must be an ISO-8601 instant");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("since", "1h", "until", "2h"), CLOCK))
                .hasMessage("since (2026-12-01T11:00:00Z) must be before until (2026-12-01T10:00:00Z)");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("dry_run", "yes"), CLOCK))
                .hasMessage("dry_run must be given without a value, or be true or false, not 'yes'");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("limit", "0"), CLOCK))
                .hasMessage("limit must be a positive whole number, not '0'");
        assertThatThrownBy(() -> RedriveRequest.of(Map.of("categories", "timeout"), CLOCK))
                .hasMessageStartingWith("unknown parameter(s) [categories]; the parameters are category, type");
    }
}
