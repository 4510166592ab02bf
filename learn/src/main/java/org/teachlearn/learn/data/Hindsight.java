package org.teachlearn.learn.data;

import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;

/**
 * Hindsight experience replay for tasks whose goal is where the hand is (reach): a share of the
 * sampled transitions get, as their goal, the hand's position after a transition drawn from the
 * same one and the later ones of its episode (HER's "future" strategy, Andrychowicz et al. 2017),
 * with the reward and the ending recomputed for that goal. Every episode then also teaches how to
 * reach the points it passed through, so a learner that misses its goals still learns from them.
 * Relabelling allocates nothing.
 */
public final class Hindsight {

    private final double share;
    private final int arm, goalOffset, goalSize;
    private final GoalOfPose goalOf;
    private final DoubleUnaryOperator reward;
    private final DoublePredicate reached;
    private final double[] q, goal, hand;
    private Feature feature;      // the observations' feature of pose and goal (the hand feature), or null
    private int featureOffset;    // where it sits in an observation

    /** A feature observations carry that depends on the goal: written for arm pose {@code q} and {@code goal} into {@code out} from {@code offset}. */
    public interface Feature {
        void compute(double[] q, double[] goal, double[] out, int offset);
    }

    /**
     * @param share      the share of sampled transitions relabelled, in [0, 1]
     * @param arm        how many arm joint positions start an observation (the pose {@code goalOf} reads)
     * @param goalOffset where the goal starts in an observation
     * @param reward     the task's reward, and {@code reached} whether its episode ends, with the hand a distance from the goal
     */
    public Hindsight(double share, int arm, int goalOffset, int goalSize, GoalOfPose goalOf, DoubleUnaryOperator reward, DoublePredicate reached) {
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("the hindsight share must be in [0, 1], got " + share);
        this.share = share;
        this.arm = arm;
        this.goalOffset = goalOffset;
        this.goalSize = goalSize;
        this.goalOf = goalOf;
        this.reward = reward;
        this.reached = reached;
        q = new double[arm];
        goal = new double[goalSize];
        hand = new double[goalSize];
    }

    /** Observations carry {@code feature} from {@code offset} (the hand feature): relabelling recomputes it for the new goal. */
    public Hindsight withFeature(Feature feature, int offset) {
        this.feature = feature;
        featureOffset = offset;
        return this;
    }

    public double share() {
        return share;
    }

    /**
     * Row {@code b} of a minibatch (observation and next observation at {@code rowOffset}) gets the
     * goal reached in the next observation stored at {@code laterOffset} of {@code nextStore}, and
     * its reward and terminal flag for that goal.
     */
    void relabel(double[] nextStore, int laterOffset, double[] obs, double[] next, int rowOffset, double[] rewards, double[] notDone, int b) {
        System.arraycopy(nextStore, laterOffset, q, 0, arm);
        goalOf.goal(q, goal);
        System.arraycopy(goal, 0, obs, rowOffset + goalOffset, goalSize);
        System.arraycopy(goal, 0, next, rowOffset + goalOffset, goalSize);
        System.arraycopy(next, rowOffset, q, 0, arm);
        goalOf.goal(q, hand);
        double d2 = 0;
        for (int k = 0; k < goalSize; k++) d2 += (hand[k] - goal[k]) * (hand[k] - goal[k]);
        double d = Math.sqrt(d2);
        if (feature != null) {
            feature.compute(q, goal, next, rowOffset + featureOffset);
            System.arraycopy(obs, rowOffset, q, 0, arm);
            feature.compute(q, goal, obs, rowOffset + featureOffset);
        }
        rewards[b] = reward.applyAsDouble(d);
        notDone[b] = reached.test(d) ? 0 : 1;
    }
}
