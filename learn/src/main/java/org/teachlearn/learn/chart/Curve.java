package org.teachlearn.learn.chart;

import java.util.Arrays;
import java.util.List;

/** One line's points, taken from a log's rows where both cells are numbers (evaluations are logged only every few rows). */
public record Curve(double[] x, double[] y) {

    public static Curve of(List<double[]> rows, int xColumn, int yColumn, double yScale) {
        double[] xs = new double[rows.size()], ys = new double[rows.size()];
        int n = 0;
        for (double[] r : rows) {
            if (r.length <= Math.max(xColumn, yColumn) || !Double.isFinite(r[xColumn]) || !Double.isFinite(r[yColumn])) continue;
            xs[n] = r[xColumn];
            ys[n++] = r[yColumn] * yScale;
        }
        return new Curve(Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
    }

    public int size() {
        return x.length;
    }

    public boolean isEmpty() {
        return x.length == 0;
    }

    public double lastX() {
        return x[x.length - 1];
    }

    public double lastY() {
        return y[y.length - 1];
    }

    public double maxX() {
        return Arrays.stream(x).max().orElse(0);
    }
}
