package org.teachlearn.learn.algo;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.policy.DeterministicActor;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.QFunction;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * Deep deterministic policy gradient (Lillicrap et al. 2016), with the settings Fujimoto et al.
 * 2018 re-tuned it to (Adam at 3e-4 for both networks, τ = 0.005, Gaussian exploration instead of
 * Ornstein–Uhlenbeck). One gradient step on a minibatch:
 * <ol>
 * <li>y = r + γ·(1 − done)·Q'(s', μ'(s'));</li>
 * <li>critic: L_Q = mean((Q(s, u) − y)²), one Adam step;</li>
 * <li>actor: L_μ = −mean(Q(s, μ(s))) through the critic just updated, one Adam step;</li>
 * <li>targets of both ← τ·net + (1 − τ)·target.</li>
 * </ol>
 * Buffers are preallocated per minibatch size: an update allocates nothing.
 */
public final class Ddpg implements OffPolicyAlgorithm {

    public record Config(double learningRate, int batchSize, double gamma, double tau, double explorationNoise) {
        public static Config defaults() {
            return new Config(3e-4, 256, 0.99, 0.005, 0.1);
        }

        public Config withLearningRate(double learningRate) {
            return new Config(learningRate, batchSize, gamma, tau, explorationNoise);
        }

        public Config withBatchSize(int batchSize) {
            return new Config(learningRate, batchSize, gamma, tau, explorationNoise);
        }

        public Config withDiscount(double gamma, double tau) {
            return new Config(learningRate, batchSize, gamma, tau, explorationNoise);
        }

        public Config withExplorationNoise(double explorationNoise) {
            return new Config(learningRate, batchSize, gamma, tau, explorationNoise);
        }
    }

    private final DeterministicActor actor;
    private final QFunction critic;
    private final Config config;
    private final Adam actorAdam, criticAdam;
    private final int od, ad;
    private final Losses losses = new Losses();
    private final DMatrixRMaj obsN = new DMatrixRMaj(1, 1), nextN = new DMatrixRMaj(1, 1);
    private double[] y = new double[0], q = new double[0], dQ = new double[0], uNew = new double[0], dU = new double[0];
    private DemoCloning cloning;   // null: no behaviour-cloning term

    public Ddpg(DeterministicActor actor, QFunction critic, Config config) {
        this.actor = actor;
        this.critic = critic;
        this.config = config;
        od = actor.layout().observationSize();
        ad = actor.layout().actionSize();
        actorAdam = new Adam(actor.net().parameters(), config.learningRate());
        criticAdam = new Adam(critic.parameters(), config.learningRate());
    }

    @Override
    public Losses update(double[] obs, double[] u, double[] rewards, double[] next, double[] notDone, int rows, Rng rng) {
        obsN.reshape(rows, od);
        nextN.reshape(rows, od);
        actor.norm().normalise(obs, obsN.data, rows);
        actor.norm().normalise(next, nextN.data, rows);
        return update(obsN, u, rewards, nextN, notDone);
    }

    /** The update on normalised observations (the PyTorch parity test's entry). */
    Losses update(DMatrixRMaj obsN, double[] u, double[] rewards, DMatrixRMaj nextN, double[] notDone) {
        Losses l = losses;
        l.policy = l.value = l.entropy = l.approxKl = l.kl = l.clipFraction = l.total = 0;
        target(nextN, rewards, notDone);
        l.value = criticStep(obsN, u);
        l.policy = actorStep(obsN, u);
        actor.polyak(config.tau());
        critic.polyak(config.tau());
        l.total = l.policy + l.value;
        l.minibatches = 1;
        return l;
    }

    /** 1. y = r + γ·(1 − done)·Q'(s', μ'(s')). */
    void target(DMatrixRMaj nextN, double[] rewards, double[] notDone) {
        int rows = nextN.numRows;
        ensure(rows);
        actor.targetAct(nextN, uNew);
        critic.targetValue(nextN, uNew, q);
        for (int r = 0; r < rows; r++) y[r] = rewards[r] + config.gamma() * notDone[r] * q[r];
    }

    /** 2. L_Q = mean((Q(s, u) − y)²) and one Adam step; returns L_Q. */
    double criticStep(DMatrixRMaj obsN, double[] u) {
        criticAdam.zeroGrad();
        double loss = critic.regress(obsN, u, y, 1, q, dQ);
        criticAdam.step();
        return loss;
    }

    /**
     * 3. L_μ = −mean(Q(s, μ(s))) (plus the behaviour-cloning term on the demonstration rows with
     * {@link #cloneDemonstrations}) and one Adam step of the actor (the critic's gradients this
     * leaves are not stepped); returns L_μ.
     */
    double actorStep(DMatrixRMaj obsN, double[] u) {
        int rows = obsN.numRows;
        actorAdam.zeroGrad();
        if (cloning != null && cloning.qFilter()) critic.value(cloning.observations(obsN), u, cloning.demoValues(0));
        actor.act(obsN, uNew);
        critic.value(obsN, uNew, q);
        java.util.Arrays.fill(dU, 0, rows * ad, 0);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            loss -= q[r];
            dQ[r] = -1.0 / rows;
        }
        critic.backward(dQ, dU);
        double bc = cloning == null ? 0 : cloning.add(uNew, u, q, null, ad, dU);
        actor.backward(dU);
        actorAdam.step();
        return loss / rows + bc;
    }

    private void ensure(int rows) {
        if (y.length >= rows) return;
        y = new double[rows];
        q = new double[rows];
        dQ = new double[rows];
        uNew = new double[rows * ad];
        dU = new double[rows * ad];
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
                new ParameterGroup("critic", critic.parameters(), criticAdam),
                new ParameterGroup("target_critic", critic.targetParameters(), null));
    }

    public DeterministicActor actor() {
        return actor;
    }
}
