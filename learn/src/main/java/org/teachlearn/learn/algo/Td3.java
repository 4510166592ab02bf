package org.teachlearn.learn.algo;

import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.policy.DeterministicActor;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.TwinQ;

/**
 * Twin delayed DDPG (Fujimoto et al. 2018). One gradient step on a minibatch, in this order:
 * <ol>
 * <li>target policy smoothing: u' = clip(μ'(s') + clip(σ̃·ε, −c, c), −1, 1);</li>
 * <li>clipped double Q: y = r + γ·(1 − done)·min_i Q'_i(s', u');</li>
 * <li>critics: L_Q = Σ_i mean((Q_i(s, u) − y)²), one Adam step;</li>
 * <li>every {@code policyDelay}-th update only: actor L_μ = −mean(Q_1(s, μ(s))) (plus {@link DemoCloning}'s
 * term on demonstration rows when given), one Adam step, then
 * the actor's and critics' targets ← τ·net + (1 − τ)·target.</li>
 * </ol>
 * Explores with Gaussian noise of σ {@code explorationNoise} on u, clipped to [−1, 1].
 * Buffers are preallocated per minibatch size: an update allocates nothing.
 */
public final class Td3 implements OffPolicyAlgorithm {

    /** Hyper-parameters; {@link #defaults()} are the paper's. */
    public record Config(double learningRate, int batchSize, double gamma, double tau, double policyNoise, double noiseClip, int policyDelay,
            double explorationNoise) {
        public static Config defaults() {
            return new Config(3e-4, 256, 0.99, 0.005, 0.2, 0.5, 2, 0.1);
        }

        public Config withLearningRate(double learningRate) {
            return new Config(learningRate, batchSize, gamma, tau, policyNoise, noiseClip, policyDelay, explorationNoise);
        }

        public Config withBatchSize(int batchSize) {
            return new Config(learningRate, batchSize, gamma, tau, policyNoise, noiseClip, policyDelay, explorationNoise);
        }

        public Config withDiscount(double gamma, double tau) {
            return new Config(learningRate, batchSize, gamma, tau, policyNoise, noiseClip, policyDelay, explorationNoise);
        }

        /** Target smoothing noise σ̃ and its clip c, actor updates every {@code policyDelay} critic updates, exploration σ. */
        public Config withNoise(double policyNoise, double noiseClip, int policyDelay, double explorationNoise) {
            return new Config(learningRate, batchSize, gamma, tau, policyNoise, noiseClip, policyDelay, explorationNoise);
        }
    }

    private final DeterministicActor actor;
    private final TwinQ critics;
    private final Config config;
    private final Adam actorAdam, criticAdam;
    private final int od, ad;
    private final Losses losses = new Losses();
    private final DMatrixRMaj obsN = new DMatrixRMaj(1, 1), nextN = new DMatrixRMaj(1, 1);
    private double[] y = new double[0], q0 = new double[0], q1 = new double[0], dQ = new double[0], uNew = new double[0], dU = new double[0],
            noise = new double[0];
    private long updates;
    private DemoCloning cloning;   // null: no behaviour-cloning term

    public Td3(DeterministicActor actor, TwinQ critics, Config config) {
        this.actor = actor;
        this.critics = critics;
        this.config = config;
        od = actor.layout().observationSize();
        ad = actor.layout().actionSize();
        actorAdam = new Adam(actor.net().parameters(), config.learningRate());
        criticAdam = new Adam(critics.parameters(), config.learningRate());
    }

    @Override
    public Losses update(double[] obs, double[] u, double[] rewards, double[] next, double[] notDone, int rows, Rng rng) {
        ensure(rows);
        for (int k = 0; k < rows * ad; k++) noise[k] = rng.nextGaussian();
        obsN.reshape(rows, od);
        nextN.reshape(rows, od);
        actor.norm().normalise(obs, obsN.data, rows);
        actor.norm().normalise(next, nextN.data, rows);
        return update(obsN, u, rewards, nextN, notDone, noise);
    }

    /** The update on normalised observations with the given standard normal smoothing noise (the PyTorch parity test's entry). */
    Losses update(DMatrixRMaj obsN, double[] u, double[] rewards, DMatrixRMaj nextN, double[] notDone, double[] eps) {
        Losses l = losses;
        l.policy = l.value = l.entropy = l.approxKl = l.kl = l.clipFraction = l.total = 0;
        target(nextN, rewards, notDone, eps);
        l.value = criticStep(obsN, u);
        updates++;
        if (updates % config.policyDelay() == 0) {
            l.policy = actorStep(obsN, u);
            actor.polyak(config.tau());
            critics.polyak(config.tau());
        } else {
            l.policy = Double.NaN;   // no actor step this time: the training log averages the steps taken
        }
        l.total = l.value;
        l.minibatches = 1;
        return l;
    }

    /** 1–2. Target smoothing and clipped double Q: y = r + γ·(1 − done)·min_i Q'_i(s', clip(μ'(s') + clip(σ̃ε, ±c), ±1)). */
    void target(DMatrixRMaj nextN, double[] rewards, double[] notDone, double[] eps) {
        int rows = nextN.numRows;
        ensure(rows);
        actor.targetAct(nextN, uNew);
        for (int k = 0; k < rows * ad; k++) {
            double smoothing = Math.max(-config.noiseClip(), Math.min(config.noiseClip(), config.policyNoise() * eps[k]));
            uNew[k] = Math.max(-1, Math.min(1, uNew[k] + smoothing));
        }
        critics.targetValue(0, nextN, uNew, q0);
        critics.targetValue(1, nextN, uNew, q1);
        for (int r = 0; r < rows; r++) y[r] = rewards[r] + config.gamma() * notDone[r] * Math.min(q0[r], q1[r]);
    }

    /** 3. L_Q = Σ_i mean((Q_i(s, u) − y)²) and one Adam step; returns L_Q. */
    double criticStep(DMatrixRMaj obsN, double[] u) {
        criticAdam.zeroGrad();
        double loss = critics.regress(obsN, u, y, 1, q0, dQ);
        criticAdam.step();
        return loss;
    }

    /**
     * 4. L_μ = −mean(Q_1(s, μ(s))) (plus the behaviour-cloning term on the demonstration rows with
     * {@link #cloneDemonstrations}) and one Adam step of the actor; returns L_μ.
     */
    double actorStep(DMatrixRMaj obsN, double[] u) {
        int rows = obsN.numRows;
        actorAdam.zeroGrad();
        if (cloning != null && cloning.qFilter()) critics.value(0, cloning.observations(obsN), u, cloning.demoValues(0));
        actor.act(obsN, uNew);
        critics.value(0, obsN, uNew, q0);
        java.util.Arrays.fill(dU, 0, rows * ad, 0);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            loss -= q0[r];
            dQ[r] = -1.0 / rows;
        }
        critics.backward(0, dQ, dU);
        double bc = cloning == null ? 0 : cloning.add(uNew, u, q0, null, ad, dU);
        actor.backward(dU);
        actorAdam.step();
        return loss / rows + bc;
    }

    private void ensure(int rows) {
        if (y.length >= rows) return;
        y = new double[rows];
        q0 = new double[rows];
        q1 = new double[rows];
        dQ = new double[rows];
        uNew = new double[rows * ad];
        dU = new double[rows * ad];
        noise = new double[rows * ad];
    }

    @Override
    public void cloneDemonstrations(DemoCloning term) {
        cloning = term;
    }

    @Override
    public void explore(DMatrixRMaj obsN, Rng rng, double[] uOut) {
        actor.explore(obsN, config.explorationNoise(), rng, uOut);
    }

    @Override
    public void act(DMatrixRMaj obsN, double[] uOut) {
        actor.act(obsN, uOut);
    }

    @Override
    public org.teachlearn.learn.nn.Mlp actorNet() {
        return actor.net();
    }

    @Override
    public double[] commandLogStd() {
        return actor.commandLogStd(config.explorationNoise());
    }

    @Override
    public RunningNorm norm() {
        return actor.norm();
    }

    @Override
    public PolicyLayout layout() {
        return actor.layout();
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        return List.of(new ParameterGroup("actor", actor.net().parameters(), actorAdam),
                new ParameterGroup("target_actor", actor.targetParameters(), null),
                new ParameterGroup("critics", critics.parameters(), criticAdam),
                new ParameterGroup("target_critics", critics.targetParameters(), null));
    }

    @Override
    public void saveState(Map<String, String> into) {
        into.put("td3_updates", Long.toString(updates));
    }

    @Override
    public void restoreState(Map<String, String> from) {
        updates = Long.parseLong(from.getOrDefault("td3_updates", "0"));
    }

    public DeterministicActor actor() {
        return actor;
    }

    public Config config() {
        return config;
    }
}
