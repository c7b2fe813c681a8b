package dev.orderflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One scrape of a Prometheus text exposition (what {@code /actuator/prometheus} answers), with the
 * arithmetic the bench needs: counters between two scrapes, and percentiles from histogram buckets the
 * way PromQL's {@code histogram_quantile} takes them.
 */
final class Prometheus {

    record Sample(String name, Map<String, String> labels, double value) {
        String key() {
            return name + new TreeMap<>(labels);
        }
    }

    /** The label {@link #merge} tells the instances apart by. */
    static final String INSTANCE = "bench_instance";

    private final Map<String, Sample> samples;

    private Prometheus(Map<String, Sample> samples) {
        this.samples = samples;
    }

    static Prometheus empty() {
        return new Prometheus(Map.of());
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    /**
     * The scrapes of the instances of one service as one: each series gains the label {@code
     * bench_instance} (the instance's place in the list), so that sums add the instances up and maxima
     * take the largest. One scrape stays as it is.
     */
    static Prometheus merge(List<Prometheus> scrapes) {
        if (scrapes.size() == 1) {
            return scrapes.getFirst();
        }
        Map<String, Sample> merged = new LinkedHashMap<>();
        for (int i = 0; i < scrapes.size(); i++) {
            for (Sample s : scrapes.get(i).samples.values()) {
                Map<String, String> labels = new HashMap<>(s.labels());
                labels.put(INSTANCE, Integer.toString(i));
                Sample labelled = new Sample(s.name(), Collections.unmodifiableMap(labels), s.value());
                merged.put(labelled.key(), labelled);
            }
        }
        return new Prometheus(merged);
    }

    static Prometheus parse(String text) {
        Map<String, Sample> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample sample = sample(line);
            if (sample != null) {
                samples.put(sample.key(), sample);
            }
        }
        return new Prometheus(samples);
    }

    /** {@code name{label="value",...} value [timestamp]}; null for a line it cannot read. */
    static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new HashMap<>();
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    return null;
                }
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i < line.length() ? line.substring(i + 1).strip() : "";
        } else if (space > 0) {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        } else {
            return null;
        }
        String number = rest.split("\\s+")[0];
        try {
            return new Sample(name, Collections.unmodifiableMap(labels), parseValue(number));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double parseValue(String number) {
        return switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(number);
        };
    }

    List<Sample> samples(String name) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples.values()) {
            if (s.name().equals(name)) {
                found.add(s);
            }
        }
        return found;
    }

    boolean has(String name) {
        return samples.values().stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sum of a metric's series whose labels pass {@code filter}. */
    double sum(String name, Predicate<Map<String, String>> filter) {
        return samples(name).stream()
                .filter(s -> filter.test(s.labels()))
                .mapToDouble(Sample::value)
                .sum();
    }

    double sum(String name) {
        return sum(name, labels -> true);
    }

    /** The largest value of a metric's series whose labels pass {@code filter}; NaN if none. */
    double max(String name, Predicate<Map<String, String>> filter) {
        return samples(name).stream()
                .filter(s -> filter.test(s.labels()))
                .mapToDouble(Sample::value)
                .max()
                .orElse(Double.NaN);
    }

    /**
     * This scrape less an earlier one, series by series: right for counters and histogram buckets (a
     * series new since then counts from 0), meaningless for gauges.
     */
    Prometheus since(Prometheus before) {
        Map<String, Sample> delta = new LinkedHashMap<>();
        samples.forEach((key, s) -> {
            Sample earlier = before.samples.get(key);
            double base = earlier == null ? 0 : earlier.value();
            delta.put(key, new Sample(s.name(), s.labels(), s.value() - base));
        });
        return new Prometheus(delta);
    }

    /** Cumulative counts by upper bound ({@code le}) of histogram {@code name}, summed over its other labels. */
    NavigableMap<Double, Double> buckets(String name, Predicate<Map<String, String>> filter) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        for (Sample s : samples(name + "_bucket")) {
            String le = s.labels().get("le");
            if (le != null && filter.test(s.labels())) {
                buckets.merge(parseValue(le), s.value(), Double::sum);
            }
        }
        return buckets;
    }

    /**
     * The {@code q} quantile of cumulative buckets, interpolated linearly inside the bucket it falls in, as
     * {@code histogram_quantile} does; NaN without observations. A quantile in the {@code +Inf} bucket is
     * the largest finite bound.
     */
    static double quantile(double q, NavigableMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return Double.NaN;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            double upper = bucket.getKey();
            double count = bucket.getValue();
            if (count >= rank) {
                if (Double.isInfinite(upper)) {
                    return lowerBound;
                }
                if (count == lowerCount) {
                    return upper;
                }
                return lowerBound + (upper - lowerBound) * (rank - lowerCount) / (count - lowerCount);
            }
            lowerBound = upper;
            lowerCount = count;
        }
        return lowerBound;
    }
}
