package org.teachlearn.learn.online;

import java.util.Arrays;

/**
 * One worker's batch of transitions as the trainer reads it: teach_learn/Experience without ROS
 * (docs/messages.md §1). Rows are in the order the worker lived them; {@code done} is 0 (not
 * done), 1 (terminal) or 2 (truncated). {@code action} is the command the policy chose (its mean,
 * or a sample from its Gaussian over commands, whose log-density is {@code logProb}), before any
 * limit; {@code expertAction} rows are NaN where no label came; {@code intervention} marks the
 * rows a person commanded. {@code obsDim} and {@code actDim} are the message's uint32 bits: a
 * value past 2^31 reads as a negative int (print it with {@link Integer#toUnsignedString(int)}).
 * A batch may be a view of arrays its sender reuses; {@link #copy} gives one of its own.
 */
public final class Batch {

    public final String worker;
    public final String task;
    public final long policyVersion;
    public final int obsDim;
    public final int actDim;
    public final float[] obs;
    public final float[] action;
    public final float[] logProb;
    public final float[] reward;
    public final float[] nextObs;
    public final byte[] done;
    public final float[] expertAction;
    public final int[] episode;
    public final byte[] intervention;
    /** When the trainer received it (wall clock, ns since the epoch): a model learned from it is stamped with it. */
    public long receivedNanos;

    public Batch(String worker, String task, long policyVersion, int obsDim, int actDim, float[] obs, float[] action, float[] logProb,
            float[] reward, float[] nextObs, byte[] done, float[] expertAction, int[] episode, byte[] intervention) {
        this.worker = worker;
        this.task = task;
        this.policyVersion = policyVersion;
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.obs = obs;
        this.action = action;
        this.logProb = logProb;
        this.reward = reward;
        this.nextObs = nextObs;
        this.done = done;
        this.expertAction = expertAction;
        this.episode = episode;
        this.intervention = intervention;
    }

    /** A batch with arrays of its own (a ROS subscriber reuses its message's arrays for the next one). */
    public Batch copy() {
        Batch c = new Batch(worker, task, policyVersion, obsDim, actDim, obs.clone(), action.clone(), logProb.clone(), reward.clone(),
                nextObs.clone(), done.clone(), expertAction.clone(), episode.clone(), intervention.clone());
        c.receivedNanos = receivedNanos;
        return c;
    }

    /**
     * A 64-bit digest of what the worker lived (version, observations, actions, rewards, episodes):
     * two batches with the same one are the same transitions sent twice.
     */
    public long fingerprint() {
        long h = policyVersion * 1_000_003L + rows();
        h = h * 0x9E3779B97F4A7C15L + Arrays.hashCode(obs);
        h = h * 0x9E3779B97F4A7C15L + Arrays.hashCode(nextObs);
        h = h * 0x9E3779B97F4A7C15L + Arrays.hashCode(action);
        h = h * 0x9E3779B97F4A7C15L + Arrays.hashCode(reward);
        h = h * 0x9E3779B97F4A7C15L + Arrays.hashCode(logProb);
        return h * 0x9E3779B97F4A7C15L + Arrays.hashCode(episode);
    }

    /** Transitions in the batch (the length of {@code reward}). */
    public int rows() {
        return reward.length;
    }

    /** Whether row {@code r} carries a finite label (an expert's, or the person's on an intervention row). */
    public boolean labelled(int r) {
        if (expertAction.length == 0) return false;
        for (int j = 0; j < actDim; j++) {
            if (!Float.isFinite(expertAction[r * actDim + j])) return false;
        }
        return true;
    }

    /** Whether row {@code r} was the policy's own sample, usable on-policy (a person's row, or a deterministic one, is not). */
    public boolean sampled(int r) {
        return intervention[r] == 0 && Float.isFinite(logProb[r]);
    }
}
