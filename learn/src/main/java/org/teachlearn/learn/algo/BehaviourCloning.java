package org.teachlearn.learn.algo;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.data.Minibatches;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianMixture;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * Behaviour cloning: supervised regression of the policy on labelled states, either the mean
 * squared error of the Gaussian's mean (log σ untouched), the Gaussian negative log-likelihood
 * (which also learns σ, useful before PPO fine-tuning), or, for a {@link MixturePolicy}, the
 * mixture's negative log-likelihood (a demonstrator with more than one way), or, for a
 * {@link ChunkPolicy}, the mean squared error of each of its K actions. The observation
 * normaliser is fitted to the dataset first, so the exported model normalises the way training did.
 */
public final class BehaviourCloning {

    public enum Loss { MSE, GAUSSIAN_NLL, MIXTURE_NLL }

    public record Config(Loss loss, double learningRate, int epochs, int minibatchSize, double maxGradNorm) {
        public static Config defaults() {
            return new Config(Loss.MSE, 1e-3, 200, 64, 1.0);
        }
    }

    private final RunningNorm norm;
    private final Mlp actor;
    private final Parameter logStd;           // the Gaussian's; null for a mixture
    private final GaussianMixture mixture;    // null for a Gaussian
    private final Config config;
    private final Adam adam;
    private final DMatrixRMaj obs = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj target = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradMean = new DMatrixRMaj(1, 1);
    private double[] normalised = new double[0];
    private boolean normaliserKept;
    private double[] columnWeights;            // MSE: each output's weight (null: all 1)

    public BehaviourCloning(GaussianPolicy policy, Config config) {
        if (config.loss() == Loss.MIXTURE_NLL) throw new IllegalArgumentException("the mixture's likelihood needs a MixturePolicy");
        this.norm = policy.norm();
        this.actor = policy.actor();
        this.logStd = policy.logStd();
        this.mixture = null;
        this.config = config;
        // Over all parameters, so checkpoints are alike for every algorithm; the critic's gradients stay zero here.
        this.adam = new Adam(policy.parameters(), config.learningRate());
    }

    /** Cloning into a mixture policy: the loss is the mixture's negative log-likelihood whatever {@code config} names. */
    public BehaviourCloning(MixturePolicy policy, Config config) {
        this.norm = policy.norm();
        this.actor = policy.net();
        this.logStd = null;
        this.mixture = policy.mixture();
        this.config = new Config(Loss.MIXTURE_NLL, config.learningRate(), config.epochs(), config.minibatchSize(), config.maxGradNorm());
        this.adam = new Adam(policy.parameters(), config.learningRate());
    }

    /** Cloning into a policy of action chunks: the mean squared error of all K outputs, whatever {@code config} names. */
    public BehaviourCloning(ChunkPolicy policy, Config config) {
        this.norm = policy.norm();
        this.actor = policy.net();
        this.logStd = null;
        this.mixture = null;
        this.config = new Config(Loss.MSE, config.learningRate(), config.epochs(), config.minibatchSize(), config.maxGradNorm());
        this.adam = new Adam(policy.parameters(), config.learningRate());
    }

    /**
     * Weighs each output's squared error by {@code weights} (null: all alike). A chunk's later
     * actions lie further from the state it is predicted in, so their targets spread far wider:
     * unweighted, their errors would make most of the loss, and the next action, the one that acts
     * first, would be fitted loosely.
     */
    public void weighOutputs(double[] weights) {
        if (weights != null && config.loss() != Loss.MSE) throw new IllegalArgumentException("output weights are for the MSE loss");
        this.columnWeights = weights == null ? null : weights.clone();
    }

    /**
     * Normalises with {@code fitted}'s statistics from now on instead of fitting its own to the
     * data it trains on: networks whose models share one normalised input, each trained on its own
     * draw of the samples.
     */
    public void keepNormaliser(RunningNorm fitted) {
        norm.restore(fitted.mean(), fitted.variance(), fitted.count());
        normaliserKept = true;
    }

    /** Fits the normaliser to {@code data}, then trains for the configured epochs; returns the last epoch's mean loss. */
    public double train(Dataset data, Rng rng) {
        return train(data, config.epochs(), rng);
    }

    /** As {@link #train(Dataset, Rng)} for {@code epochs} epochs (a run that logs as it goes calls this in slices). */
    public double train(Dataset data, int epochs, Rng rng) {
        int n = data.size(), od = data.obsDim(), act = data.actDim();
        if (n == 0) throw new IllegalArgumentException("behaviour cloning needs at least one labelled state");
        if (!normaliserKept) fitNormaliser(data);
        if (normalised.length < n * od) normalised = new double[n * od];
        norm.normalise(data.observations(), normalised, n);
        Minibatches batches = new Minibatches(n, config.minibatchSize());
        double epochLoss = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            batches.shuffle(rng);
            epochLoss = 0;
            for (int b = 0; b < batches.count(); b++) {
                batches.gather(normalised, od, batches.from(b), batches.to(b), obs);
                batches.gather(data.targets(), act, batches.from(b), batches.to(b), target);
                adam.zeroGrad();
                double loss = lossAndGradients();
                adam.clipGradNorm(config.maxGradNorm());
                adam.step();
                epochLoss += loss * (batches.to(b) - batches.from(b)) / n;
            }
        }
        return epochLoss;
    }

    /** Exact statistics of the dataset (the running update run once over all of it, from scratch). */
    private void fitNormaliser(Dataset data) {
        RunningNorm fresh = new RunningNorm(data.obsDim());
        fresh.update(data.observations(), data.size());
        norm.restore(fresh.mean(), fresh.variance(), fresh.count());
    }

    /** The loss of the gathered minibatch ({@code obs} normalised, {@code target} u), gradients added. */
    double lossAndGradients() {
        int rows = obs.numRows, act = target.numCols;
        DMatrixRMaj mean = actor.forward(obs);
        gradMean.reshape(rows, mean.numCols);
        gradMean.zero();
        double loss = 0;
        if (mixture != null) {
            for (int r = 0; r < rows; r++) loss += mixture.nll(mean.data, r, target.data, 1.0 / rows, gradMean.data) / rows;
        } else if (config.loss() == Loss.MSE) {
            double scale = 1.0 / (rows * act);
            for (int k = 0; k < rows * act; k++) {
                double d = mean.data[k] - target.data[k], w = columnWeights == null ? scale : scale * columnWeights[k % act];
                loss += d * d * w;
                gradMean.data[k] = 2 * d * w;
            }
        } else {
            double[] ls = logStd.value().data, gls = logStd.grad().data;
            for (int r = 0; r < rows; r++) {
                loss -= DiagonalGaussian.logProb(target.data, mean.data, r, ls, act) / rows;
                DiagonalGaussian.logProbBackward(target.data, mean.data, r, ls, act, -1.0 / rows, gradMean.data, gls);
            }
        }
        actor.backward(gradMean, false);
        return loss;
    }

    /** Loads a minibatch directly (the PyTorch parity test) and returns its loss with gradients added. */
    double lossAndGradients(double[] obsN, double[] targets, int rows) {
        int od = norm.size(), act = targets.length / rows;
        obs.reshape(rows, od);
        System.arraycopy(obsN, 0, obs.data, 0, rows * od);
        target.reshape(rows, act);
        System.arraycopy(targets, 0, target.data, 0, rows * act);
        adam.zeroGrad();
        return lossAndGradients();
    }

    public Adam optimiser() {
        return adam;
    }
}
