package org.teachlearn.learn.algo;

import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Minibatches;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Proximal policy optimisation (Schulman et al. 2017) in both of the paper's forms: the clipped
 * surrogate L^CLIP, or the surrogate with an adaptive KL penalty β·KL[π_old, π] (β doubled when the
 * KL overshoots 1.5·d_targ, halved when it undershoots d_targ/1.5). Plus the value loss, entropy
 * bonus, per-minibatch advantage normalisation, KL early stop and learning-rate annealing of the
 * usual implementations. {@link #learn} estimates advantages with {@link Gae} and updates;
 * {@link #update} alone expects them filled.
 */
public final class Ppo implements OnPolicyAlgorithm {

    public enum Objective { CLIP, KL_PENALTY }

    /**
     * Hyper-parameters: start from {@link #defaults()} (the paper's MuJoCo settings) and change
     * what differs, {@code Config.defaults().withLearningRate(1e-4).withEpochs(5)}.
     * {@code earlyStopKl} NaN never stops early.
     */
    public record Config(Objective objective, double learningRate, int epochs, int minibatchSize, double gamma, double lambda,
            double clipRange, double klTarget, double betaInit, double valueCoef, double entropyCoef, double maxGradNorm,
            double earlyStopKl, boolean normaliseAdvantages, boolean annealLearningRate) {

        public static Config defaults() {
            return new Config(Objective.CLIP, 3e-4, 10, 64, 0.99, 0.95, 0.2, 0.01, 1.0, 0.5, 0.0, 0.5, Double.NaN, true, true);
        }

        public Config withObjective(Objective objective) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        public Config withLearningRate(double learningRate) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        /** Passes over the rollout per update, and rows per minibatch. */
        public Config withEpochs(int epochs, int minibatchSize) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        /** Discount γ and GAE's λ. */
        public Config withDiscount(double gamma, double lambda) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        public Config withClipRange(double clipRange) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        /** The KL penalty's target d_targ and first β. */
        public Config withKlPenalty(double klTarget, double betaInit) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        public Config withValueCoef(double valueCoef) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        public Config withEntropyCoef(double entropyCoef) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        public Config withMaxGradNorm(double maxGradNorm) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        /** Stops an update's epochs at the minibatch whose approximate KL exceeds 1.5 × this; NaN never. */
        public Config withEarlyStopKl(double earlyStopKl) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        public Config withNormaliseAdvantages(boolean normaliseAdvantages) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }

        /** Anneals the learning rate linearly to zero over training. */
        public Config withAnnealLearningRate(boolean annealLearningRate) {
            return new Config(objective, learningRate, epochs, minibatchSize, gamma, lambda, clipRange, klTarget, betaInit, valueCoef,
                    entropyCoef, maxGradNorm, earlyStopKl, normaliseAdvantages, annealLearningRate);
        }
    }

    private final GaussianPolicy policy;
    private final Config config;
    private final Adam adam;
    private double beta;

    private final DMatrixRMaj obs = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj u = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj meanOld = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradMean = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradValue = new DMatrixRMaj(1, 1);
    private double[] logProbOld = new double[0], advantages = new double[0], returns = new double[0], weights = new double[0];
    private double[] rolloutMeans = new double[0];
    private final double[] logStdOld;
    private final Losses step = new Losses();

    public Ppo(GaussianPolicy policy, Config config) {
        this.policy = policy;
        this.config = config;
        this.adam = new Adam(policy.parameters(), config.learningRate(), 0.9, 0.999, 1e-5);
        this.beta = config.betaInit();
        logStdOld = new double[policy.layout().actionSize()];
    }

    /** Advantages and returns by GAE(γ, λ), then {@link #update}. */
    @Override
    public Losses learn(Rollout rollout, double progress, boolean criticOnly, Rng rng) {
        Gae.compute(rollout, config.gamma(), config.lambda());
        return update(rollout, progress, criticOnly, rng);
    }

    public Losses update(Rollout rollout, double progress, Rng rng) {
        return update(rollout, progress, false, rng);
    }

    /**
     * One update on {@code rollout}: {@code epochs} passes of shuffled minibatches. {@code progress}
     * in [0, 1] anneals the learning rate linearly to zero when configured. With {@code criticOnly}
     * the policy is left as it is and only the value function learns: fine-tuning a cloned policy
     * starts with a critic that knows nothing, and its advantages would first undo the cloning.
     * Returns the mean losses.
     */
    public Losses update(Rollout rollout, double progress, boolean criticOnly, Rng rng) {
        if (config.annealLearningRate()) adam.setLearningRate(config.learningRate() * Math.max(0, 1 - progress));
        int n = rollout.size(), act = rollout.actDim;
        snapshotOldPolicy(rollout);
        Minibatches batches = new Minibatches(n, config.minibatchSize());
        Losses sum = new Losses();
        boolean stop = false;
        for (int epoch = 0; epoch < config.epochs() && !stop; epoch++) {
            batches.shuffle(rng);
            for (int b = 0; b < batches.count(); b++) {
                int from = batches.from(b), to = batches.to(b);
                gather(rollout, batches, from, to);
                adam.zeroGrad();
                Losses l = lossAndGradients(to - from, act);
                // Early stop as Stable-Baselines3: the step that would overshoot is not taken.
                if (!Double.isNaN(config.earlyStopKl()) && l.approxKl > 1.5 * config.earlyStopKl()) {
                    stop = true;
                    break;
                }
                if (criticOnly) {
                    for (var p : policy.actor().parameters()) p.grad().zero();
                    policy.logStd().grad().zero();
                }
                adam.clipGradNorm(config.maxGradNorm());
                adam.step();
                sum.add(l);
            }
        }
        if (config.objective() == Objective.KL_PENALTY) adaptBeta(rollout);
        return sum.mean();
    }

    private void snapshotOldPolicy(Rollout rollout) {
        int n = rollout.size(), act = rollout.actDim;
        System.arraycopy(policy.logStd().value().data, 0, logStdOld, 0, act);
        if (config.objective() != Objective.KL_PENALTY) return;
        if (rolloutMeans.length < n * act) rolloutMeans = new double[n * act];
        DMatrixRMaj all = DMatrixRMaj.wrap(n, rollout.obsDim, rollout.obs);
        System.arraycopy(policy.actor().forward(all).data, 0, rolloutMeans, 0, n * act);
    }

    private void gather(Rollout r, Minibatches mb, int from, int to) {
        int rows = to - from;
        if (logProbOld.length < rows) {
            logProbOld = new double[rows];
            advantages = new double[rows];
            returns = new double[rows];
            weights = new double[rows];
        }
        mb.gather(r.obs, r.obsDim, from, to, obs);
        mb.gather(r.actions, r.actDim, from, to, u);
        if (r.decoupled) {
            // clipped around the policy the update started from; weighted by how much likelier it made the row than the behaviour did
            mb.gather(r.logProbs, from, to, weights);
            mb.gather(r.proximalLogProbs, from, to, logProbOld);
            for (int i = 0; i < rows; i++) weights[i] = Math.exp(logProbOld[i] - weights[i]);
        } else {
            mb.gather(r.logProbs, from, to, logProbOld);
            java.util.Arrays.fill(weights, 0, rows, 1.0);
        }
        mb.gather(r.advantages, from, to, advantages);
        mb.gather(r.returns, from, to, returns);
        if (config.objective() == Objective.KL_PENALTY) mb.gather(rolloutMeans, r.actDim, from, to, meanOld);
    }

    /**
     * The loss of the gathered minibatch (normalised observations {@code obs}, outputs {@code u},
     * old log-probabilities, advantages, returns), with its gradients added to the parameters'.
     */
    Losses lossAndGradients(int rows, int act) {
        Losses l = step;
        double[] ls = policy.logStd().value().data, gls = policy.logStd().grad().data;
        if (config.normaliseAdvantages()) Gae.normalise(advantages, rows);
        DMatrixRMaj mean = policy.actor().forward(obs);
        gradMean.reshape(rows, act);
        gradMean.zero();
        double eps = config.clipRange();
        l.policy = l.approxKl = l.kl = l.clipFraction = 0;
        for (int r = 0; r < rows; r++) {
            double logProb = DiagonalGaussian.logProb(u.data, mean.data, r, ls, act);
            double logRatio = logProb - logProbOld[r];
            double ratio = Math.exp(logRatio);
            double a = advantages[r], w = weights[r];   // w = 1 unless decoupled
            double dLogProb;
            if (config.objective() == Objective.CLIP) {
                double surrogate = ratio * a, clipped = Math.max(1 - eps, Math.min(1 + eps, ratio)) * a;
                l.policy -= w * Math.min(surrogate, clipped) / rows;
                dLogProb = surrogate <= clipped ? -w * a * ratio / rows : 0;
            } else {
                l.policy -= w * ratio * a / rows;
                dLogProb = -w * a * ratio / rows;
                l.kl += DiagonalGaussian.kl(meanOld.data, logStdOld, mean.data, r, ls, act) / rows;
                DiagonalGaussian.klBackward(meanOld.data, logStdOld, mean.data, r, ls, act, beta / rows, gradMean.data, gls);
            }
            DiagonalGaussian.logProbBackward(u.data, mean.data, r, ls, act, dLogProb, gradMean.data, gls);
            l.approxKl += ((ratio - 1) - logRatio) / rows;
            if (Math.abs(ratio - 1) > eps) l.clipFraction += 1.0 / rows;
        }
        policy.actor().backward(gradMean, false);

        l.entropy = DiagonalGaussian.entropy(ls, act);
        for (int j = 0; j < act; j++) gls[j] -= config.entropyCoef();

        DMatrixRMaj v = policy.critic().forward(obs);
        gradValue.reshape(rows, 1);
        l.value = 0;
        for (int r = 0; r < rows; r++) {
            double d = v.data[r] - returns[r];
            l.value += d * d / rows;
            gradValue.data[r] = config.valueCoef() * 2 * d / rows;
        }
        policy.critic().backward(gradValue, false);
        l.total = l.policy + config.valueCoef() * l.value - config.entropyCoef() * l.entropy
                + (config.objective() == Objective.KL_PENALTY ? beta * l.kl : 0);
        return l;
    }

    private void adaptBeta(Rollout rollout) {
        int n = rollout.size(), act = rollout.actDim;
        DMatrixRMaj all = DMatrixRMaj.wrap(n, rollout.obsDim, rollout.obs);
        DMatrixRMaj mean = policy.actor().forward(all);
        double kl = 0;
        for (int r = 0; r < n; r++) kl += DiagonalGaussian.kl(rolloutMeans, logStdOld, mean.data, r, policy.logStd().value().data, act) / n;
        if (kl > 1.5 * config.klTarget()) beta *= 2;
        else if (kl < config.klTarget() / 1.5) beta /= 2;
    }

    /** Loads a minibatch directly (the PyTorch parity test): normalised obs, u, old log-probs, advantages, returns, old means. */
    Losses lossAndGradients(double[] obsN, double[] us, double[] logProbsOld, double[] adv, double[] ret, double[] meansOld, int rows) {
        double[] ones = new double[rows];
        java.util.Arrays.fill(ones, 1.0);
        return lossAndGradients(obsN, us, logProbsOld, ones, adv, ret, meansOld, rows);
    }

    /** As above with each row's weight π_proximal / π_behaviour ({@code logProbsOld} the proximal policy's): decoupled PPO. */
    Losses lossAndGradients(double[] obsN, double[] us, double[] logProbsOld, double[] rowWeights, double[] adv, double[] ret,
            double[] meansOld, int rows) {
        int od = policy.layout().observationSize(), act = policy.layout().actionSize();
        obs.reshape(rows, od);
        System.arraycopy(obsN, 0, obs.data, 0, rows * od);
        u.reshape(rows, act);
        System.arraycopy(us, 0, u.data, 0, rows * act);
        logProbOld = logProbsOld.clone();
        weights = rowWeights.clone();
        advantages = adv.clone();
        returns = ret.clone();
        System.arraycopy(policy.logStd().value().data, 0, logStdOld, 0, act);
        if (meansOld != null) {
            meanOld.reshape(rows, act);
            System.arraycopy(meansOld, 0, meanOld.data, 0, rows * act);
        }
        adam.zeroGrad();
        return lossAndGradients(rows, act);
    }

    @Override
    public Adam optimiser() {
        return adam;
    }

    @Override
    public void saveState(Map<String, String> into) {
        into.put("beta", Double.toString(beta));
    }

    @Override
    public void restoreState(Map<String, String> from) {
        beta = Double.parseDouble(from.getOrDefault("beta", Double.toString(config.betaInit())));
    }

    public double beta() {
        return beta;
    }

    public Config config() {
        return config;
    }
}
