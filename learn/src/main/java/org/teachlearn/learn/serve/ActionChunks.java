package org.teachlearn.learn.serve;

/**
 * Runs a model that predicts chunks of the next K actions [K, act_dim]: open loop (query once,
 * play the K actions, query again) or with temporal ensembling as in ACT (Zhao et al. 2023: query
 * every tick and average, for the current tick, the predictions of the last K chunks with weights
 * exp(−m·i), i = 0 for the oldest). With K = 1 it is the plain one-action-per-query policy.
 * Preallocated; allocation-free per tick.
 */
public final class ActionChunks {

    private final int k, actDim;
    private final boolean ensemble;
    private final double decay;
    private final double[] ring;      // ensemble: chunk predicted t ticks ago in slot (tick - t) % k
    private final double[] current;   // open loop: the chunk being played
    private int position;             // open loop: next action of the chunk
    private long tick;                // ensemble: ticks since reset
    private int stored;               // ensemble: chunks available (≤ k)

    public ActionChunks(int k, int actDim, boolean ensemble, double decay) {
        if (k < 1) throw new IllegalArgumentException("chunk length must be at least 1");
        this.k = k;
        this.actDim = actDim;
        this.ensemble = ensemble && k > 1;
        this.decay = decay;
        ring = new double[this.ensemble ? k * k * actDim : 0];
        current = new double[k * actDim];
        position = k;
    }

    public int length() {
        return k;
    }

    /** Forget everything predicted (new episode, new model, the arm was held). */
    public void reset() {
        position = k;
        tick = 0;
        stored = 0;
    }

    /** True when this tick needs a fresh prediction. */
    public boolean needsQuery() {
        return ensemble || position >= k;
    }

    /** A fresh prediction: {@code k} actions, row after row. */
    public void put(double[] chunk) {
        if (ensemble) {
            System.arraycopy(chunk, 0, ring, (int) (tick % k) * k * actDim, k * actDim);
            stored = Math.min(k, stored + 1);
        } else {
            System.arraycopy(chunk, 0, current, 0, k * actDim);
            position = 0;
        }
    }

    /** This tick's action into {@code action}. */
    public void next(double[] action) {
        if (!ensemble) {
            System.arraycopy(current, position * actDim, action, 0, actDim);
            position++;
            return;
        }
        java.util.Arrays.fill(action, 0, actDim, 0);
        double total = 0;
        for (int age = stored - 1; age >= 0; age--) {      // oldest first: weight exp(−m · i), i = 0 for the oldest
            double w = Math.exp(-decay * (stored - 1 - age));
            int slot = (int) ((tick - age) % k);
            int base = slot * k * actDim + age * actDim;   // that chunk's prediction for now is its entry number `age`
            for (int j = 0; j < actDim; j++) action[j] += w * ring[base + j];
            total += w;
        }
        for (int j = 0; j < actDim; j++) action[j] /= total;
        tick++;
    }
}
