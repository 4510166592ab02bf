package org.teachlearn.learn.train;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.teachlearn.learn.chart.Curve;
import org.teachlearn.learn.chart.Figure;
import org.teachlearn.learn.chart.PaperStyle;

/**
 * A run's curves from its CSV log, as {@code curve.png} and {@code curve.svg}: one panel per
 * requested column against the x column. A success-rate panel is on 0–100 % and shows the
 * evaluations (markers; the last value in the legend) with the training episodes' success where
 * the log has it; a return panel likewise; other columns are plain lines.
 */
public final class LearningCurve {

    /** Axis titles with units for the logs' columns; a column not listed is titled by its name. */
    private static final Map<String, String> TITLES = Map.of(
            "env_steps", "environment steps",
            "labels", "expert labels (labelled states)",
            "iteration", "iteration",
            "loss", "training loss",
            "mean_return", "mean episode return",
            "eval_return", "mean episode return",
            "value_loss", "value loss",
            "policy_loss", "policy loss");

    /** The same colour for evaluations in every run's chart, whether or not a training curve is beside them. */
    private static final Color TRAINING = PaperStyle.COLOURS[0], EVALUATION = PaperStyle.COLOURS[1];

    private LearningCurve() {
    }

    /** Panels of {@code yColumns} against {@code xColumn}, axis titled from the column's name. */
    public static void plot(Path csv, String xColumn, String[] yColumns, String title, Path png) throws IOException {
        plot(csv, xColumn, axisTitle(xColumn), yColumns, title, png);
    }

    /** As above with the x axis titled {@code xTitle} (behaviour cloning's "iteration" counts epochs). */
    public static void plot(Path csv, String xColumn, String xTitle, String[] yColumns, String title, Path png) throws IOException {
        figure(CsvLog.header(csv), CsvLog.read(csv), xColumn, xTitle, yColumns, title).write(png);
    }

    static Figure figure(String[] header, List<double[]> rows, String xColumn, String xTitle, String[] yColumns, String title) {
        int x = index(header, xColumn);
        List<XYChart> panels = new ArrayList<>();
        for (int p = 0; p < yColumns.length; p++) {
            String y = yColumns[p];
            XYChart c = PaperStyle.chart(p == 0 ? title : null, xTitle, axisTitle(y));
            if (y.endsWith("success_rate")) {
                PaperStyle.successAxis(c);
                training(c, header, rows, x, "success_rate", 100, "training episodes (stochastic policy)");
                evaluation(c, header, rows, x, "eval_success_rate", 100, "%.0f%%", true);
            } else if (y.endsWith("return")) {
                training(c, header, rows, x, "mean_return", 1, "training episodes (stochastic policy)");
                evaluation(c, header, rows, x, "eval_return", 1, "%.2f", false);
            } else {
                training(c, header, rows, x, y, 1, y.replace('_', ' '));
                c.getStyler().setLegendVisible(false);
            }
            PaperStyle.finish(c, Curve.of(rows, x, x, 1).maxX());
            panels.add(c);
        }
        return new Figure(panels);
    }

    private static void training(XYChart c, String[] header, List<double[]> rows, int x, String column, double scale, String name) {
        int y = find(header, column);
        if (y < 0) return;
        Curve curve = Curve.of(rows, x, y, scale);
        if (curve.isEmpty()) return;
        XYSeries s = c.addSeries(name, curve.x(), curve.y());
        s.setMarker(curve.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineWidth(1.4f);
        s.setLineColor(TRAINING);
        s.setMarkerColor(TRAINING);
    }

    private static void evaluation(XYChart c, String[] header, List<double[]> rows, int x, String column, double scale, String valueFormat,
            boolean labelPoint) {
        int y = find(header, column);
        if (y < 0) return;
        Curve curve = Curve.of(rows, x, y, scale);
        if (curve.isEmpty()) return;
        // The figure a reader quotes goes in the legend; a lone success rate also gets it beside its marker
        // (on the fixed 0-100 % axis the label's offset is known; on a data-scaled axis it could sit on the marker).
        String last = String.format(Locale.ROOT, valueFormat, curve.lastY());
        XYSeries s = c.addSeries(curve.size() == 1 ? "evaluation (deterministic policy): " + last : "evaluations (deterministic policy), last " + last, curve.x(), curve.y());
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineWidth(2f);
        s.setLineColor(EVALUATION);
        s.setMarkerColor(EVALUATION);
        if (curve.size() == 1 && labelPoint) PaperStyle.labelLast(c, curve, valueFormat);
    }

    static String axisTitle(String column) {
        return TITLES.getOrDefault(column, column.replace('_', ' '));
    }

    private static int find(String[] header, String name) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        return -1;
    }

    private static int index(String[] header, String name) {
        int i = find(header, name);
        if (i < 0) throw new IllegalArgumentException("the log has no column '" + name + "' (columns: " + String.join(", ", header) + ")");
        return i;
    }
}
