package org.teachlearn.learn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.teachlearn.learn.chart.Curve;
import org.teachlearn.learn.chart.Figure;
import org.teachlearn.learn.chart.PaperStyle;
import org.teachlearn.learn.chart.SeedSpread;
import org.teachlearn.learn.chart.TickLabels;

/**
 * Several runs on one chart, evaluation success (and return) against what they were given:
 * imitation runs against expert labels, so BC and DAgger compare at equal labels; on-policy runs
 * against environment steps. Runs of one method and configuration are seeds of it: drawn as their
 * mean with the band from the lowest to the highest seed.
 */
public final class RunComparison {

    private RunComparison() {
    }

    public static Figure figure(String title, List<RunDirectory> runs) {
        boolean imitation = runs.stream().allMatch(RunDirectory::imitation);
        if (!imitation && runs.stream().anyMatch(RunDirectory::imitation)) {
            throw new IllegalArgumentException("imitation runs (x: expert labels) and on-policy runs (x: environment steps) do not share an axis: "
                    + runs);
        }
        String x = imitation ? "labels" : "env_steps", xTitle = imitation ? "expert labels (labelled states)" : "environment steps";
        XYChart success = PaperStyle.chart(title, xTitle, "success rate (%)");
        PaperStyle.successAxis(success);
        XYChart returns = PaperStyle.chart(null, xTitle, "mean episode return (evaluation)");
        Map<String, List<RunDirectory>> byMethod = new LinkedHashMap<>();
        for (RunDirectory r : runs) byMethod.computeIfAbsent(legendName(r, runs), k -> new ArrayList<>()).add(r);
        int colour = 0;
        double maxX = 0;
        Map<String, Color> colours = new LinkedHashMap<>();
        for (String m : byMethod.keySet()) colours.put(m, PaperStyle.COLOURS[colour++ % PaperStyle.COLOURS.length]);
        // Methods evaluated once (BC) are drawn last, so their point is not hidden under a curve ending at the same labels.
        List<Map.Entry<String, List<RunDirectory>>> order = new ArrayList<>(byMethod.entrySet());
        order.sort((a, b) -> Boolean.compare(evaluatedOnce(a.getValue(), x), evaluatedOnce(b.getValue(), x)));
        for (Map.Entry<String, List<RunDirectory>> m : order) {
            Color c = colours.get(m.getKey());
            List<Curve> s = new ArrayList<>(), r = new ArrayList<>();
            for (RunDirectory run : m.getValue()) {
                s.add(run.curve(x, "eval_success_rate", 100));
                r.add(run.curve(x, "eval_return", 1));
                maxX = Math.max(maxX, run.curve(x, x, 1).maxX());
            }
            draw(success, m.getKey(), s, c, "%.0f%%", xTitle, true);
            draw(returns, m.getKey(), r, c, "%.2f", xTitle, false);
        }
        PaperStyle.finish(success, maxX);
        PaperStyle.finish(returns, maxX);
        return new Figure(success, returns);
    }

    /**
     * The method, and where runs of one method differ in more than their seed, the settings that
     * differ ("BC (demos 100)" beside "BC (demos 50)"): such runs are not seeds of each other.
     */
    static String legendName(RunDirectory run, List<RunDirectory> all) {
        List<Map<String, String>> others = all.stream().filter(r -> r.method().equals(run.method())).map(RunDirectory::configuration).toList();
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> e : run.configuration().entrySet()) {
            if (others.stream().anyMatch(o -> !e.getValue().equals(o.get(e.getKey())))) differing.add(e.getKey() + " " + e.getValue());
        }
        return differing.isEmpty() ? run.method() : run.method() + " (" + String.join(", ", differing) + ")";
    }

    private static boolean evaluatedOnce(List<RunDirectory> runs, String x) {
        return runs.stream().allMatch(r -> r.curve(x, "eval_success_rate", 100).size() <= 1);
    }

    private static void draw(XYChart chart, String method, List<Curve> curves, Color colour, String valueFormat, String xTitle, boolean labelPoint) {
        List<Curve> present = curves.stream().filter(c -> !c.isEmpty()).toList();
        if (present.isEmpty()) return;
        Curve line;
        String name;
        if (present.size() == 1) {
            line = present.get(0);
            name = method;
        } else {
            SeedSpread spread = SeedSpread.of(present);
            double[][] band = spread.bandPolygon();
            XYSeries area = chart.addSeries(method + ", lowest to highest of " + spread.runs() + " seeds", band[0], band[1]);
            area.setShowInLegend(false); // XChart's legend box for an area sits off its text's line: the mean's entry names the band
            area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            area.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
            area.setLineColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 0));
            area.setMarker(SeriesMarkers.NONE);
            line = new Curve(spread.x(), spread.mean());
            name = method + ", " + spread.runs() + " seeds: mean and range";
        }
        String last = String.format(Locale.ROOT, valueFormat, line.lastY());
        // A method evaluated once (BC) is one point: the legend says where it sits on the x axis.
        String label = line.size() == 1 ? name + ": " + last + " at " + TickLabels.compact(line.lastX()) + " " + xTitle.split(" \\(")[0]
                : name + ", last " + last;
        XYSeries s = chart.addSeries(label, line.x(), line.y());
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(line.size() == 1 ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
        if (line.size() == 1 && labelPoint) PaperStyle.labelLast(chart, line, valueFormat);
    }
}
