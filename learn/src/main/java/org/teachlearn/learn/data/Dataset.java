package org.teachlearn.learn.data;

import java.util.Arrays;
import org.teachlearn.learn.policy.ActionMap;

/**
 * Labelled states for imitation: raw observations and the policy output u that gives the
 * labelled command there (through the layout's {@link ActionMap}); for a policy that predicts
 * chunks of K actions, K such outputs per state. Grows as DAgger aggregates.
 */
public final class Dataset {

    private final int obsDim;
    private final ActionMap actions;
    private final int width;   // targets per state: act_dim, or K · act_dim for chunks
    private double[] obs;
    private double[] targets;
    private int size;

    public Dataset(int obsDim, ActionMap actions) {
        this(obsDim, actions, 1);
    }

    /** Labels of {@code chunk} actions per state ({@link #addChunk}). */
    public Dataset(int obsDim, ActionMap actions, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("the chunk length must be at least 1, got " + chunk);
        this.obsDim = obsDim;
        this.actions = actions;
        this.width = chunk * actions.size();
        obs = new double[1024 * obsDim];
        targets = new double[1024 * width];
    }

    /** Adds a state {@code observation} labelled with {@code command} (arrays from the given offsets). */
    public void add(double[] observation, int obsOffset, double[] command, int cmdOffset) {
        if (width != actions.size()) throw new IllegalStateException("this dataset labels chunks: use addChunk");
        addChunk(observation, obsOffset, command, cmdOffset);
    }

    /**
     * Adds a state labelled with K commands, row after row from {@code cmdOffset}: the outputs u
     * that give each of them from this observation (a chunk is predicted in one state and played on).
     */
    public void addChunk(double[] observation, int obsOffset, double[] commands, int cmdOffset) {
        growForOne();
        System.arraycopy(observation, obsOffset, obs, size * obsDim, obsDim);
        int n = actions.size();
        for (int k = 0; k < width / n; k++) actions.inverse(observation, obsOffset, commands, cmdOffset + k * n, targets, size * width + k * n);
        size++;
    }

    /** Adds a state with its target output u directly (a dataset read back from a file). */
    public void addTarget(double[] observation, int obsOffset, double[] u, int uOffset) {
        growForOne();
        System.arraycopy(observation, obsOffset, obs, size * obsDim, obsDim);
        System.arraycopy(u, uOffset, targets, size * width, width);
        size++;
    }

    /** Makes room for {@code rows} states in all, so adding up to that many copies nothing more. */
    public void reserve(int rows) {
        if ((long) rows * Math.max(obsDim, width) > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(rows + " states do not fit in one dataset");
        if (rows * obsDim > obs.length) obs = Arrays.copyOf(obs, rows * obsDim);
        if (rows * width > targets.length) targets = Arrays.copyOf(targets, rows * width);
    }

    private void growForOne() {
        if ((size + 1) * obsDim > obs.length) obs = Arrays.copyOf(obs, Math.max(obs.length * 2, (size + 1) * obsDim));
        if ((size + 1) * width > targets.length) targets = Arrays.copyOf(targets, Math.max(targets.length * 2, (size + 1) * width));
    }

    public int size() {
        return size;
    }

    public int obsDim() {
        return obsDim;
    }

    /** Targets per state: the action's size, times K for chunks. */
    public int actDim() {
        return width;
    }

    /** Raw observations, row-major; valid for the first {@link #size} rows. */
    public double[] observations() {
        return obs;
    }

    /** Targets u, row-major; valid for the first {@link #size} rows. */
    public double[] targets() {
        return targets;
    }
}
