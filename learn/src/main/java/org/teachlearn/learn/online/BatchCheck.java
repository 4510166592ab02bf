package org.teachlearn.learn.online;

import java.util.Locale;

/**
 * What makes a batch unusable, said so that the person who runs the worker can fix it: the
 * dimensions, the task, array lengths that do not fit the row count, non-finite values, flags
 * out of range, a policy version the trainer never published. One bad batch is dropped on its
 * own; the trainer goes on with the rest.
 */
public final class BatchCheck {

    /** More rows than this in one message is a flood, not a batch (a policy server sends 256 by default). */
    public static final int MAX_ROWS = 65_536;

    private final String task;
    private final int obsDim;
    private final int actDim;

    /** @param task the trainer's task; a batch naming another one is refused (an empty name is accepted as unknown) */
    public BatchCheck(String task, int obsDim, int actDim) {
        this.task = task;
        this.obsDim = obsDim;
        this.actDim = actDim;
    }

    /** Why {@code b} is refused, or null when it is usable. {@code newestVersion} is the newest model published. */
    public String problem(Batch b, long newestVersion) {
        if (!b.task.isEmpty() && !b.task.equals(task)) {
            return "its task is '" + b.task + "', the trainer learns '" + task + "' (policy_server ~task)";
        }
        if (b.obsDim != obsDim || b.actDim != actDim) {
            return String.format(Locale.ROOT, "obs_dim %d and act_dim %d, the policy has %d and %d (another arm or task?)", b.obsDim, b.actDim,
                    obsDim, actDim);
        }
        int n = b.reward.length;
        if (n == 0) return "it holds no transitions";
        if (n > MAX_ROWS) return n + " transitions in one message (at most " + MAX_ROWS + ")";
        String lengths = lengths(b, n);
        if (lengths != null) return lengths + " for " + n + " transitions";
        if (b.policyVersion > newestVersion) {
            return "policy_version " + b.policyVersion + " was never published (the newest is " + newestVersion + ")";
        }
        for (int r = 0; r < n; r++) {
            if (b.done[r] < 0 || b.done[r] > 2) return "done[" + r + "] is " + b.done[r] + " (0, 1 or 2)";
            if (b.intervention[r] < 0 || b.intervention[r] > 1) return "intervention[" + r + "] is " + b.intervention[r] + " (0 or 1)";
            if (!Float.isFinite(b.reward[r])) return "reward[" + r + "] is " + b.reward[r];
            if (b.logProb[r] == Float.POSITIVE_INFINITY) return "logprob[" + r + "] is +Infinity";
        }
        String bad = firstNonFinite("obs", b.obs, obsDim);
        if (bad == null) bad = firstNonFinite("next_obs", b.nextObs, obsDim);
        if (bad == null) bad = firstNonFinite("action", b.action, actDim);
        return bad;
    }

    private String lengths(Batch b, int n) {
        if (b.obs.length != n * obsDim) return "obs has " + b.obs.length + " values, not " + n * obsDim;
        if (b.nextObs.length != n * obsDim) return "next_obs has " + b.nextObs.length + " values, not " + n * obsDim;
        if (b.action.length != n * actDim) return "action has " + b.action.length + " values, not " + n * actDim;
        if (b.logProb.length != n) return "logprob has " + b.logProb.length + " values, not " + n;
        if (b.done.length != n) return "done has " + b.done.length + " values, not " + n;
        if (b.episode.length != n) return "episode has " + b.episode.length + " values, not " + n;
        if (b.intervention.length != n) return "intervention has " + b.intervention.length + " values, not " + n;
        if (b.expertAction.length != 0 && b.expertAction.length != n * actDim) {
            return "expert_action has " + b.expertAction.length + " values, not 0 or " + n * actDim;
        }
        return null;
    }

    private static String firstNonFinite(String name, float[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) return name + "[" + i / width + "][" + i % width + "] is " + values[i];
        }
        return null;
    }
}
