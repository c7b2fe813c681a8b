package dev.orderflow.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * latency.png: p50, p90, p99 and max of POST to outcome notification against the offered rate, with the
 * p99 of POST to 202, the p99 of the raw Kafka hop and the p99 limit for comparison; log scale.
 */
final class LatencyChart {

    private LatencyChart() {}

    static void write(Path file, Report report, Duration p99Limit) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        List<Report.Step> steps = report.steps().stream()
                .sorted((a, b) -> Integer.compare(a.offeredRate(), b.offeredRate()))
                .toList();
        data.addSeries(series("outcome p50", steps, s -> s.postToOutcome().p50()));
        data.addSeries(series("outcome p90", steps, s -> s.postToOutcome().p90()));
        data.addSeries(series("outcome p99", steps, s -> s.postToOutcome().p99()));
        data.addSeries(series("outcome max", steps, s -> s.postToOutcome().max()));
        data.addSeries(series("202 p99", steps, s -> s.postTo202().p99()));
        XYSeries kafka = new XYSeries("Kafka hop p99 (floor)");
        for (KafkaFloor.Result k : report.kafkaFloors()) {
            if (k.latency().p99() != null) {
                kafka.add(k.rate(), Math.max(0.1, k.latency().p99()));
            }
        }
        data.addSeries(kafka);

        NumberAxis x = new NumberAxis("offered rate (orders/s)");
        x.setAutoRangeIncludesZero(true);
        if (steps.size() == 1) {
            int rate = steps.getFirst().offeredRate();
            x.setRange(0, rate * 1.5);
            x.setTickUnit(new NumberTickUnit(Math.max(1, rate / 4)));
        }
        LogAxis y = new LogAxis("latency from scheduled send (ms, log scale)");
        y.setSmallestValue(0.1);
        y.setBase(10);
        // Whole decades, a tick at each power of ten, labelled 1, 10, 100 rather than as exponents.
        double lowest = p99Limit.toMillis();
        double highest = p99Limit.toMillis();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            XYSeries s = data.getSeries(i);
            if (!s.isEmpty()) {
                lowest = Math.min(lowest, s.getMinY());
                highest = Math.max(highest, s.getMaxY());
            }
        }
        y.setRange(Math.pow(10, Math.floor(Math.log10(lowest))), Math.pow(10, Math.ceil(Math.log10(highest * 1.2))));
        y.setTickUnit(new NumberTickUnit(1), false, true);
        y.setNumberFormatOverride(new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        y.setMinorTickMarksVisible(true);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {
            new Color(0x2b8cbe),
            new Color(0x31a354),
            new Color(0xe6550d),
            new Color(0x756bb1),
            new Color(0x636363),
            new Color(0xbdbdbd)
        };
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        float[] dash = {6f, 4f};
        renderer.setSeriesStroke(4, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        renderer.setSeriesStroke(5, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));

        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        ValueMarker limit = new ValueMarker(p99Limit.toMillis());
        limit.setPaint(Color.RED);
        limit.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        limit.setLabel("p99 limit " + p99Limit.toMillis() + " ms");
        limit.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        limit.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(limit);
        if (report.maxSustainedRate() != null && steps.size() > 1) {
            ValueMarker sustained = new ValueMarker(report.maxSustainedRate());
            sustained.setPaint(new Color(0x31a354));
            sustained.setLabel("max sustained " + report.maxSustainedRate() + "/s");
            sustained.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            sustained.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(sustained);
        }

        JFreeChart chart = new JFreeChart(
                "orderflow: POST /api/orders to its outcome notification",
                new Font("SansSerif", Font.BOLD, 16),
                plot,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle("run " + report.runId() + ", "
                + report.settings().secondsPerStep() + " s per rate, open loop; " + report.startedAt()));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1100, 650);
    }

    private static XYSeries series(String name, List<Report.Step> steps, Function<Report.Step, Double> value) {
        XYSeries series = new XYSeries(name);
        for (Report.Step s : steps) {
            Double v = value.apply(s);
            if (v != null) {
                // 0 has no place on a log scale; 0.1 ms is below anything an order takes.
                series.add(s.offeredRate(), Math.max(0.1, v));
            }
        }
        return series;
    }
}
