package org.teachlearn.learn.algo;

/**
 * Loss terms of one minibatch, or their means over an update, as the training log reports them.
 * Terms an algorithm does not have stay 0 (REINFORCE has no clipping and no KL).
 */
public final class Losses {
    public double policy, value, entropy, approxKl, kl, clipFraction, total;
    public int minibatches;

    /** Adds one minibatch's terms to this sum. */
    void add(Losses l) {
        policy += l.policy;
        value += l.value;
        entropy += l.entropy;
        approxKl += l.approxKl;
        kl += l.kl;
        clipFraction += l.clipFraction;
        total += l.total;
        minibatches++;
    }

    /** Turns this sum into the mean over its minibatches. */
    Losses mean() {
        int n = Math.max(1, minibatches);
        policy /= n;
        value /= n;
        entropy /= n;
        approxKl /= n;
        kl /= n;
        clipFraction /= n;
        total /= n;
        return this;
    }
}
