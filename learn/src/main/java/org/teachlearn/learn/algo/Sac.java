package org.teachlearn.learn.algo;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.SquashedGaussianActor;
import org.teachlearn.learn.policy.TwinQ;

/**
 * Soft actor-critic (Haarnoja et al. 2018, with the automatic temperature of the "algorithms and
 * applications" paper). One gradient step on a minibatch of transitions, in this order:
 * <ol>
 * <li>target y = r + γ·(1 − done)·(min_i Q'_i(s', u') − α·log π(u'|s')), u' ~ π(·|s');</li>
 * <li>critics: L_Q = ½·Σ_i mean((Q_i(s, u) − y)²), one Adam step;</li>
 * <li>actor: L_π = mean(α·log π(ũ|s) − min_i Q_i(s, ũ)), ũ ~ π(·|s) reparameterised, through the
 * critics just updated (plus {@link DemoCloning}'s term on demonstration rows when given), one Adam step;</li>
 * <li>temperature: L_α = −log α · mean(log π(ũ|s) + H̄) with H̄ = −act_dim (the default), one Adam step
 * (α of this step used above);</li>
 * <li>targets: Q' ← τ·Q + (1 − τ)·Q'.</li>
 * </ol>
 * Buffers are preallocated per minibatch size: an update allocates nothing.
 */
public final class Sac implements OffPolicyAlgorithm {

    /** Hyper-parameters; {@link #defaults()} are the paper's, with a smaller batch for this simulator's small task. */
    public record Config(double learningRate, int batchSize, double gamma, double tau, double alphaInit, boolean autoAlpha,
            double entropyPerAction) {
        public static Config defaults() {
            return new Config(3e-4, 256, 0.99, 0.005, 1.0, true, -1);
        }

        public Config withLearningRate(double learningRate) {
            return new Config(learningRate, batchSize, gamma, tau, alphaInit, autoAlpha, entropyPerAction);
        }

        public Config withBatchSize(int batchSize) {
            return new Config(learningRate, batchSize, gamma, tau, alphaInit, autoAlpha, entropyPerAction);
        }

        public Config withGamma(double gamma) {
            return new Config(learningRate, batchSize, gamma, tau, alphaInit, autoAlpha, entropyPerAction);
        }

        public Config withTau(double tau) {
            return new Config(learningRate, batchSize, gamma, tau, alphaInit, autoAlpha, entropyPerAction);
        }

        /** The target entropy per action dimension, H̄ / act_dim (the paper's −1; lower asks for a narrower policy). */
        public Config withEntropyPerAction(double entropyPerAction) {
            return new Config(learningRate, batchSize, gamma, tau, alphaInit, autoAlpha, entropyPerAction);
        }

        /** The first temperature, and whether it is tuned towards the target entropy (else fixed). */
        public Config withAlpha(double alphaInit, boolean autoAlpha) {
            return new Config(learningRate, batchSize, gamma, tau, alphaInit, autoAlpha, entropyPerAction);
        }
    }

    private final SquashedGaussianActor actor;
    private final TwinQ critics;
    private final Config config;
    private final Adam actorAdam, criticAdam, alphaAdam;
    private final Parameter logAlpha = Parameter.of("log_alpha", 1, 1);
    private final double targetEntropy;
    private final int od, ad;
    private final Losses losses = new Losses();
    private double meanLogProb;
    private DemoCloning cloning;   // null: no behaviour-cloning term
    private final DMatrixRMaj obsN = new DMatrixRMaj(1, 1), nextN = new DMatrixRMaj(1, 1);
    private double[] y = new double[0], q0 = new double[0], q1 = new double[0], dQ = new double[0], logProb = new double[0],
            uNew = new double[0], dU = new double[0], dLogProb = new double[0], noiseNext = new double[0], noiseNow = new double[0];

    public Sac(SquashedGaussianActor actor, TwinQ critics, Config config) {
        this.actor = actor;
        this.critics = critics;
        this.config = config;
        od = actor.layout().observationSize();
        ad = actor.layout().actionSize();
        targetEntropy = config.entropyPerAction() * ad;
        logAlpha.value().data[0] = Math.log(config.alphaInit());
        actorAdam = new Adam(actor.net().parameters(), config.learningRate());
        criticAdam = new Adam(critics.parameters(), config.learningRate());
        alphaAdam = new Adam(java.util.List.of(logAlpha), config.learningRate());
    }

    /**
     * One update on {@code rows} transitions (raw observations, outputs u, rewards, raw next
     * observations, 1 − done), normalised with the actor's current statistics. The losses
     * returned are this learner's, overwritten by the next update.
     */
    @Override
    public Losses update(double[] obs, double[] u, double[] rewards, double[] next, double[] notDone, int rows, Rng rng) {
        ensure(rows);
        for (int k = 0; k < rows * ad; k++) noiseNext[k] = rng.nextGaussian();
        for (int k = 0; k < rows * ad; k++) noiseNow[k] = rng.nextGaussian();
        obsN.reshape(rows, od);
        nextN.reshape(rows, od);
        actor.norm().normalise(obs, obsN.data, rows);
        actor.norm().normalise(next, nextN.data, rows);
        return update(obsN, u, rewards, nextN, notDone, noiseNext, noiseNow);
    }

    /** The update on normalised observations with the given standard normal noise (the PyTorch parity test's entry). */
    Losses update(DMatrixRMaj obsN, double[] u, double[] rewards, DMatrixRMaj nextN, double[] notDone, double[] epsNext, double[] epsNow) {
        Losses l = losses;
        l.policy = l.value = l.entropy = l.approxKl = l.kl = l.clipFraction = l.total = 0;
        double alpha = alpha();
        softTarget(nextN, rewards, notDone, epsNext, alpha);
        l.value = criticStep(obsN, u);
        l.policy = actorStep(obsN, u, epsNow, alpha);
        l.entropy = -meanLogProb;
        temperatureStep();
        critics.polyak(config.tau());
        l.total = l.policy + l.value;
        l.minibatches = 1;
        return l;
    }

    /** 1. y = r + γ·(1 − done)·(min_i Q'_i(s', u') − α·log π(u'|s')), u' sampled with {@code eps}. */
    void softTarget(DMatrixRMaj nextN, double[] rewards, double[] notDone, double[] eps, double alpha) {
        int rows = nextN.numRows;
        ensure(rows);
        actor.sample(nextN, eps, uNew, logProb);
        critics.targetValue(0, nextN, uNew, q0);
        critics.targetValue(1, nextN, uNew, q1);
        for (int r = 0; r < rows; r++) y[r] = rewards[r] + config.gamma() * notDone[r] * (Math.min(q0[r], q1[r]) - alpha * logProb[r]);
    }

    /** 2. L_Q = ½·Σ_i mean((Q_i(s, u) − y)²) and one Adam step; returns L_Q. */
    double criticStep(DMatrixRMaj obsN, double[] u) {
        criticAdam.zeroGrad();
        double loss = critics.regress(obsN, u, y, 0.5, q0, dQ);
        criticAdam.step();
        return loss;
    }

    /**
     * 3. L_π = mean(α·log π(ũ|s) − min_i Q_i(s, ũ)) through the critics as they are now (plus the
     * behaviour-cloning term on the demonstration rows with {@link #cloneDemonstrations}), and one
     * Adam step of the actor; the critics' gradients this leaves are not stepped. Returns L_π.
     */
    double actorStep(DMatrixRMaj obsN, double[] u, double[] eps, double alpha) {
        int rows = obsN.numRows;
        actorAdam.zeroGrad();
        if (cloning != null && cloning.qFilter()) {   // the critics' values at the demonstrated outputs, before their forward passes at ũ
            DMatrixRMaj demoObs = cloning.observations(obsN);
            critics.value(0, demoObs, u, cloning.demoValues(0));
            critics.value(1, demoObs, u, cloning.demoValues(1));
        }
        actor.sample(obsN, eps, uNew, logProb);
        critics.value(0, obsN, uNew, q0);
        critics.value(1, obsN, uNew, q1);
        java.util.Arrays.fill(dU, 0, rows * ad, 0);
        double loss = 0;
        meanLogProb = 0;
        for (int r = 0; r < rows; r++) {
            loss += alpha * logProb[r] - Math.min(q0[r], q1[r]);
            meanLogProb += logProb[r];
            dLogProb[r] = alpha / rows;
        }
        meanLogProb /= rows;
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < rows; r++) {
                boolean smaller = i == 0 ? q0[r] <= q1[r] : q1[r] < q0[r];
                dQ[r] = smaller ? -1.0 / rows : 0;
            }
            critics.backward(i, dQ, dU);
        }
        double bc = cloning == null ? 0 : cloning.add(uNew, u, q0, q1, ad, dU);
        actor.backward(dU, dLogProb);
        actorAdam.step();
        return loss / rows + bc;
    }

    /** 4. L_α = −log α · mean(log π(ũ|s) + H̄) with the last actor step's log π, one Adam step (when tuned). */
    void temperatureStep() {
        if (!config.autoAlpha()) return;
        logAlpha.grad().data[0] = -(meanLogProb + targetEntropy);
        alphaAdam.step();
    }

    private void ensure(int rows) {
        if (y.length >= rows) return;
        y = new double[rows];
        q0 = new double[rows];
        q1 = new double[rows];
        dQ = new double[rows];
        logProb = new double[rows];
        dLogProb = new double[rows];
        uNew = new double[rows * ad];
        dU = new double[rows * ad];
        noiseNext = new double[rows * ad];
        noiseNow = new double[rows * ad];
    }

    @Override
    public void cloneDemonstrations(DemoCloning term) {
        cloning = term;
    }

    @Override
    public void explore(DMatrixRMaj obsN, Rng rng, double[] uOut) {
        actor.sample(obsN, rng, uOut, null);
    }

    @Override
    public void act(DMatrixRMaj obsN, double[] uOut) {
        actor.mean(obsN, uOut);
    }

    @Override
    public org.teachlearn.learn.policy.RunningNorm norm() {
        return actor.norm();
    }

    @Override
    public org.teachlearn.learn.policy.PolicyLayout layout() {
        return actor.layout();
    }

    @Override
    public java.util.List<ParameterGroup> parameterGroups() {
        return java.util.List.of(new ParameterGroup("actor", actor.net().parameters(), actorAdam),
                new ParameterGroup("critics", critics.parameters(), criticAdam),
                new ParameterGroup("target_critics", critics.targetParameters(), null),
                new ParameterGroup("temperature", java.util.List.of(logAlpha), alphaAdam));
    }

    @Override
    public org.teachlearn.learn.nn.Mlp actorNet() {
        return actor.net();
    }

    /** σ at the normaliser's mean observation, linearised through tanh there: log σ + log(1 − tanh² mean) + log scale. */
    @Override
    public double[] commandLogStd() {
        double[] out = actor.net().forward(new DMatrixRMaj(1, od)).data;
        double[] logStd = new double[ad];
        for (int j = 0; j < ad; j++) {
            double ls = SquashedGaussianActor.LOG_STD_MIN + 0.5 * (SquashedGaussianActor.LOG_STD_MAX - SquashedGaussianActor.LOG_STD_MIN)
                    * (Math.tanh(out[ad + j]) + 1);
            double t = Math.tanh(out[j]);
            logStd[j] = ls + Math.log(Math.max(1e-12, 1 - t * t)) + Math.log(actor.layout().actions().scale()[j]);
        }
        return logStd;
    }

    @Override
    public double temperature() {
        return alpha();
    }

    public SquashedGaussianActor actor() {
        return actor;
    }

    public double alpha() {
        return Math.exp(logAlpha.value().data[0]);
    }

    public Parameter logAlpha() {
        return logAlpha;
    }

    public Adam actorOptimiser() {
        return actorAdam;
    }

    public Adam criticOptimiser() {
        return criticAdam;
    }

    public Adam alphaOptimiser() {
        return alphaAdam;
    }

    public Config config() {
        return config;
    }
}
