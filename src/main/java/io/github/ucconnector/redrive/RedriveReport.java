package io.github.ucconnector.redrive;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandType;

/**
 * What a redrive did, or with {@code dry_run} would do. Dead letters are listed by what names them, never by their
 * values, which may hold customer text.
 *
 * @param scanned     dead letters read
 * @param selected    the ones that met the request and go (or would go) back
 * @param sent        how many of them were sent back (0 on a dry run)
 * @param skipped     the ones that met the request's criteria but do not go back, each with its reason
 * @param notMatching dead letters that do not meet the request's criteria
 * @param complete    false when the limit stopped the run before the end of the dead-letter topic
 */
public record RedriveReport(
        @JsonProperty("dry_run") boolean dryRun,
        long scanned,
        List<Letter> selected,
        int sent,
        List<Letter> skipped,
        @JsonProperty("not_matching") long notMatching,
        boolean complete) {

    /** Why a dead letter that meets the criteria does not go back. */
    public enum Reason {
        /** An earlier redrive sent it back already; if that failed again there is a newer dead letter. */
        ALREADY_REDRIVEN,
        /** A start whose earlier call may have reached UltraCart; include_unknown_starts lets it go. */
        UNKNOWN_OUTCOME_START,
        /** It names no command topic of this connector to go back to. */
        NO_COMMAND_TOPIC;

        /** As the report shows it: {@code already_redriven} and so on. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One dead letter.
     *
     * @param to     the command topic it goes back to
     * @param reason why it was skipped; absent for a selected one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Letter(
            @JsonProperty("command_id") String commandId,
            String type,
            String category,
            Integer status,
            int partition,
            long offset,
            String to,
            Reason reason) {

        static Letter of(DeadLetter letter, Reason reason) {
            return new Letter(letter.commandId().orElse(null),
                    letter.commandType().map(CommandType::id).orElse(null),
                    letter.category().map(FailureCategory::id).orElse(null),
                    letter.httpStatus().orElse(null), letter.record().partition(), letter.record().offset(),
                    letter.originalTopic().orElse(null), reason);
        }
    }

    /** One line for the log: the counts, no ids. */
    public String summary() {
        return (dryRun ? "would send back " + selected.size() : "sent back " + sent) + " of " + scanned
                + " dead letter(s); " + skipped.size() + " skipped, " + notMatching + " not matching"
                + (complete ? "" : "; stopped at the limit");
    }
}
