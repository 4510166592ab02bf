package org.teachlearn.learn.algo;

import static org.teachlearn.learn.nn.Smooth.sigmoid;
import static org.teachlearn.learn.nn.Smooth.softplus;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Minibatches;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.nn.GradientPenalty;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * Generative adversarial imitation learning (Ho &amp; Ermon 2016): a discriminator D(s, a) =
 * σ(f(s, a)), f an MLP on the normalised observation and the policy's output u, learns by binary
 * cross-entropy to tell the demonstrations' pairs (label 1) from the policy's (label 0); the policy
 * learns by an on-policy algorithm (PPO) from the reward −log(1 − D(s, a)) = softplus(f) alone, the
 * paper's cost log D_π turned into a reward. No task reward is used.
 *
 * <p>The discriminator sees observations normalised by statistics of the demonstrations, fixed
 * once ({@link #fit}): the policy's running normaliser moves during a rollout, and pairs
 * normalised at different moments would differ by that alone. Each round: one pass over the
 * rollout's raw observations ({@link Rollout#keepRawObservations}) in minibatches, each beside as
 * many demonstration pairs drawn with replacement; then the rollout's rewards are replaced.
 * With {@link Config#gradientPenalty()} above 0 every step also adds the gradient penalty's
 * gradients ({@link GradientPenalty}) at points between each policy pair and its demonstration pair.
 * With {@link Config#bottleneck()} above 0 it is VAIL's discriminator (Peng et al. 2019): the
 * network encodes a pair into a Gaussian code, a linear head makes the logit from a sampled code,
 * and the information the code carries is held near a target ({@link VariationalBottleneck}).
 * Allocation happens only when a rollout or batch is bigger than any before.
 */
public final class Gail {

    /**
     * Hyper-parameters: the discriminator's hidden layers, Adam's learning rate, passes over each
     * rollout, policy rows per minibatch, the reward, and the gradient penalty λ (0: none) with its
     * target norm c ({@link GradientPenalty}: 1 as DAC's, at points between each policy pair and the
     * demonstration pair beside it in the minibatch).
     */
    public record Config(int[] hidden, double learningRate, int epochs, int minibatch, Reward reward, double gradientPenalty, double penaltyTarget,
            int bottleneck, double informationTarget, double betaStep) {
        public Config(int[] hidden, double learningRate, int epochs, int minibatch, Reward reward) {
            this(hidden, learningRate, epochs, minibatch, reward, 0, 1);
        }

        public Config(int[] hidden, double learningRate, int epochs, int minibatch, Reward reward, double gradientPenalty, double penaltyTarget) {
            this(hidden, learningRate, epochs, minibatch, reward, gradientPenalty, penaltyTarget, 0, 0.5, 1e-5);
        }

        /** VAIL's bottleneck: a code of {@code size} values (0: none, plain GAIL), its information target I_c and β's dual step. */
        public Config withBottleneck(int size, double informationTarget, double betaStep) {
            return new Config(hidden, learningRate, epochs, minibatch, reward, gradientPenalty, penaltyTarget, size, informationTarget, betaStep);
        }

        public static Config defaults() {
            return new Config(new int[] {64, 64}, 3e-4, 1, 128, Reward.GAIL);
        }
    }

    /**
     * The policy's reward from the discriminator's logit f: {@code GAIL} −log(1 − D) = softplus(f),
     * the paper's (≥ 0, flat where the discriminator is sure a pair is the policy's); {@code LOGIT}
     * log D − log(1 − D) = f, as AIRL (Fu et al. 2018) and many GAIL implementations use it: still
     * informative where D is near 0, and of either sign (with a fixed horizon neither sign biases
     * episode length).
     */
    public enum Reward { GAIL, LOGIT }

    private final Config config;
    private final int obsDim, actDim;
    private final Mlp net;
    private final Adam adam;
    private final DMatrixRMaj input = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj grad = new DMatrixRMaj(1, 1);
    private double[] labels = new double[0];
    private final double[] mean, invStd;
    private boolean fitted;
    private Minibatches batches;
    private int batchesFor;   // the rollout size batches was made for
    private final double[] stats = new double[4];
    private final GradientPenalty penalty;
    private final DMatrixRMaj between = new DMatrixRMaj(1, 1);   // the penalty's points between policy and demonstration pairs
    private final VariationalBottleneck bottleneck;   // VAIL's, or null

    public Gail(int obsDim, int actDim, Config config, Rng rng) {
        this.config = config;
        this.obsDim = obsDim;
        this.actDim = actDim;
        if (config.bottleneck() < 0) throw new IllegalArgumentException("--disc-bottleneck is a code size ≥ 0 (0: none), got " + config.bottleneck());
        if (config.bottleneck() > 0 && config.gradientPenalty() > 0) {
            throw new IllegalArgumentException("--disc-bottleneck (VAIL) and --disc-gp: one regulariser of the discriminator at a time");
        }
        int[] sizes = new int[config.hidden().length + 2];
        sizes[0] = obsDim + actDim;
        System.arraycopy(config.hidden(), 0, sizes, 1, config.hidden().length);
        sizes[sizes.length - 1] = config.bottleneck() > 0 ? 2 * config.bottleneck() : 1;
        net = new Mlp(sizes, Activation.TANH);
        net.initialise(1.0, rng);
        bottleneck = config.bottleneck() > 0 ? new VariationalBottleneck(net, config.bottleneck(), config.informationTarget(), config.betaStep(), rng) : null;
        adam = new Adam(parameters(), config.learningRate());
        penalty = config.gradientPenalty() > 0 ? new GradientPenalty(net) : null;
        mean = new double[obsDim];
        invStd = new double[obsDim];
    }

    /** The normalisation of every observation the discriminator sees: the demonstrations' mean and standard deviation (at least 0.01). */
    public void fit(double[] demoObs, int rows) {
        for (int j = 0; j < obsDim; j++) {
            double m = 0, v = 0;
            for (int i = 0; i < rows; i++) m += demoObs[i * obsDim + j] / rows;
            for (int i = 0; i < rows; i++) v += (demoObs[i * obsDim + j] - m) * (demoObs[i * obsDim + j] - m) / rows;
            mean[j] = m;
            invStd[j] = 1 / Math.max(Math.sqrt(v), 0.01);
        }
        fitted = true;
    }

    /**
     * One round of discriminator training: the rollout's pairs (raw observations, outputs u) as the
     * policy's, {@code expertRows} pairs of {@code expertObs}/{@code expertU} (raw observations) as
     * the demonstrations'. Returns {mean loss, accuracy on the demonstrations, accuracy on the policy, mean gradient penalty}.
     */
    public double[] train(Rollout r, double[] expertObs, double[] expertU, int expertRows, Rng rng) {
        return train(r, expertObs, expertU, expertRows, null, rng);
    }

    /**
     * As above, each demonstration's u perturbed by Gaussian noise of {@code expertNoiseStd} per
     * dimension (null: none). Given the policy's own σ, the demonstrations look as noisy as the
     * policy's samples, and the discriminator must tell them apart by what the action is for the
     * state, not by the exploration noise alone (instance noise, Sønderby et al. 2016).
     */
    public double[] train(Rollout r, double[] expertObs, double[] expertU, int expertRows, double[] expertNoiseStd, Rng rng) {
        double[] policyObs = raw(r);
        int n = r.size(), m = config.minibatch();
        if (batches == null || batchesFor != n) {
            batches = new Minibatches(n, m);
            batchesFor = n;
        }
        Minibatches mb = batches;
        double loss = 0, penaltySum = 0, expertRight = 0, policyRight = 0;
        int steps = 0, expertSeen = 0, policySeen = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            mb.shuffle(rng);
            for (int b = 0; b < mb.count(); b++) {
                int from = mb.from(b), to = mb.to(b), rows = 2 * (to - from);
                input.reshape(rows, obsDim + actDim);
                if (labels.length < rows) labels = new double[rows];
                for (int k = from, i = 0; k < to; k++, i++) {   // the policy's rows first, then as many demonstrations
                    int row = mb.row(k);
                    put(i, policyObs, row, r.actions, row, true);
                    labels[i] = 0;
                    int e = rng.nextInt(expertRows);
                    put(to - from + i, expertObs, e, expertU, e, true);
                    if (expertNoiseStd != null) {
                        int o = (to - from + i) * (obsDim + actDim) + obsDim;
                        for (int j = 0; j < actDim; j++) input.data[o + j] += expertNoiseStd[j] * rng.nextGaussian();
                    }
                    labels[to - from + i] = 1;
                }
                adam.zeroGrad();
                loss += lossAndGradients(rows, rng);
                penaltySum += penalise(to - from, rng);
                adam.step();
                if (bottleneck != null) bottleneck.adaptBeta();
                steps++;
                DMatrixRMaj f = logits();   // after the step: accuracy of the updated discriminator on this batch
                for (int i = 0; i < rows; i++) {
                    boolean saysExpert = f.data[i] > 0;
                    if (labels[i] == 1) {
                        expertSeen++;
                        if (saysExpert) expertRight++;
                    } else {
                        policySeen++;
                        if (!saysExpert) policyRight++;
                    }
                }
            }
        }
        stats[0] = steps == 0 ? Double.NaN : loss / steps;
        stats[1] = expertSeen == 0 ? Double.NaN : expertRight / expertSeen;
        stats[2] = policySeen == 0 ? Double.NaN : policyRight / policySeen;
        stats[3] = steps == 0 ? Double.NaN : penaltySum / steps;
        return stats;
    }

    /**
     * One gradient step on the policy's pairs {@code from} to {@code to} of a minibatch drawn from a
     * replay buffer (raw observations, outputs u) against as many demonstration pairs drawn with
     * replacement: the discriminator of an off-policy learner (Kostrikov et al. 2019, DAC), which
     * tells the demonstrations from everything the replay buffer holds. Returns {loss before the
     * step, accuracy on the demonstrations, accuracy on the policy, gradient penalty}, the accuracies before the step.
     */
    public double[] step(double[] obs, double[] u, int from, int to, double[] expertObs, double[] expertU, int expertRows, Rng rng) {
        if (!fitted) throw new IllegalStateException("GAIL's discriminator has no normalisation yet (fit it to the demonstrations)");
        int n = to - from, rows = 2 * n;
        input.reshape(rows, obsDim + actDim);
        if (labels.length < rows) labels = new double[rows];
        for (int i = 0; i < n; i++) {
            put(i, obs, from + i, u, from + i, true);
            labels[i] = 0;
            int e = rng.nextInt(expertRows);
            put(n + i, expertObs, e, expertU, e, true);
            labels[n + i] = 1;
        }
        DMatrixRMaj f = logits();
        double expertRight = 0, policyRight = 0;
        for (int i = 0; i < n; i++) {
            if (f.data[i] <= 0) policyRight++;
            if (f.data[n + i] > 0) expertRight++;
        }
        adam.zeroGrad();
        double loss = bottleneck == null ? lossAndGradients(f, rows) : lossAndGradients(rows, rng);
        stats[3] = penalise(n, rng);
        adam.step();
        if (bottleneck != null) bottleneck.adaptBeta();
        stats[0] = loss;
        stats[1] = expertRight / n;
        stats[2] = policyRight / n;
        return stats;
    }

    /**
     * The gradient penalty's gradients added for the minibatch in {@code input} ({@code n} policy
     * pairs, then the {@code n} demonstration pairs beside them): at x̂ = α·demonstration +
     * (1 − α)·policy, α uniform per pair (WGAN-GP's points). Returns the penalty (0 without one).
     */
    private double penalise(int n, Rng rng) {
        if (penalty == null) return 0;
        int w = obsDim + actDim;
        between.reshape(n, w);
        double[] x = input.data, b = between.data;
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble();
            for (int j = 0; j < w; j++) b[i * w + j] = a * x[(n + i) * w + j] + (1 - a) * x[i * w + j];
        }
        return penalty.addGradients(net, between, config.gradientPenalty(), config.penaltyTarget());
    }

    /** The gradient penalty and its gradients at given points (as the network takes them), gradients zeroed first (the PyTorch parity test). */
    double penaltyAndGradients(double[] points, int rows) {
        between.reshape(rows, obsDim + actDim);
        System.arraycopy(points, 0, between.data, 0, rows * (obsDim + actDim));
        adam.zeroGrad();
        return penalty.addGradients(net, between, config.gradientPenalty(), config.penaltyTarget());
    }

    /** The input gradients ∇f of the last {@link #penaltyAndGradients} (tests). */
    double[] lastInputGradient() {
        return penalty.inputGradient().data;
    }

    /** The reward ({@link Reward}) of {@code rows} pairs (raw observations, outputs u) into {@code out}, rows from {@code from}. */
    public void reward(double[] obs, double[] u, int from, int to, double[] out) {
        if (!fitted) throw new IllegalStateException("GAIL's discriminator has no normalisation yet (fit it to the demonstrations)");
        input.reshape(to - from, obsDim + actDim);
        for (int k = from; k < to; k++) put(k - from, obs, k, u, k, true);
        DMatrixRMaj f = logits();
        for (int k = from; k < to; k++) out[k] = config.reward() == Reward.LOGIT ? f.data[k - from] : softplus(f.data[k - from]);
    }

    /** Replaces the rollout's rewards by the discriminator's reward of its pairs ({@link Reward}). */
    public void relabel(Rollout r) {
        double[] policyObs = raw(r);
        int n = r.size();
        input.reshape(n, obsDim + actDim);
        for (int k = 0; k < n; k++) put(k, policyObs, k, r.actions, k, true);
        DMatrixRMaj f = logits();
        for (int k = 0; k < n; k++) r.rewards[k] = config.reward() == Reward.LOGIT ? f.data[k] : softplus(f.data[k]);
    }

    /** The logits f of the pairs in {@code input}: the network's output, or with the bottleneck its head on the code's mean (deterministic). */
    private DMatrixRMaj logits() {
        return bottleneck == null ? net.forward(input) : bottleneck.forward(input, null);
    }

    /**
     * Mean binary cross-entropy of the pairs in {@code input} against {@code labels} (rows of
     * them), its gradients added to the discriminator's: mean(softplus(f) − y·f), d/df = (σ(f) − y)/rows;
     * with the bottleneck through a sampled code, plus β · mean KL (VAIL).
     */
    private double lossAndGradients(int rows, Rng rng) {
        return bottleneck == null ? lossAndGradients(net.forward(input), rows) : bottleneckLoss(rows, bottleneck.noise(rows, rng));
    }

    /** As above on the logits {@code f} of the last forward pass of {@code input} (no bottleneck). */
    private double lossAndGradients(DMatrixRMaj f, int rows) {
        double loss = crossEntropy(f, rows);
        net.backward(grad, false);
        return loss;
    }

    /** VAIL's loss with the code sampled with standard normal {@code eps} (rows × code): the cross-entropy of the head's logits plus β · mean KL. */
    private double bottleneckLoss(int rows, double[] eps) {
        double loss = crossEntropy(bottleneck.forward(input, eps), rows);
        return loss + bottleneck.backward(grad);
    }

    /** The mean cross-entropy of logits {@code f} against {@code labels}, its gradient d/df left in {@code grad}. */
    private double crossEntropy(DMatrixRMaj f, int rows) {
        grad.reshape(rows, 1);
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            double z = f.data[i], y = labels[i];
            loss += (softplus(z) - y * z) / rows;
            grad.data[i] = (sigmoid(z) - y) / rows;
        }
        return loss;
    }

    /** The loss of given pairs (observations as the network takes them, and u) and labels, gradients zeroed first (the PyTorch parity test). */
    double lossAndGradients(double[] obsN, double[] us, double[] y, int rows) {
        return lossAndGradients(obsN, us, y, rows, null);
    }

    /** As above; with the bottleneck, its code sampled with {@code eps} (rows × code size) (the PyTorch parity test). */
    double lossAndGradients(double[] obsN, double[] us, double[] y, int rows, double[] eps) {
        input.reshape(rows, obsDim + actDim);
        for (int i = 0; i < rows; i++) put(i, obsN, i, us, i, false);
        if (labels.length < rows) labels = new double[rows];
        System.arraycopy(y, 0, labels, 0, rows);
        adam.zeroGrad();
        return bottleneck == null ? lossAndGradients(net.forward(input), rows) : bottleneckLoss(rows, eps);
    }

    /** VAIL's bottleneck (null without one). */
    public VariationalBottleneck bottleneck() {
        return bottleneck;
    }

    private double[] raw(Rollout r) {
        if (r.rawObs == null) throw new IllegalStateException("GAIL needs the rollout's raw observations (Rollout.keepRawObservations)");
        if (!fitted) throw new IllegalStateException("GAIL's discriminator has no normalisation yet (fit it to the demonstrations)");
        return r.rawObs;
    }

    /** Row {@code at} of the input: the observation (normalised and clipped to ±10 when {@code normalise}), then u. */
    private void put(int at, double[] obs, int obsRow, double[] us, int uRow, boolean normalise) {
        int w = obsDim + actDim, o = at * w, s = obsRow * obsDim;
        if (normalise) {
            for (int j = 0; j < obsDim; j++) input.data[o + j] = Math.max(-10, Math.min(10, (obs[s + j] - mean[j]) * invStd[j]));
        } else {
            System.arraycopy(obs, s, input.data, o, obsDim);
        }
        System.arraycopy(us, uRow * actDim, input.data, o + obsDim, actDim);
    }

    /** Whether a gradient penalty is on. */
    public boolean penalised() {
        return penalty != null;
    }

    /**
     * The discriminator's weights and biases (what a checkpoint keeps with {@link #optimiser()}'s
     * moments); with the bottleneck also its head's and β (which Adam never moves: its gradient
     * stays 0, the dual step sets it).
     */
    public List<Parameter> parameters() {
        if (bottleneck == null) return net.parameters();
        List<Parameter> all = new java.util.ArrayList<>(net.parameters());
        all.addAll(bottleneck.parameters());
        return all;
    }

    public Adam optimiser() {
        return adam;
    }

    public Mlp network() {
        return net;
    }
}
