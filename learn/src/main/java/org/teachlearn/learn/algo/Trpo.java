package org.teachlearn.learn.algo;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Minibatches;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Trust region policy optimisation (Schulman et al. 2015), as the paper's practical algorithm
 * derives it, one update per rollout:
 * <ol>
 * <li>the surrogate L(θ) = mean(π_θ(a|s) / π_old(a|s) · Â) and its gradient g at θ_old (Â by GAE,
 *     normalised);</li>
 * <li>the search direction x ≈ F⁻¹g by conjugate gradient, where F is the Fisher matrix (the
 *     Hessian of the mean KL(π_old ‖ π_θ) at θ_old), used only through products F·v. For a Gaussian
 *     with a state-independent σ these are exact without second derivatives: the mean's part is
 *     Jᵀ diag(1/σ²) J v / N (J the actor's Jacobian, a forward-mode and a backward pass), log σ's
 *     part is 2v; plus damping·v;</li>
 * <li>the step β·x with β = √(2δ / xᵀFx), the largest along x whose quadratic KL is δ;</li>
 * <li>a backtracking line search on the exact surrogate and KL: the first fraction of the step
 *     that improves L with mean KL ≤ δ is taken, or none.</li>
 * </ol>
 * The value function (the policy's critic) is fitted to the GAE returns by Adam on minibatches,
 * after the policy step. The actor and log σ are the policy's parameters θ; Adam's moments for them
 * stay zero. Allocation happens only when a rollout is bigger than any before.
 */
public final class Trpo implements OnPolicyAlgorithm {

    /** Hyper-parameters: {@link #defaults()}, then what differs, {@code Config.defaults().withMaxKl(0.02)}. */
    public record Config(double maxKl, double damping, int cgIterations, int backtracks, double backtrackRatio, double gamma, double lambda,
            double criticLearningRate, int criticEpochs, int criticMinibatch, boolean normaliseAdvantages) {

        /** δ 0.01, damping 0.1 and 10 conjugate-gradient iterations as the paper's experiments; γ 0.99, λ 0.95. */
        public static Config defaults() {
            return new Config(0.01, 0.1, 10, 10, 0.5, 0.99, 0.95, 1e-3, 10, 64, true);
        }

        public Config withMaxKl(double maxKl) {
            return new Config(maxKl, damping, cgIterations, backtracks, backtrackRatio, gamma, lambda, criticLearningRate, criticEpochs,
                    criticMinibatch, normaliseAdvantages);
        }

        public Config withDamping(double damping) {
            return new Config(maxKl, damping, cgIterations, backtracks, backtrackRatio, gamma, lambda, criticLearningRate, criticEpochs,
                    criticMinibatch, normaliseAdvantages);
        }

        public Config withDiscount(double gamma, double lambda) {
            return new Config(maxKl, damping, cgIterations, backtracks, backtrackRatio, gamma, lambda, criticLearningRate, criticEpochs,
                    criticMinibatch, normaliseAdvantages);
        }

        /** The critic's Adam learning rate, passes over the rollout per update, and rows per minibatch. */
        public Config withCritic(double learningRate, int epochs, int minibatch) {
            return new Config(maxKl, damping, cgIterations, backtracks, backtrackRatio, gamma, lambda, learningRate, epochs, minibatch,
                    normaliseAdvantages);
        }
    }

    private final GaussianPolicy policy;
    private final Config config;
    private final Adam adam;
    private final Parameter[] theta;   // the actor's parameters, then log σ (an array: a list's iterators would allocate per pass)
    private final int size, act;
    private final double[] thetaOld, g, x, residual, direction, fx, logStdOld;
    private final DMatrixRMaj gradMean = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj gradValue = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj batchObs = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj obs = new DMatrixRMaj(1, 1);   // a view of the rollout's observations
    private Minibatches batches;
    private int batchesFor;
    private double[] u, logProbOld;   // the rollout's own arrays, read in place during an update
    private double[] adv = new double[0], meanOld = new double[0], batchReturns = new double[0];
    private int rows;
    private double surrogateOld, stepScale;
    private final Losses losses = new Losses();

    public Trpo(GaussianPolicy policy, Config config) {
        this.policy = policy;
        this.config = config;
        this.adam = new Adam(policy.parameters(), config.criticLearningRate(), 0.9, 0.999, 1e-5);
        List<Parameter> all = new ArrayList<>(policy.actor().parameters());
        all.add(policy.logStd());
        theta = all.toArray(new Parameter[0]);
        int n = 0;
        for (Parameter p : theta) n += p.size();
        size = n;
        act = policy.layout().actionSize();
        thetaOld = new double[n];
        g = new double[n];
        x = new double[n];
        residual = new double[n];
        direction = new double[n];
        fx = new double[n];
        logStdOld = new double[act];
    }

    @Override
    public Losses learn(Rollout rollout, double progress, boolean criticOnly, Rng rng) {
        Gae.compute(rollout, config.gamma(), config.lambda());
        int n = rollout.size();
        losses.policy = losses.kl = losses.approxKl = 0;
        if (!criticOnly) {
            prepare(rollout.obs, rollout.actions, rollout.logProbs, rollout.advantages, n);
            solve();
            lineSearch();
        }
        losses.entropy = DiagonalGaussian.entropy(policy.logStd().value().data, act);
        losses.value = fitCritic(rollout, rng);
        losses.total = losses.policy + losses.value;
        losses.minibatches = 1;
        return losses;
    }

    /**
     * Step 1 on {@code n} rows (normalised observations, outputs u, the behaviour's log-probabilities,
     * advantages): θ_old and its means kept, the surrogate's value and its gradient g.
     */
    void prepare(double[] obsN, double[] us, double[] logProbs, double[] advantages, int n) {
        rows = n;
        int od = policy.layout().observationSize();
        if (adv.length < n) {
            meanOld = new double[n * act];
            adv = new double[n];
        }
        obs.data = obsN;   // a view, not a copy: the rollout's rows as they are
        obs.numRows = n;
        obs.numCols = od;
        u = us;
        logProbOld = logProbs;
        System.arraycopy(advantages, 0, adv, 0, n);   // a copy: normalised below, the rollout keeps GAE's
        if (config.normaliseAdvantages()) Gae.normalise(adv, n);
        read(thetaOld);
        double[] ls = policy.logStd().value().data;
        System.arraycopy(ls, 0, logStdOld, 0, act);
        zeroGrads();
        DMatrixRMaj mean = policy.actor().forward(obs);
        System.arraycopy(mean.data, 0, meanOld, 0, n * act);
        gradMean.reshape(n, act);
        gradMean.zero();
        double[] gls = policy.logStd().grad().data;
        surrogateOld = 0;
        for (int r = 0; r < n; r++) {
            double ratio = Math.exp(DiagonalGaussian.logProb(u, meanOld, r, ls, act) - logProbOld[r]);
            surrogateOld += ratio * adv[r] / n;
            DiagonalGaussian.logProbBackward(u, meanOld, r, ls, act, ratio * adv[r] / n, gradMean.data, gls);
        }
        policy.actor().backward(gradMean, false);
        readGrads(g);
    }

    /**
     * (F + damping·I)·v into {@code out}, F the Fisher matrix at θ_old. Uses the actor's state of
     * the forward pass on θ_old ({@link #prepare}), so it must not run between a step and
     * {@link #prepare}.
     */
    void fisherVector(double[] v, double[] out) {
        double[] ls = logStdOld;
        DMatrixRMaj jv = policy.actor().jvp(v, 0);
        gradMean.reshape(rows, act);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < act; j++) gradMean.data[r * act + j] = jv.data[r * act + j] * Math.exp(-2 * ls[j]) / rows;
        }
        zeroGrads();
        policy.actor().backward(gradMean, false);
        readGrads(out);
        int logStdAt = size - act;
        for (int j = 0; j < act; j++) out[logStdAt + j] = 2 * v[logStdAt + j];
        for (int i = 0; i < size; i++) out[i] += config.damping() * v[i];
    }

    /** Step 2 and 3: x ≈ (F + damping·I)⁻¹ g by conjugate gradient from 0, and the scale β of the step β·x. */
    void solve() {
        java.util.Arrays.fill(x, 0);
        System.arraycopy(g, 0, residual, 0, size);
        System.arraycopy(g, 0, direction, 0, size);
        double rr = dot(residual, residual);
        for (int k = 0; k < config.cgIterations() && rr > 1e-20; k++) {
            fisherVector(direction, fx);
            double alpha = rr / dot(direction, fx);
            for (int i = 0; i < size; i++) {
                x[i] += alpha * direction[i];
                residual[i] -= alpha * fx[i];
            }
            double next = dot(residual, residual);
            for (int i = 0; i < size; i++) direction[i] = residual[i] + next / rr * direction[i];
            rr = next;
        }
        fisherVector(x, fx);
        double xFx = dot(x, fx);
        stepScale = xFx > 0 ? Math.sqrt(2 * config.maxKl() / xFx) : 0;
    }

    /**
     * Step 4: tries θ_old + ratioᵏ·β·x for k = 0, 1, … and keeps the first whose exact mean KL is
     * within δ and whose surrogate improves; none kept leaves θ_old. Returns the fraction taken (0: none).
     */
    double lineSearch() {
        double fraction = 1;
        for (int k = 0; k < config.backtracks(); k++, fraction *= config.backtrackRatio()) {
            for (int i = 0; i < size; i++) fx[i] = thetaOld[i] + fraction * stepScale * x[i];
            write(fx);
            double kl = evaluate();
            if (kl <= config.maxKl() && losses.policy < -surrogateOld) {
                losses.kl = losses.approxKl = kl;
                return fraction;
            }
        }
        write(thetaOld);
        losses.policy = -surrogateOld;
        losses.kl = losses.approxKl = 0;
        return 0;
    }

    /** The surrogate loss −L(θ) into {@code losses.policy}; returns the mean KL(π_old ‖ π_θ). */
    private double evaluate() {
        DMatrixRMaj mean = policy.actor().forward(obs);
        double[] ls = policy.logStd().value().data;
        double surrogate = 0, kl = 0;
        for (int r = 0; r < rows; r++) {
            surrogate += Math.exp(DiagonalGaussian.logProb(u, mean.data, r, ls, act) - logProbOld[r]) * adv[r] / rows;
            kl += DiagonalGaussian.kl(meanOld, logStdOld, mean.data, r, ls, act) / rows;
        }
        losses.policy = -surrogate;
        return kl;
    }

    /** The critic fitted to the rollout's returns: mean squared error, Adam on shuffled minibatches. Returns the mean loss. */
    private double fitCritic(Rollout r, Rng rng) {
        int n = r.size();
        if (batches == null || batchesFor != n) {
            batches = new Minibatches(n, config.criticMinibatch());
            batchesFor = n;
        }
        Minibatches mb = batches;
        double sum = 0;
        int count = 0;
        for (int epoch = 0; epoch < config.criticEpochs(); epoch++) {
            mb.shuffle(rng);
            for (int b = 0; b < mb.count(); b++) {
                int from = mb.from(b), to = mb.to(b), m = to - from;
                if (batchReturns.length < m) batchReturns = new double[m];
                mb.gather(r.obs, r.obsDim, from, to, batchObs);
                mb.gather(r.returns, from, to, batchReturns);
                adam.zeroGrad();
                DMatrixRMaj v = policy.critic().forward(batchObs);
                gradValue.reshape(m, 1);
                double loss = 0;
                for (int i = 0; i < m; i++) {
                    double d = v.data[i] - batchReturns[i];
                    loss += d * d / m;
                    gradValue.data[i] = 2 * d / m;
                }
                policy.critic().backward(gradValue, false);
                adam.step();
                sum += loss;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private void zeroGrads() {
        for (Parameter p : theta) p.grad().zero();
    }

    private void read(double[] out) {
        int k = 0;
        for (Parameter p : theta) {
            System.arraycopy(p.value().data, 0, out, k, p.size());
            k += p.size();
        }
    }

    private void readGrads(double[] out) {
        int k = 0;
        for (Parameter p : theta) {
            System.arraycopy(p.grad().data, 0, out, k, p.size());
            k += p.size();
        }
    }

    private void write(double[] values) {
        int k = 0;
        for (Parameter p : theta) {
            System.arraycopy(values, k, p.value().data, 0, p.size());
            k += p.size();
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** g, the surrogate's gradient at θ_old (after {@link #prepare}). */
    double[] gradient() {
        return g;
    }

    /** x, the conjugate-gradient solution (after {@link #solve}). */
    double[] searchDirection() {
        return x;
    }

    /** β, the step's scale along x (after {@link #solve}). */
    double stepScale() {
        return stepScale;
    }

    Losses losses() {
        return losses;
    }

    @Override
    public Adam optimiser() {
        return adam;
    }

    public Config config() {
        return config;
    }
}
