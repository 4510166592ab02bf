package org.teachlearn.learn.algo;

import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Adam;

/**
 * An on-policy algorithm as the training loop sees it: the loop collects a rollout with the
 * current policy (shared collector and buffer), the algorithm estimates its advantages and takes
 * its update with its optimiser. PPO and REINFORCE each implement it in one file.
 */
public interface OnPolicyAlgorithm {

    /**
     * One update on a freshly collected rollout (rewards, values and log-probabilities filled;
     * advantages and returns are the algorithm's to compute). {@code progress} in [0, 1] is how
     * far training is, for annealing; with {@code criticOnly} only the value function learns,
     * where the algorithm supports it. Returns the mean losses.
     */
    Losses learn(Rollout rollout, double progress, boolean criticOnly, Rng rng);

    /** The optimiser over the policy's parameters, whose moments a checkpoint keeps. */
    Adam optimiser();

    /** Adds what a checkpoint must keep beyond weights and optimiser (PPO's β); nothing by default. */
    default void saveState(Map<String, String> into) {
    }

    /** Restores what {@link #saveState} wrote. */
    default void restoreState(Map<String, String> from) {
    }
}
