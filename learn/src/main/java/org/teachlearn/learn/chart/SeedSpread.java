package org.teachlearn.learn.chart;

import java.util.Arrays;
import java.util.List;

/**
 * The mean of several runs' curves (seeds of one configuration) and their lowest and highest
 * value at each x, on the x values of the first run within the range all runs cover; a run logged
 * at other x values is interpolated linearly.
 */
public record SeedSpread(double[] x, double[] mean, double[] low, double[] high, int runs) {

    public static SeedSpread of(List<Curve> curves) {
        List<Curve> present = curves.stream().filter(c -> !c.isEmpty()).toList();
        if (present.isEmpty()) throw new IllegalArgumentException("no run has points to average");
        double from = Double.NEGATIVE_INFINITY, to = Double.POSITIVE_INFINITY;
        for (Curve c : present) {
            from = Math.max(from, c.x()[0]);
            to = Math.min(to, c.lastX());
        }
        double lo = from, hi = to;
        double[] grid = Arrays.stream(present.get(0).x()).filter(v -> v >= lo && v <= hi).toArray();
        double[] mean = new double[grid.length], low = new double[grid.length], high = new double[grid.length];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (Curve c : present) {
            for (int i = 0; i < grid.length; i++) {
                double v = at(c, grid[i]);
                mean[i] += v / present.size();
                low[i] = Math.min(low[i], v);
                high[i] = Math.max(high[i], v);
            }
        }
        return new SeedSpread(grid, mean, low, high, present.size());
    }

    /** The band's outline, high edge left to right then low edge back: one closed polygon. */
    public double[][] bandPolygon() {
        int n = x.length;
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = high[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = low[i];
        }
        return new double[][] {px, py};
    }

    static double at(Curve c, double x) {
        double[] xs = c.x(), ys = c.y();
        int i = Arrays.binarySearch(xs, x);
        if (i >= 0) return ys[i];
        int hi = -i - 1;
        if (hi == 0) return ys[0];
        if (hi == xs.length) return ys[xs.length - 1];
        double t = (x - xs[hi - 1]) / (xs[hi] - xs[hi - 1]);
        return ys[hi - 1] + t * (ys[hi] - ys[hi - 1]);
    }
}
