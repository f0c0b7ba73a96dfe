package io.github.ucconnector.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results table: one row per measured figure, written as Markdown and CSV. */
final class Report {

    /**
     * @param connector the connector's figure (median over runs where there are several)
     * @param baseline  the baseline's figure in the same run, or NaN where there is none
     * @param ratio     connector / baseline as the target reads it, or NaN
     * @param target    the target in words, or "" for a figure without one
     * @param met       "yes", "no", or "" for a figure without a target
     */
    record Row(String scenario, String figure, String unit, double connector, String connectorSpread,
            double baseline, String baselineSpread, double ratio, String target, String met) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
        System.out.println(format(row));
    }

    /** A figure with a target: {@code met} tells whether it was reached. */
    void add(String scenario, String figure, String unit, List<Double> connector, List<Double> baseline,
            boolean ratioOfBaseline, String target, Boolean met) {
        double c = Stats.median(connector);
        double b = baseline.isEmpty() ? Double.NaN : Stats.median(baseline);
        add(new Row(scenario, figure, unit, c, Stats.spread(connector, 2), b,
                baseline.isEmpty() ? "" : Stats.spread(baseline, 2), ratioOfBaseline ? c / b : Double.NaN,
                target, met == null ? "" : met ? "yes" : "no"));
    }

    void note(String note) {
        notes.add(note);
        System.out.println("  note: " + note);
    }

    List<Row> rows() {
        return rows;
    }

    void write(Path folder, String heading) throws IOException {
        Files.createDirectories(folder);
        StringBuilder md = new StringBuilder(heading).append("\n\n");
        md.append("| scenario | figure | connector: median (min–max) | baseline: median (min–max) | ratio | target | met |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(row.scenario()).append(" | ").append(row.figure()).append(" (").append(row.unit())
                    .append(") | ").append(row.connectorSpread()).append(" | ").append(row.baselineSpread())
                    .append(" | ").append(Double.isNaN(row.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", row.ratio()))
                    .append(" | ").append(row.target()).append(" | ").append(row.met()).append(" |\n");
        }
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        Files.writeString(folder.resolve("results.md"), md);
        StringBuilder csv = new StringBuilder("scenario,figure,unit,connector,baseline,ratio,target,met\n");
        for (Row row : rows) {
            csv.append(String.join(",", quote(row.scenario()), quote(row.figure()), quote(row.unit()),
                    number(row.connector()), number(row.baseline()), number(row.ratio()), quote(row.target()),
                    row.met())).append('\n');
        }
        Files.writeString(folder.resolve("results.csv"), csv);
    }

    private static String format(Row row) {
        return String.format(Locale.ROOT, "[%s] %s: connector %s %s, baseline %s, ratio %s, target %s %s",
                row.scenario(), row.figure(), row.connectorSpread(), row.unit(), row.baselineSpread(),
                Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", row.ratio()), row.target(),
                row.met());
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
