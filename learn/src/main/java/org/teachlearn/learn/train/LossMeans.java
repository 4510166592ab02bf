package org.teachlearn.learn.train;

import org.teachlearn.learn.algo.Losses;

/**
 * The mean losses of an off-policy learner's updates since the last {@link #clear}: the policy's
 * over the updates that stepped the actor (TD3 steps it every policy_delay updates), the critic's
 * and the entropy over all; NaN where no update came. Allocation-free.
 */
final class LossMeans {

    private double policy, value, entropy;
    private int updates, actorUpdates;

    void add(Losses l) {
        if (!Double.isNaN(l.policy)) {
            policy += l.policy;
            actorUpdates++;
        }
        value += l.value;
        entropy += l.entropy;
        updates++;
    }

    double policy() {
        return actorUpdates == 0 ? Double.NaN : policy / actorUpdates;
    }

    double value() {
        return updates == 0 ? Double.NaN : value / updates;
    }

    double entropy() {
        return updates == 0 ? Double.NaN : entropy / updates;
    }

    void clear() {
        policy = value = entropy = 0;
        updates = actorUpdates = 0;
    }
}
