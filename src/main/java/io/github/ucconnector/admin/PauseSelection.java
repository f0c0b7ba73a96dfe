package io.github.ucconnector.admin;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.ucconnector.command.CommandType;

/**
 * What a pause or resume request acts on, from its query parameters: {@code commands} (command type ids separated by
 * commas, or {@code all}) and {@code poller} (present, or {@code true}). Without either it acts on everything; with
 * one of them only on what it names.
 */
public record PauseSelection(Set<CommandType> commands, boolean poller) {

    public PauseSelection {
        commands = commands.isEmpty() ? EnumSet.noneOf(CommandType.class) : EnumSet.copyOf(commands);
    }

    public static PauseSelection everything() {
        return new PauseSelection(EnumSet.allOf(CommandType.class), true);
    }

    /**
     * @param commands the {@code commands} parameter, or {@code null} when absent
     * @param poller   the {@code poller} parameter ({@code ""} when given without a value), or {@code null}
     * @throws IllegalArgumentException naming what is wrong, for a 400 answer
     */
    public static PauseSelection of(String commands, String poller) {
        if (commands == null && poller == null) {
            return everything();
        }
        boolean pollerSelected = poller != null && switch (poller.strip().toLowerCase(Locale.ROOT)) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("poller must be given without a value, or be true or false,"
                    + " not '" + poller + "'");
        };
        return new PauseSelection(commands == null ? Set.of() : commandTypes(commands), pollerSelected);
    }

    private static Set<CommandType> commandTypes(String commands) {
        Set<CommandType> types = EnumSet.noneOf(CommandType.class);
        for (String id : commands.split(",")) {
            String wanted = id.strip();
            if (wanted.equals("all")) {
                types.addAll(EnumSet.allOf(CommandType.class));
                continue;
            }
            types.add(Arrays.stream(CommandType.values()).filter(type -> type.id().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("commands names no command type '" + wanted
                            + "'; the types are all, " + ids(EnumSet.allOf(CommandType.class)))));
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("commands names no command type; the types are all, "
                    + ids(EnumSet.allOf(CommandType.class)));
        }
        return types;
    }

    static String ids(Set<CommandType> types) {
        return types.stream().map(CommandType::id).collect(Collectors.joining(", "));
    }
}
