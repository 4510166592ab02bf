package org.teachlearn.learn.algo;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.env.VecEnv;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * DAgger (Ross, Gordon and Bagnell 2011): roll out the mixture β·expert + (1 − β)·learner, have the
 * expert label every state visited, aggregate the labels into one dataset, retrain on all of it by
 * behaviour cloning, repeat with β decayed. The learner thereby sees (and is taught to recover
 * from) the states its own mistakes lead to, which plain behaviour cloning never does.
 */
public final class DAgger {

    /** β_i = betaInit · betaDecay^i (β_0 = 1 is the usual first iteration of pure expert data). */
    public record Config(int iterations, int labelsPerIteration, double betaInit, double betaDecay) {
        public static Config defaults() {
            return new Config(10, 3000, 1.0, 0.5);
        }

        public double beta(int iteration) {
            return betaInit * Math.pow(betaDecay, iteration);
        }
    }

    private final GaussianPolicy policy;
    private final BehaviourCloning cloning;
    private final Config config;

    public DAgger(GaussianPolicy policy, BehaviourCloning cloning, Config config) {
        this.policy = policy;
        this.cloning = cloning;
        this.config = config;
    }

    /**
     * Iteration {@code i}: collects {@code labelsPerIteration} expert-labelled states from {@code env}
     * under the β-mixture into {@code data}, then retrains on the whole dataset. Returns the BC loss.
     */
    public double iterate(int i, VecEnv env, Dataset data, Rng rng) {
        int n = env.size(), od = env.layout().observationSize(), ad = env.layout().actionSize();
        double beta = config.beta(i);
        DMatrixRMaj obs = new DMatrixRMaj(n, od), u = new DMatrixRMaj(1, 1), learner = new DMatrixRMaj(1, 1);
        double[] labels = new double[n * ad], executed = new double[n * ad];
        for (int labelled = 0; labelled < config.labelsPerIteration(); ) {
            env.observe(obs.data);
            env.expertCommands(labels);
            policy.act(obs, true, rng, u, learner, null, null);
            for (int e = 0; e < n && labelled < config.labelsPerIteration(); e++, labelled++) {
                data.add(obs.data, e * od, labels, e * ad);
            }
            for (int e = 0; e < n; e++) {
                double[] source = rng.nextDouble() < beta ? labels : learner.data;
                System.arraycopy(source, e * ad, executed, e * ad, ad);
            }
            env.step(executed);
        }
        return cloning.train(data, rng);
    }

    public Config config() {
        return config;
    }
}
