package org.teachlearn.learn.data;

/**
 * On-policy experience from {@code envs} environments over {@code steps} steps, time-major (row
 * t · envs + i is environment i at step t). Observations are stored normalised, as the policy saw
 * them, so an update sees exactly what acting saw. Filled by the collector, then read by GAE and
 * the update; preallocated once.
 */
public final class Rollout {

    public final int steps;
    public final int envs;
    public final int obsDim;
    public final int actDim;
    public final double[] obs;
    /** The observations as the environment gave them, before the policy's normaliser; null unless {@link #keepRawObservations}. */
    public double[] rawObs;
    public final double[] actions;     // the policy outputs u (before the action map)
    public final double[] logProbs;
    public final double[] values;
    public final double[] rewards;
    public final double[] nextValues;  // value of the state reached (0 past a terminal state)
    public final boolean[] terminal;   // the episode ended in a terminal state
    public final boolean[] episodeEnd; // the episode ended here (terminal or truncated)
    public final double[] advantages;
    public final double[] returns;
    /**
     * Decoupled PPO (Hilton et al. 2022, "Batch size-invariance for policy optimization"): when
     * {@link #decoupled}, {@code logProbs} are the behaviour policy's (a worker's model, possibly
     * some versions older than the one learning) and these the learning policy's at the start of
     * the update, around which PPO clips; the behaviour's only weight each row by
     * π_proximal / π_behaviour. The collector's rollouts are made by the learning policy itself:
     * not decoupled, and {@code logProbs} serve as both.
     */
    public final double[] proximalLogProbs;
    public boolean decoupled;

    public Rollout(int steps, int envs, int obsDim, int actDim) {
        this.steps = steps;
        this.envs = envs;
        this.obsDim = obsDim;
        this.actDim = actDim;
        int n = steps * envs;
        obs = new double[n * obsDim];
        actions = new double[n * actDim];
        logProbs = new double[n];
        values = new double[n];
        rewards = new double[n];
        nextValues = new double[n];
        terminal = new boolean[n];
        episodeEnd = new boolean[n];
        advantages = new double[n];
        returns = new double[n];
        proximalLogProbs = new double[n];
    }

    public int size() {
        return steps * envs;
    }

    /** The collector also keeps {@link #rawObs} (GAIL's discriminator normalises them its own way). */
    public Rollout keepRawObservations() {
        if (rawObs == null) rawObs = new double[obs.length];
        return this;
    }
}
