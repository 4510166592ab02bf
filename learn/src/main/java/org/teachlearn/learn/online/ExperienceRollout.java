package org.teachlearn.learn.online;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * On-policy rows from the workers' batches, made into the {@link Rollout} that PPO learns from in
 * process. Rows are kept raw as they arrive; {@link #fill} then writes what the collector would
 * have: observations normalised by the policy's normaliser as it was exported (so a batch from the
 * running version is exactly on-policy), the Gaussian's output u recovered from the command
 * through the action map, its log-density moved from command units to u (log p(u) = log p(c) +
 * Σ log scale), the log-density of u under the policy as it is now (decoupled PPO: a batch may be
 * some versions old, see {@link Rollout#proximalLogProbs}), and values from the critic. Where a
 * worker's rows do not continue one another (a batch ends, an episode was reset under an open
 * transition) the rollout cuts there and bootstraps from the value of the state reached, as it
 * does for a truncated episode.
 * Preallocated for {@code capacity} rows; filling allocates nothing.
 */
public final class ExperienceRollout {

    private final int capacity, od, ad;
    private final double[] obs, next, commands, logProbs, rewards;
    private final byte[] done;
    private final boolean[] cut;
    private final DMatrixRMaj rows, nextRows;
    private final double[] nextValues;
    private int size;
    private DMatrixRMaj normalised;   // the rollout's normalised observations, wrapped once

    public ExperienceRollout(int capacity, int obsDim, int actDim) {
        this.capacity = capacity;
        this.od = obsDim;
        this.ad = actDim;
        obs = new double[capacity * obsDim];
        next = new double[capacity * obsDim];
        commands = new double[capacity * actDim];
        logProbs = new double[capacity];
        rewards = new double[capacity];
        done = new byte[capacity];
        cut = new boolean[capacity];
        rows = DMatrixRMaj.wrap(capacity, obsDim, obs);
        nextRows = DMatrixRMaj.wrap(capacity, obsDim, next);
        nextValues = new double[capacity];
    }

    /**
     * Adds rows of {@code b} from row {@code from} until the rollout is full, skipping rows the
     * policy did not sample (a person's, a deterministic policy's). Returns the first row not
     * taken ({@code b.rows()} when all were).
     */
    public int add(Batch b, int from) {
        int r = from;
        for (; r < b.rows() && size < capacity; r++) {
            if (!b.sampled(r)) {
                if (size > 0) cut[size - 1] = true;
                continue;
            }
            int k = size++;
            for (int i = 0; i < od; i++) {
                obs[k * od + i] = b.obs[r * od + i];
                next[k * od + i] = b.nextObs[r * od + i];
            }
            for (int j = 0; j < ad; j++) commands[k * ad + j] = b.action[r * ad + j];
            logProbs[k] = b.logProb[r];
            rewards[k] = b.reward[r];
            done[k] = b.done[r];
            cut[k] = r == b.rows() - 1 || !continues(b, r);
        }
        return r;
    }

    /** Row r + 1 starts where row r ended. */
    private boolean continues(Batch b, int r) {
        for (int i = 0; i < od; i++) {
            if (b.nextObs[r * od + i] != b.obs[(r + 1) * od + i]) return false;
        }
        return true;
    }

    public boolean full() {
        return size == capacity;
    }

    public int size() {
        return size;
    }

    /** Writes the rows into {@code r} (one environment, {@code capacity} steps) for {@code policy}; needs {@link #full}. */
    public void fill(GaussianPolicy policy, Rollout r) {
        if (!full()) throw new IllegalStateException("the rollout has " + size + " of " + capacity + " rows");
        if (r.size() != capacity || r.envs != 1) throw new IllegalArgumentException("the rollout must be 1 x " + capacity);
        ActionMap map = policy.layout().actions();
        double logScale = 0;
        for (int j = 0; j < ad; j++) logScale += Math.log(map.scale()[j]);
        policy.norm().normalise(obs, r.obs, capacity);
        for (int k = 0; k < capacity; k++) {
            for (int j = 0; j < ad; j++) {
                int s = map.source()[j];
                double base = (s >= 0 ? obs[k * od + s] : 0) + map.offset()[j];
                r.actions[k * ad + j] = (commands[k * ad + j] - base) / map.scale()[j];
            }
            r.logProbs[k] = logProbs[k] + logScale;
            r.rewards[k] = rewards[k];
            r.terminal[k] = done[k] == 1;
            r.episodeEnd[k] = done[k] != 0 || cut[k];
        }
        // a batch may be some versions old: PPO clips around this policy and weights each row by it over the worker's
        if (normalised == null || normalised.data != r.obs) normalised = DMatrixRMaj.wrap(capacity, od, r.obs);
        DMatrixRMaj mean = policy.actor().forward(normalised);
        double[] ls = policy.logStd().value().data;
        for (int k = 0; k < capacity; k++) r.proximalLogProbs[k] = DiagonalGaussian.logProb(r.actions, mean.data, k, ls, ad);
        r.decoupled = true;
        policy.values(rows, r.values);
        policy.values(nextRows, nextValues);
        for (int k = 0; k < capacity; k++) r.nextValues[k] = r.terminal[k] ? 0 : nextValues[k];
    }

    /** Teaches the normaliser the rollout's raw observations (after the update, for the next version). */
    public void updateNormaliser(GaussianPolicy policy) {
        policy.norm().update(obs, size);
    }

    public void clear() {
        size = 0;
    }
}
