package org.teachlearn.learn.data;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;

/**
 * Seeded minibatch iteration over {@code n} rows: a fresh permutation per epoch, then consecutive
 * slices of it; rows are gathered into preallocated matrices. The last, short minibatch of an
 * epoch is kept (as Stable-Baselines3 and torch's DataLoader do by default).
 */
public final class Minibatches {

    private final int[] order;
    private final int size;

    public Minibatches(int n, int size) {
        if (size < 1) throw new IllegalArgumentException("minibatch size must be positive, got " + size);
        order = new int[n];
        this.size = size;
        for (int i = 0; i < n; i++) order[i] = i;
    }

    public void shuffle(Rng rng) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        rng.shuffle(order);
    }

    public int count() {
        return (order.length + size - 1) / size;
    }

    public int from(int batch) {
        return batch * size;
    }

    public int to(int batch) {
        return Math.min(order.length, (batch + 1) * size);
    }

    /** The row at position {@code k} of the current permutation. */
    public int row(int k) {
        return order[k];
    }

    /** Copies the rows at permutation positions [from, to) of {@code src} (width {@code cols}) into {@code dst}, reshaped. */
    public void gather(double[] src, int cols, int from, int to, DMatrixRMaj dst) {
        dst.reshape(to - from, cols);
        for (int k = from; k < to; k++) System.arraycopy(src, order[k] * cols, dst.data, (k - from) * cols, cols);
    }

    public void gather(double[] src, int from, int to, double[] dst) {
        for (int k = from; k < to; k++) dst[k - from] = src[order[k]];
    }
}
