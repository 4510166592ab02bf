package org.teachlearn.learn.demo;

import java.util.Arrays;

/**
 * Rows of a fixed width, each at a time (ns), looked up by "the latest at or before t": how a
 * recording is resampled at the policy's control period. Rows may come out of order (a bag is
 * ordered by receive time, rows are timed by their stamps); {@link #latest} sorts them first,
 * stably, so of equal times the last added wins.
 */
public final class Timeline {

    private final int width;
    private long[] times = new long[64];
    private double[] values;
    private int size;
    private boolean sorted = true;

    public Timeline(int width) {
        this.width = width;
        values = new double[64 * Math.max(1, width)];
    }

    public int width() {
        return width;
    }

    public int size() {
        return size;
    }

    /** Adds a row at {@code nanos} from {@code row[offset..offset+width)}. */
    public void add(long nanos, double[] row, int offset) {
        if (size == times.length) {
            times = Arrays.copyOf(times, 2 * size);
            values = Arrays.copyOf(values, 2 * size * Math.max(1, width));
        }
        if (size > 0 && nanos < times[size - 1]) sorted = false;
        times[size] = nanos;
        System.arraycopy(row, offset, values, size * width, width);
        size++;
    }

    /** Index of the latest row at or before {@code nanos}; −1 when every row is later. */
    public int latest(long nanos) {
        sort();
        int lo = 0, hi = size - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= nanos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    public long time(int row) {
        sort();
        return times[row];
    }

    public double value(int row, int column) {
        sort();
        return values[row * width + column];
    }

    /** Copies {@code count} values of row {@code row} from column {@code from} into {@code out[offset..]}. */
    public void copy(int row, int from, int count, double[] out, int offset) {
        sort();
        System.arraycopy(values, row * width + from, out, offset, count);
    }

    public long first() {
        sort();
        return times[0];
    }

    public long last() {
        sort();
        return times[size - 1];
    }

    /** The median interval between rows (ns), or 0 with fewer than two: the rate a topic was recorded at. */
    public long medianInterval() {
        sort();
        if (size < 2) return 0;
        long[] d = new long[size - 1];
        for (int i = 1; i < size; i++) d[i - 1] = times[i] - times[i - 1];
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private void sort() {
        if (sorted) return;
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));   // stable: equal times keep their order
        long[] t = new long[times.length];
        double[] v = new double[values.length];
        for (int i = 0; i < size; i++) {
            t[i] = times[order[i]];
            System.arraycopy(values, order[i] * width, v, i * width, width);
        }
        times = t;
        values = v;
        sorted = true;
    }
}
