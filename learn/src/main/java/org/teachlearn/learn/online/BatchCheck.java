package org.teachlearn.learn.online;

import java.util.Locale;

/**
 * What makes a batch unusable, said so that the person who runs the worker can fix it: the
 * worker's name, the task, the dimensions, array lengths that do not fit the row count,
 * non-finite values, flags out of range, a policy version the trainer never published. One bad
 * batch is dropped on its own; the trainer goes on with the rest. A NaN log-probability is not a
 * fault: it marks a row the policy did not sample (a deterministic worker, a person's command),
 * which PPO skips and the imitation algorithms do not need.
 */
public final class BatchCheck {

    /** More rows than this in one message is a flood, not a batch (a policy server sends 256 by default). */
    public static final int MAX_ROWS = 65_536;

    /** The longest worker name taken: the name is a key of the trainer's book and goes into every log line about the worker. */
    public static final int MAX_NAME = 256;

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
        if (b.worker.length() > MAX_NAME) {
            return "its worker name is " + b.worker.length() + " characters long (at most " + MAX_NAME + "; policy_server sends its node name)";
        }
        if (!b.task.isEmpty() && !b.task.equals(task)) {
            return "its task is '" + printable(b.task, 64) + "', the trainer learns '" + task + "' (policy_server ~task)";
        }
        if (b.obsDim != obsDim || b.actDim != actDim) {
            // uint32 in the message: a value past 2^31 is shown as sent, not as a negative int
            return String.format(Locale.ROOT, "obs_dim %s and act_dim %s, the policy has %d and %d (another arm or task? policy_server ~urdf "
                    + "and ~task must match the trainer's)", Integer.toUnsignedString(b.obsDim), Integer.toUnsignedString(b.actDim), obsDim, actDim);
        }
        int n = b.reward.length;
        if (n == 0) return "it holds no transitions (reward is empty)";
        if (n > MAX_ROWS) return n + " transitions in one message (at most " + MAX_ROWS + "; policy_server ~experience_batch)";
        String lengths = lengths(b, n);
        if (lengths != null) return lengths + " for " + n + " transitions (the length of reward)";
        if (b.policyVersion > newestVersion) {
            return "policy_version " + b.policyVersion + " was never published (the newest is " + newestVersion
                    + "; a model from another trainer or run? the worker's batches are refused until it runs one of this trainer's models)";
        }
        for (int r = 0; r < n; r++) {
            if (b.done[r] < 0 || b.done[r] > 2) return "done[" + r + "] is " + (b.done[r] & 0xFF) + " (0 = not done, 1 = terminal, 2 = truncated)";
            if (b.intervention[r] < 0 || b.intervention[r] > 1) return "intervention[" + r + "] is " + (b.intervention[r] & 0xFF) + " (0 or 1)";
            if (!Float.isFinite(b.reward[r])) return "reward[" + r + "] is " + b.reward[r] + " (rewards must be finite)";
            if (b.logProb[r] == Float.POSITIVE_INFINITY) return "logprob[" + r + "] is +Infinity (NaN marks a row the policy did not sample)";
        }
        String bad = firstNonFinite("obs", b.obs, obsDim);
        if (bad == null) bad = firstNonFinite("next_obs", b.nextObs, obsDim);
        if (bad == null) bad = firstNonFinite("action", b.action, actDim);
        return bad;
    }

    private String lengths(Batch b, int n) {
        if (b.obs.length != n * obsDim) return rows("obs", b.obs.length, n, "obs_dim", obsDim);
        if (b.nextObs.length != n * obsDim) return rows("next_obs", b.nextObs.length, n, "obs_dim", obsDim);
        if (b.action.length != n * actDim) return rows("action", b.action.length, n, "act_dim", actDim);
        if (b.logProb.length != n) return "logprob has " + b.logProb.length + " values, not " + n;
        if (b.done.length != n) return "done has " + b.done.length + " values, not " + n;
        if (b.episode.length != n) return "episode has " + b.episode.length + " values, not " + n;
        if (b.intervention.length != n) return "intervention has " + b.intervention.length + " values, not " + n + " (or none)";
        if (b.expertAction.length != 0 && b.expertAction.length != n * actDim) {
            return "expert_action has " + b.expertAction.length + " values, not 0 or " + n * actDim + " (NaN rows where no expert answered)";
        }
        return null;
    }

    private static String rows(String field, int length, int n, String dimName, int dim) {
        return field + " has " + length + " values, not " + n * dim + " (" + dimName + " " + dim + " per row)";
    }

    private static String firstNonFinite(String name, float[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) return name + "[" + i / width + "][" + i % width + "] is " + values[i] + " (values must be finite)";
        }
        return null;
    }

    /**
     * {@code s} as it may go into a log line: control characters (a forged newline) shown as
     * {@code ?}, and a long string cut to {@code max} characters with its length said.
     */
    public static String printable(String s, int max) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 32);
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > max) out.append("... (").append(s.length()).append(" characters)");
        return out.toString();
    }
}
