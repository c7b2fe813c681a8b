package dev.orderflow.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a service's {@code /actuator/prometheus}, in the Prometheus text format. */
record Scrape(List<Sample> samples) {

    /** The samples of several scrapes together, as Prometheus holds those of all its targets. */
    static Scrape merged(List<Scrape> scrapes) {
        return new Scrape(
                scrapes.stream().flatMap(scrape -> scrape.samples().stream()).toList());
    }

    record Sample(String name, Map<String, String> labels, double value) {}

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Scrape of(String baseUrl) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("scrape of " + baseUrl + " answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.find()) {
                throw new IllegalArgumentException("not a sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(2) != null) {
                Matcher label = LABEL.matcher(matcher.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
        }
        return new Scrape(samples);
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The sum of a metric's series whose labels pass the filter; NaN values count as 0. */
    double sum(String name, Predicate<Map<String, String>> filter) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && filter.test(s.labels()) && !Double.isNaN(s.value()))
                .mapToDouble(Sample::value)
                .sum();
    }

    /** The largest value of a metric's series whose labels pass the filter; NaN if there is none. */
    double max(String name, Predicate<Map<String, String>> filter) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && filter.test(s.labels()) && !Double.isNaN(s.value()))
                .mapToDouble(Sample::value)
                .max()
                .orElse(Double.NaN);
    }

    /**
     * Whether a selector of a dashboard or alert rule selects any series of this scrape with a value: a series that
     * only ever reads NaN shows as a gap.
     */
    boolean selects(PromQl.Selector selector) {
        return samples.stream().anyMatch(s -> selector.selects(s.name(), s.labels()) && !Double.isNaN(s.value()));
    }

    boolean has(String name, Predicate<Map<String, String>> filter) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && filter.test(s.labels()));
    }
}
