package org.teachlearn.learn.algo;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * REINFORCE with a learned baseline (Williams 1992): one gradient step per batch on
 * −mean(log π(a|s) · (G − V(s))) + c_v · mean((V(s) − G)²), where G is the discounted return to go
 * (bootstrapped only where an episode is cut off). The simplest policy gradient, kept as the
 * reference the other algorithms are measured against.
 */
public final class Reinforce implements OnPolicyAlgorithm {

    /** Hyper-parameters: {@link #defaults()}, then what differs, {@code Config.defaults().withLearningRate(3e-4)}. */
    public record Config(double learningRate, double gamma, double valueCoef, double maxGradNorm, boolean normaliseAdvantages) {
        public static Config defaults() {
            return new Config(1e-3, 0.99, 0.5, 0.5, true);
        }

        public Config withLearningRate(double learningRate) {
            return new Config(learningRate, gamma, valueCoef, maxGradNorm, normaliseAdvantages);
        }

        public Config withGamma(double gamma) {
            return new Config(learningRate, gamma, valueCoef, maxGradNorm, normaliseAdvantages);
        }

        public Config withValueCoef(double valueCoef) {
            return new Config(learningRate, gamma, valueCoef, maxGradNorm, normaliseAdvantages);
        }

        public Config withMaxGradNorm(double maxGradNorm) {
            return new Config(learningRate, gamma, valueCoef, maxGradNorm, normaliseAdvantages);
        }

        public Config withNormaliseAdvantages(boolean normaliseAdvantages) {
            return new Config(learningRate, gamma, valueCoef, maxGradNorm, normaliseAdvantages);
        }
    }

    private final GaussianPolicy policy;
    private final Config config;
    private final Adam adam;
    private final DMatrixRMaj gradMean = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradValue = new DMatrixRMaj(1, 1);

    public Reinforce(GaussianPolicy policy, Config config) {
        this.policy = policy;
        this.config = config;
        this.adam = new Adam(policy.parameters(), config.learningRate());
    }

    @Override
    public Adam optimiser() {
        return adam;
    }

    /**
     * One gradient step on the whole rollout. Progress does not matter (no annealing), and the
     * policy always learns: {@code criticOnly} is PPO's warm-up for fine-tuning, not REINFORCE's.
     */
    @Override
    public Losses learn(Rollout rollout, double progress, boolean criticOnly, Rng rng) {
        double[] l = update(rollout);
        Losses losses = new Losses();
        losses.policy = l[0];
        losses.value = l[1];
        return losses;
    }

    /** One update on a full rollout; returns {policy loss, value loss}. */
    public double[] update(Rollout r) {
        Gae.compute(r, config.gamma(), 1.0);   // λ = 1: advantages are G − V, returns are G
        int n = r.size();
        if (config.normaliseAdvantages()) Gae.normalise(r.advantages, n);
        double[] losses = lossAndGradients(r.obs, r.actions, r.advantages, r.returns, n);
        adam.clipGradNorm(config.maxGradNorm());
        adam.step();
        return losses;
    }

    /**
     * The loss on {@code n} rows (advantages as given) and its gradients in the policy's
     * parameters' grads; returns {policy loss, value loss}. Compared with PyTorch's autograd in
     * PyTorchParityTest.
     */
    public double[] lossAndGradients(double[] obsRows, double[] actions, double[] adv, double[] returns, int n) {
        int act = policy.layout().actionSize();
        DMatrixRMaj obs = DMatrixRMaj.wrap(n, policy.layout().observationSize(), obsRows);
        adam.zeroGrad();
        double[] ls = policy.logStd().value().data, gls = policy.logStd().grad().data;
        DMatrixRMaj mean = policy.actor().forward(obs);
        gradMean.reshape(n, act);
        gradMean.zero();
        double policyLoss = 0;
        for (int i = 0; i < n; i++) {
            policyLoss -= DiagonalGaussian.logProb(actions, mean.data, i, ls, act) * adv[i] / n;
            DiagonalGaussian.logProbBackward(actions, mean.data, i, ls, act, -adv[i] / n, gradMean.data, gls);
        }
        policy.actor().backward(gradMean, false);
        DMatrixRMaj v = policy.critic().forward(obs);
        gradValue.reshape(n, 1);
        double valueLoss = 0;
        for (int i = 0; i < n; i++) {
            double d = v.data[i] - returns[i];
            valueLoss += d * d / n;
            gradValue.data[i] = config.valueCoef() * 2 * d / n;
        }
        policy.critic().backward(gradValue, false);
        return new double[] {policyLoss, valueLoss};
    }
}
