package org.teachlearn.learn.data;

import java.util.Arrays;
import org.teachlearn.learn.policy.ActionMap;

/**
 * Labelled states for imitation: raw observations and the policy output u that gives the
 * labelled command there (through the layout's {@link ActionMap}). Grows as DAgger aggregates.
 */
public final class Dataset {

    private final int obsDim;
    private final ActionMap actions;
    private double[] obs;
    private double[] targets;
    private int size;

    public Dataset(int obsDim, ActionMap actions) {
        this.obsDim = obsDim;
        this.actions = actions;
        obs = new double[1024 * obsDim];
        targets = new double[1024 * actions.size()];
    }

    /** Adds a state {@code observation} labelled with {@code command} (arrays from the given offsets). */
    public void add(double[] observation, int obsOffset, double[] command, int cmdOffset) {
        growForOne();
        System.arraycopy(observation, obsOffset, obs, size * obsDim, obsDim);
        actions.inverse(observation, obsOffset, command, cmdOffset, targets, size * actions.size());
        size++;
    }

    /** Adds a state with its target output u directly (a dataset read back from a file). */
    public void addTarget(double[] observation, int obsOffset, double[] u, int uOffset) {
        growForOne();
        System.arraycopy(observation, obsOffset, obs, size * obsDim, obsDim);
        System.arraycopy(u, uOffset, targets, size * actions.size(), actions.size());
        size++;
    }

    private void growForOne() {
        if ((size + 1) * obsDim > obs.length) {
            obs = Arrays.copyOf(obs, obs.length * 2);
            targets = Arrays.copyOf(targets, targets.length * 2);
        }
    }

    public int size() {
        return size;
    }

    public int obsDim() {
        return obsDim;
    }

    public int actDim() {
        return actions.size();
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
