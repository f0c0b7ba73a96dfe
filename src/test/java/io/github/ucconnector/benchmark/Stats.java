package io.github.ucconnector.benchmark;

import java.util.Arrays;
import java.util.List;

/** Order statistics of a sample: the median over runs, percentiles over latencies. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double percent) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** "median (min–max)" with the given number of decimals. */
    static String spread(List<Double> values, int decimals) {
        String format = "%." + decimals + "f";
        return String.format(format, median(values)) + " (" + String.format(format, min(values)) + "–"
                + String.format(format, max(values)) + ")";
    }

    static List<Double> of(double... values) {
        return Arrays.stream(values).boxed().toList();
    }
}
