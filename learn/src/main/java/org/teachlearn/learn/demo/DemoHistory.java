package org.teachlearn.learn.demo;

import java.util.Arrays;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.ObservationHistory;

/**
 * Recorded demonstrations as the rows a history policy learns from: a {@link DemoSampler.Trace}
 * that keeps each episode's samples in order and, once the episode is over, adds every sample to
 * the dataset with its last H observations stacked, S control periods apart, newest first — the
 * row {@link ObservationHistory} builds for the running policy. Frame i of sample k is the
 * episode's sample at k − i·S periods, or the latest one before it where a reading was lost, or the
 * episode's first sample before the episode began (the server repeats the first observation too).
 * Each sample keeps its own label (one action or a chunk).
 */
public final class DemoHistory implements DemoSampler.Trace {

    private final Dataset out;
    private final int od, frames, stride, label;
    private final double[] row;
    private long[] index = new long[0];
    private double[] obs = new double[0], labels = new double[0];
    private int size, episode = -1, rows;

    /** Into {@code out}, whose rows are {@code frames} observations of {@code od} values. */
    public DemoHistory(Dataset out, int od, int frames, int stride) {
        ObservationHistory.check(frames, stride);
        if (out.obsDim() != frames * od) throw new IllegalArgumentException("a dataset of " + out.obsDim() + " inputs for " + frames + " × " + od);
        this.out = out;
        this.od = od;
        this.frames = frames;
        this.stride = stride;
        this.label = out.actDim();
        row = new double[frames * od];
    }

    @Override
    public void begin(Demonstration d) {
        flush();
    }

    @Override
    public void sampled(long k, int ep, int state, boolean own, double[] o, double[] l) {
        if (ep != episode) flush();
        episode = ep;
        if (size == index.length) {
            int n = Math.max(256, 2 * size);
            index = Arrays.copyOf(index, n);
            obs = Arrays.copyOf(obs, n * od);
            labels = Arrays.copyOf(labels, n * label);
        }
        index[size] = k;
        System.arraycopy(o, 0, obs, size * od, od);
        System.arraycopy(l, 0, labels, size * label, label);
        size++;
    }

    @Override
    public void ended(long k, int ep, int state, boolean own, double[] o) {
        // a done state has no action: nothing to learn at it
    }

    /** Adds the episode held (if any) to the dataset; call once after the last recording. */
    public void flush() {
        for (int s = 0; s < size; s++) {
            int from = s;   // the sample each frame reads, walking back from the present
            for (int i = 0; i < frames; i++) {
                long want = index[s] - (long) i * stride;
                while (from > 0 && index[from] > want) from--;
                System.arraycopy(obs, from * od, row, i * od, od);
            }
            out.addChunk(row, 0, labels, s * label);
            rows++;
        }
        size = 0;
        episode = -1;
    }

    /** Rows added so far. */
    public int rows() {
        return rows;
    }
}
