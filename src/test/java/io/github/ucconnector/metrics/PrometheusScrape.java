package io.github.ucconnector.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Prometheus text-format scrape, series by series: {@code name{label="value",…}} exactly as written (Micrometer
 * writes labels in name order) to its value.
 */
record PrometheusScrape(Map<String, Double> series) {

    static PrometheusScrape parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new PrometheusScrape(series);
    }

    /** The value of one series, or {@code null} when the scrape has none. */
    Double value(String series) {
        return this.series.get(series);
    }

    boolean has(String namePrefix) {
        return series.keySet().stream().anyMatch(key -> key.startsWith(namePrefix));
    }
}
