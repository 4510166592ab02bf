package org.teachlearn.learn.algo;

import org.teachlearn.learn.data.Rollout;

/**
 * Generalised advantage estimation (Schulman et al. 2016): δ_t = r_t + γ V(s_{t+1}) − V(s_t),
 * A_t = δ_t + γλ A_{t+1} within an episode, returns = A + V. A terminal state has no value; a
 * truncated episode, and the rollout's last step, bootstrap from the value of the state reached.
 */
public final class Gae {

    private Gae() {
    }

    public static void compute(Rollout r, double gamma, double lambda) {
        for (int i = 0; i < r.envs; i++) {
            double next = 0;
            for (int t = r.steps - 1; t >= 0; t--) {
                int k = t * r.envs + i;
                boolean last = t == r.steps - 1 || r.episodeEnd[k];
                double bootstrap = r.terminal[k] ? 0 : r.nextValues[k];
                double delta = r.rewards[k] + gamma * bootstrap - r.values[k];
                next = delta + (last ? 0 : gamma * lambda * next);
                r.advantages[k] = next;
                r.returns[k] = next + r.values[k];
            }
        }
    }

    /** (A − mean) / (std + 1e-8) over the first {@code n} values, with the unbiased std as torch's {@code Tensor.std}. */
    public static void normalise(double[] advantages, int n) {
        if (n < 2) return;
        double m = 0, s = 0;
        for (int i = 0; i < n; i++) m += advantages[i];
        m /= n;
        for (int i = 0; i < n; i++) s += (advantages[i] - m) * (advantages[i] - m);
        double std = Math.sqrt(s / (n - 1));
        for (int i = 0; i < n; i++) advantages[i] = (advantages[i] - m) / (std + 1e-8);
    }
}
