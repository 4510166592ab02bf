package org.teachlearn.learn.algo;

import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * An off-policy learner as the training loop sees it: it acts (exploring, or deterministically
 * for evaluation) on normalised observations, and takes one gradient step on a minibatch drawn
 * from the shared replay buffer. DDPG, TD3 and SAC each implement it in one file.
 */
public interface OffPolicyAlgorithm {

    /** Parameters with the optimiser that steps them, or none (null) for target networks: what a checkpoint keeps. */
    record ParameterGroup(String name, List<Parameter> parameters, Adam optimiser) { }

    /**
     * One update on {@code rows} transitions (raw observations, outputs u, rewards, raw next
     * observations, 1 − done), normalised with the current statistics. The losses returned are
     * the learner's, overwritten by the next update.
     */
    Losses update(double[] obs, double[] u, double[] rewards, double[] next, double[] notDone, int rows, Rng rng);

    /**
     * From now on the actor's loss has {@code term}'s behaviour-cloning term on the first
     * {@link DemoCloning#rows} rows of every minibatch, which must be demonstrations (null: none).
     */
    void cloneDemonstrations(DemoCloning term);

    /** The exploring output u ∈ [−1, 1] for each row of normalised observations. */
    void explore(DMatrixRMaj obsN, Rng rng, double[] uOut);

    /** The deterministic output for each row of normalised observations (evaluation, the exported model). */
    void act(DMatrixRMaj obsN, double[] uOut);

    RunningNorm norm();

    /** The actor network: its first act_dim outputs, through tanh, are the deterministic output u. */
    org.teachlearn.learn.nn.Mlp actorNet();

    /**
     * log σ of the exploration around the deterministic command, in command units, for an exported
     * model's {@code log_std} (a policy server's {@code ~stochastic} sampling).
     */
    double[] commandLogStd();

    PolicyLayout layout();

    List<ParameterGroup> parameterGroups();

    /** SAC's temperature α; NaN for learners without one. */
    default double temperature() {
        return Double.NaN;
    }

    /** Adds counters a checkpoint must keep beyond the parameters (TD3's update count); nothing by default. */
    default void saveState(Map<String, String> into) {
    }

    default void restoreState(Map<String, String> from) {
    }
}
