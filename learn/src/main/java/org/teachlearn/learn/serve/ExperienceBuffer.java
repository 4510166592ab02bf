package org.teachlearn.learn.serve;

import java.util.Arrays;

/**
 * Transitions (s, a, log π(a|s), r, s', done, expert action, episode, executed action, whether a
 * person commanded it) as a policy server sees them,
 * collected into batches for {@code /experience} (docs/messages.md §1). A transition opens when the
 * policy acts on a state and closes at the next state, which brings its reward and done flag.
 * The expert's label for a state may arrive after the policy acted on it, even after the transition
 * closed (the expert is another node and runs at its own pace), so labels find their transition by
 * the state's stamp anywhere in the unsent batch. Preallocated; filling a batch allocates nothing.
 */
public final class ExperienceBuffer {

    public static final byte NOT_DONE = 0, TERMINAL = 1, TRUNCATED = 2;

    private final int obsDim, actDim, capacity;
    private final float[] obs, action, logProb, reward, nextObs, expert, executed;
    private final byte[] done, intervention;
    private final int[] episode;
    private final long[] stamp;
    private int size;
    private boolean open;

    public ExperienceBuffer(int obsDim, int actDim, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("an experience batch needs at least one transition");
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.capacity = capacity;
        obs = new float[capacity * obsDim];
        nextObs = new float[capacity * obsDim];
        action = new float[capacity * actDim];
        expert = new float[capacity * actDim];
        executed = new float[capacity * actDim];
        intervention = new byte[capacity];
        logProb = new float[capacity];
        reward = new float[capacity];
        done = new byte[capacity];
        episode = new int[capacity];
        stamp = new long[capacity];
    }

    /**
     * Opens a transition: the policy acted on {@code s}, the state stamped {@code stateStamp} (any
     * unique number per state, e.g. nanoseconds), choosing {@code a} (before any limit; NaN
     * log-probability when deterministic) and sending {@code sent} (clamped, step-limited);
     * {@code byPerson} when a person commanded this step instead of the policy.
     */
    public void open(double[] s, double[] a, double[] sent, double logProbability, boolean byPerson, int episodeNumber, long stateStamp) {
        for (int i = 0; i < obsDim; i++) obs[size * obsDim + i] = (float) s[i];
        for (int j = 0; j < actDim; j++) action[size * actDim + j] = (float) a[j];
        for (int j = 0; j < actDim; j++) executed[size * actDim + j] = (float) sent[j];
        intervention[size] = (byte) (byPerson ? 1 : 0);
        Arrays.fill(expert, size * actDim, (size + 1) * actDim, Float.NaN);
        logProb[size] = (float) logProbability;
        episode[size] = episodeNumber;
        stamp[size] = stateStamp;
        open = true;
    }

    /** The expert's action for the state stamped {@code stateStamp}; false when no unsent transition starts there. */
    public boolean label(long stateStamp, double[] expertAction) {
        for (int k = open ? size : size - 1; k >= 0; k--) {
            if (stamp[k] != stateStamp) continue;
            for (int j = 0; j < actDim; j++) expert[k * actDim + j] = (float) expertAction[j];
            return true;
        }
        return false;
    }

    public boolean isOpen() {
        return open;
    }

    /** Closes the open transition with the state reached; returns true when the batch is full. */
    public boolean close(double[] next, double r, byte doneFlag) {
        if (!open) return false;
        for (int i = 0; i < obsDim; i++) nextObs[size * obsDim + i] = (float) next[i];
        reward[size] = (float) r;
        done[size] = doneFlag;
        size++;
        open = false;
        return size == capacity;
    }

    /** Drops an open transition (the episode was reset under it, or the policy stopped acting). */
    public void abandon() {
        open = false;
    }

    public int size() {
        return size;
    }

    /** Empties the batch after it was sent. */
    public void clear() {
        size = 0;
    }

    public int obsDim() {
        return obsDim;
    }

    public int actDim() {
        return actDim;
    }

    /** Copies the first {@link #size} transitions' arrays into the given ones (each exactly sized). */
    public void copyTo(float[] obsOut, float[] actionOut, float[] logProbOut, float[] rewardOut, float[] nextObsOut, byte[] doneOut,
            float[] expertOut, int[] episodeOut, float[] executedOut, byte[] interventionOut) {
        System.arraycopy(executed, 0, executedOut, 0, size * actDim);
        System.arraycopy(intervention, 0, interventionOut, 0, size);
        System.arraycopy(obs, 0, obsOut, 0, size * obsDim);
        System.arraycopy(action, 0, actionOut, 0, size * actDim);
        System.arraycopy(logProb, 0, logProbOut, 0, size);
        System.arraycopy(reward, 0, rewardOut, 0, size);
        System.arraycopy(nextObs, 0, nextObsOut, 0, size * obsDim);
        System.arraycopy(done, 0, doneOut, 0, size);
        System.arraycopy(expert, 0, expertOut, 0, size * actDim);
        System.arraycopy(episode, 0, episodeOut, 0, size);
    }
}
