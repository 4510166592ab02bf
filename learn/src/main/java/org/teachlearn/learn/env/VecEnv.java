package org.teachlearn.learn.env;

import java.util.function.IntFunction;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * N simulator instances stepped together, as one batch of observations and commands. An episode
 * that ends is reset at once with the next seed (seeds count up from {@code seed}); the state it
 * ended in is kept in {@link #finalObservations} so a truncated episode can bootstrap from it.
 * Environments are stepped in a fixed order, so a run is deterministic. A step allocates nothing.
 */
public final class VecEnv {

    private final ArmEnv[] envs;
    private final PolicyLayout layout;
    private final double[] finalObs;
    private final double[] rewards;
    private final boolean[] terminal;
    private final boolean[] episodeEnd;
    private final boolean[] success;
    private final double[] episodeReturn;
    private long nextSeed;
    private long episodes;
    private long steps;
    private double completedReturn;
    private long completedSuccesses;
    private long completed;

    public VecEnv(int n, IntFunction<ArmEnv> factory, long seed) {
        if (n < 1) throw new IllegalArgumentException("a vectorised environment needs at least one environment, got " + n);
        envs = new ArmEnv[n];
        for (int i = 0; i < n; i++) envs[i] = factory.apply(i);
        layout = envs[0].layout();
        finalObs = new double[n * layout.observationSize()];
        rewards = new double[n];
        terminal = new boolean[n];
        episodeEnd = new boolean[n];
        success = new boolean[n];
        episodeReturn = new double[n];
        nextSeed = seed;
        for (ArmEnv e : envs) e.reset(nextSeed++);
    }

    public int size() {
        return envs.length;
    }

    public PolicyLayout layout() {
        return layout;
    }

    /** Current observations, one row per environment. */
    public void observe(double[] out) {
        int od = layout.observationSize();
        for (int i = 0; i < envs.length; i++) envs[i].observe(out, i * od);
    }

    /** The expert's commands for the current states, one row per environment. */
    public void expertCommands(double[] out) {
        int ad = layout.actionSize();
        for (int i = 0; i < envs.length; i++) envs[i].expertCommand(out, i * ad);
    }

    /** Steps every environment with its row of {@code commands}; ended episodes restart. */
    public void step(double[] commands) {
        int ad = layout.actionSize(), od = layout.observationSize();
        for (int i = 0; i < envs.length; i++) {
            ArmEnv e = envs[i];
            e.step(commands, i * ad);
            rewards[i] = e.reward();
            episodeReturn[i] += rewards[i];
            terminal[i] = e.terminal();
            episodeEnd[i] = e.done();
            success[i] = e.success();
            if (episodeEnd[i]) {
                e.observe(finalObs, i * od);
                completed++;
                completedReturn += episodeReturn[i];
                if (success[i]) completedSuccesses++;
                episodeReturn[i] = 0;
                e.reset(nextSeed++);
                episodes++;
            }
        }
        steps += envs.length;
    }

    /**
     * Restarts every environment with the next seeds, cutting the episodes in progress (a
     * checkpoint does this, so a resumed run and an uninterrupted one continue identically).
     */
    public void restart() {
        for (int i = 0; i < envs.length; i++) {
            envs[i].reset(nextSeed++);
            episodeReturn[i] = 0;
        }
    }

    public double[] rewards() {
        return rewards;
    }

    public boolean[] terminal() {
        return terminal;
    }

    public boolean[] episodeEnd() {
        return episodeEnd;
    }

    public boolean[] success() {
        return success;
    }

    /** Observations in which the last step's ended episodes ended (rows of the others are stale). */
    public double[] finalObservations() {
        return finalObs;
    }

    /** Environment steps taken, over all environments. */
    public long steps() {
        return steps;
    }

    /** Mean return and success rate of the episodes completed since the last call; NaN if none. */
    public double[] takeEpisodeStats() {
        double[] s = completed == 0 ? new double[] {Double.NaN, Double.NaN, 0}
                : new double[] {completedReturn / completed, (double) completedSuccesses / completed, completed};
        completed = 0;
        completedReturn = 0;
        completedSuccesses = 0;
        return s;
    }

    public long nextSeed() {
        return nextSeed;
    }

    public ArmEnv env(int i) {
        return envs[i];
    }
}
