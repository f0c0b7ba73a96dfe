package io.github.ucconnector.redrive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandType;

/**
 * What an operator asks a redrive for: which dead letters go back (every criterion given must match; none given
 * selects every dead letter), whether to only list them, and whether starts whose outcome is unknown may go too.
 *
 * @param since                dead letters written at or after this instant (their record timestamp)
 * @param until                dead letters written before this instant
 * @param includeUnknownStarts let starts go whose earlier call may have reached UltraCart: each may make one more
 *                             call, which may start a second conversation
 * @param limit                send at most this many, the rest stays for a later run
 */
public record RedriveRequest(Set<FailureCategory> categories, Set<CommandType> types, Set<Integer> statuses,
        Optional<Instant> since, Optional<Instant> until, boolean dryRun, boolean includeUnknownStarts,
        OptionalInt limit) {

    /** The parameter names, as query parameters; the jar subcommand takes them as {@code --dry-run} and so on. */
    public static final List<String> PARAMETERS = List.of("category", "type", "status", "since", "until", "dry_run",
            "include_unknown_starts", "limit");

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

    public RedriveRequest {
        categories = categories.isEmpty() ? EnumSet.noneOf(FailureCategory.class) : EnumSet.copyOf(categories);
        types = types.isEmpty() ? EnumSet.noneOf(CommandType.class) : EnumSet.copyOf(types);
        statuses = Set.copyOf(statuses);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("since (" + since.get() + ") must be before until (" + until.get() + ")");
        }
    }

    /**
     * From parameters by name ({@link #PARAMETERS}); lists are separated by commas, flags are {@code true},
     * {@code false} or empty (true).
     *
     * @param now what {@code since} and {@code until} given as durations count back from
     * @throws IllegalArgumentException naming the parameter and what it accepts, for a 400 answer or exit code 2
     */
    public static RedriveRequest of(Map<String, String> parameters, Clock now) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + "; the parameters are "
                    + String.join(", ", PARAMETERS));
        }
        return new RedriveRequest(
                list(parameters, "category", RedriveRequest::category, FailureCategory.class),
                list(parameters, "type", RedriveRequest::commandType, CommandType.class),
                Set.copyOf(listOf(parameters.get("status")).stream().map(RedriveRequest::status).toList()),
                instant(parameters.get("since"), "since", now),
                instant(parameters.get("until"), "until", now),
                flag(parameters.get("dry_run"), "dry_run"),
                flag(parameters.get("include_unknown_starts"), "include_unknown_starts"),
                limit(parameters.get("limit")));
    }

    /** Whether the dead letter meets every criterion given. */
    public boolean selects(DeadLetter letter) {
        return (categories.isEmpty() || letter.category().filter(categories::contains).isPresent())
                && (types.isEmpty() || letter.commandType().filter(types::contains).isPresent())
                && (statuses.isEmpty() || letter.httpStatus().filter(statuses::contains).isPresent())
                && since.map(from -> !letter.timestamp().isBefore(from)).orElse(true)
                && until.map(to -> letter.timestamp().isBefore(to)).orElse(true);
    }

    private static <E extends Enum<E>> Set<E> list(Map<String, String> parameters, String name,
            Function<String, E> parse, Class<E> type) {
        Set<E> values = EnumSet.noneOf(type);
        listOf(parameters.get(name)).forEach(value -> values.add(parse.apply(value)));
        return values;
    }

    private static List<String> listOf(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> values = Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an empty list in '" + value + "'");
        }
        return values;
    }

    private static FailureCategory category(String id) {
        return Arrays.stream(FailureCategory.values()).filter(category -> category.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("category names no failure category '" + id
                        + "'; the categories are " + ids(FailureCategory.values(), FailureCategory::id)));
    }

    private static CommandType commandType(String id) {
        return Arrays.stream(CommandType.values()).filter(type -> type.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("type names no command type '" + id
                        + "'; the types are " + ids(CommandType.values(), CommandType::id)));
    }

    private static <T> String ids(T[] values, Function<T, String> id) {
        return Arrays.stream(values).map(id).collect(Collectors.joining(", "));
    }

    private static int status(String value) {
        try {
            int status = Integer.parseInt(value);
            if (status >= 100 && status <= 599) {
                return status;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("status must be HTTP status codes (100..599), not '" + value + "'");
    }

    /** An ISO-8601 instant, or a duration back from now: {@code PT2H}, or the short {@code 45s}, {@code 30m}, {@code 2h}, {@code 7d}. */
    static Optional<Instant> instant(String value, String name, Clock now) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.strip();
        Matcher shortForm = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        try {
            if (shortForm.matches()) {
                return Optional.of(now.instant().minus(Duration.parse(shortForm.group(2).equals("d")
                        ? "P" + shortForm.group(1) + "D" : "PT" + shortForm.group(1) + shortForm.group(2))));
            }
            if (text.regionMatches(true, 0, "P", 0, 1)) {
                return Optional.of(now.instant().minus(Duration.parse(text)));
            }
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant (2026-12-01T08:00:00Z) or a"
                    + " duration back from now (2h, 30m, 45s, 7d, PT2H), not '" + value + "'");
        }
    }

    private static boolean flag(String value, String name) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be given without a value, or be true or"
                    + " false, not '" + value + "'");
        };
    }

    private static OptionalInt limit(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit > 0) {
                return OptionalInt.of(limit);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("limit must be a positive whole number, not '" + value + "'");
    }

    /**
     * The jar subcommand's arguments as parameters: {@code --category server_error --since 2h --dry-run}; a flag
     * may stand alone, dashes in names stand for underscores.
     */
    public static Map<String, String> parametersOf(List<String> arguments) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("--") || argument.length() == 2) {
                throw new IllegalArgumentException("expected an option such as --category, not '" + argument + "'");
            }
            String name = argument.substring(2);
            String value = "";
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                value = arguments.get(++i);
            }
            parameters.put(name.replace('-', '_'), value);
        }
        return parameters;
    }
}
