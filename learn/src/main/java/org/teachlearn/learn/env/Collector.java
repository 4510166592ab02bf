package org.teachlearn.learn.env;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Collects on-policy experience: the policy samples on every environment's observation (the
 * normaliser learning from each), the environments step, and the rollout records what the update
 * needs, including the value of the state each step reached (the ended episode's last state, not
 * the next episode's first). Allocates nothing per step.
 */
public final class Collector {

    private final VecEnv env;
    private final GaussianPolicy policy;
    private final DMatrixRMaj obs;
    private final DMatrixRMaj next;
    private final DMatrixRMaj u = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj commands = new DMatrixRMaj(1, 1);
    private final double[] logProb;
    private final double[] values;

    public Collector(VecEnv env, GaussianPolicy policy) {
        this.env = env;
        this.policy = policy;
        int n = env.size(), od = env.layout().observationSize();
        obs = new DMatrixRMaj(n, od);
        next = new DMatrixRMaj(n, od);
        logProb = new double[n];
        values = new double[n];
    }

    public void collect(Rollout r, boolean updateNormaliser, Rng rng) {
        int n = env.size(), od = r.obsDim, ad = r.actDim;
        if (r.envs != n) throw new IllegalArgumentException("rollout is for " + r.envs + " environments, collector has " + n);
        env.observe(obs.data);
        for (int t = 0; t < r.steps; t++) {
            int base = t * n;
            if (updateNormaliser) policy.norm().update(obs.data, n);
            policy.act(obs, false, rng, u, commands, logProb, values);
            policy.norm().normalise(obs.data, next.data, n);
            System.arraycopy(next.data, 0, r.obs, base * od, n * od);
            if (r.rawObs != null) System.arraycopy(obs.data, 0, r.rawObs, base * od, n * od);
            System.arraycopy(u.data, 0, r.actions, base * ad, n * ad);
            System.arraycopy(logProb, 0, r.logProbs, base, n);
            System.arraycopy(values, 0, r.values, base, n);
            env.step(commands.data);
            env.observe(obs.data);
            System.arraycopy(obs.data, 0, next.data, 0, n * od);
            boolean[] ended = env.episodeEnd();
            for (int i = 0; i < n; i++) {
                if (ended[i]) System.arraycopy(env.finalObservations(), i * od, next.data, i * od, od);
                r.rewards[base + i] = env.rewards()[i];
                r.terminal[base + i] = env.terminal()[i];
                r.episodeEnd[base + i] = ended[i];
            }
            policy.values(next, values);
            for (int i = 0; i < n; i++) r.nextValues[base + i] = r.terminal[base + i] ? 0 : values[i];
        }
    }
}
