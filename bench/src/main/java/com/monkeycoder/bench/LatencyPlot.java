package com.monkeycoder.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency plot as SVG, written by hand: one panel per scenario, latency (ms) against percentile on the
 * usual HdrHistogram scale (0, 90, 99, 99.9, 99.99 evenly spaced), one line per target.
 */
final class LatencyPlot {

    private static final Map<String, String> COLOURS = Map.of("direct", "#888888", "monkey", "#d9730d",
            "monkey-run", "#2e9e44", "portkey", "#2f6fde");
    private static final int PANEL_W = 420;
    private static final int PANEL_H = 260;
    private static final int COLS = 2;
    private static final int MARGIN = 50;

    private final List<BenchRunner.Scenario> scenarios;
    private final List<RunResult> results;

    LatencyPlot(List<BenchRunner.Scenario> scenarios, List<RunResult> results) {
        this.scenarios = scenarios;
        this.results = results;
    }

    String svg() {
        int rows = (scenarios.size() + COLS - 1) / COLS;
        int width = COLS * (PANEL_W + MARGIN) + MARGIN;
        int height = rows * (PANEL_H + MARGIN + 20) + 40;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">\n", width, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        int legendX = MARGIN;
        for (String target : List.of("direct", "monkey", "monkey-run", "portkey")) {
            if (results.stream().noneMatch(r -> r.target.equals(target))) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"12\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"18\">%s</text>\n", legendX, COLOURS.get(target), legendX + 18, target));
            legendX += 90;
        }
        for (int i = 0; i < scenarios.size(); i++) {
            int x0 = MARGIN + (i % COLS) * (PANEL_W + MARGIN);
            int y0 = 40 + (i / COLS) * (PANEL_H + MARGIN + 20);
            panel(s, scenarios.get(i), x0, y0);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** x position of a percentile: log10(1 / (1 - p)), so 90, 99, 99.9 are evenly spaced. */
    private static double scale(double percentile) {
        return Math.log10(1 / (1 - Math.min(percentile, 99.99) / 100));
    }

    private void panel(StringBuilder s, BenchRunner.Scenario scenario, int x0, int y0) {
        List<RunResult> rs = results.stream().filter(r -> r.scenario.equals(scenario.id())).toList();
        double maxX = scale(99.99);
        double maxY = 0;
        for (RunResult r : rs) {
            maxY = Math.max(maxY, RunResult.ms(r.latency, 99.99));
        }
        maxY = niceCeiling(maxY);
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", x0, y0 - 6,
                escape(scenario.title())));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>\n",
                x0, y0, PANEL_W, PANEL_H));
        for (double p : new double[]{0, 90, 99, 99.9, 99.99}) {
            double x = x0 + scale(p) / maxX * PANEL_W;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">p%s</text>\n", x, y0, x, y0 + PANEL_H, x,
                    y0 + PANEL_H + 14, p == 0 ? "0" : stripZeros(p)));
        }
        for (int k = 0; k <= 4; k++) {
            double v = maxY * k / 4;
            double y = y0 + PANEL_H - (v / maxY) * PANEL_H;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", x0, y, x0 + PANEL_W, y, x0 - 4, y + 4,
                    stripZeros(v)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\" text-anchor=\"middle\">ms</text>\n",
                x0 - 36, y0 + PANEL_H / 2, x0 - 36, y0 + PANEL_H / 2));
        for (RunResult r : rs) {
            Histogram h = r.latency;
            if (h.getTotalCount() == 0) {
                continue;
            }
            StringBuilder points = new StringBuilder();
            for (int step = 0; step <= 200; step++) {
                double p = 100 - 100 * Math.pow(10, -4.0 * step / 200); // 0 .. 99.99
                double x = x0 + scale(p) / maxX * PANEL_W;
                double y = y0 + PANEL_H - Math.min(1, RunResult.ms(h, p) / maxY) * PANEL_H;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>\n",
                    COLOURS.getOrDefault(r.target, "black"), points.toString().trim()));
        }
    }

    private static double niceCeiling(double v) {
        if (v <= 0 || Double.isNaN(v)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String stripZeros(double v) {
        String text = String.format(Locale.ROOT, "%.3f", v);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
