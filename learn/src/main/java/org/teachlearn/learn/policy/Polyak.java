package org.teachlearn.learn.policy;

import org.teachlearn.learn.nn.Parameter;

/** Polyak averaging of target networks: target ← τ·source + (1 − τ)·target, without allocating. */
final class Polyak {

    private Polyak() {
    }

    static void average(Parameter[] source, Parameter[] target, double tau) {
        for (int k = 0; k < source.length; k++) {
            double[] s = source[k].value().data, t = target[k].value().data;
            for (int e = 0; e < s.length; e++) t[e] = tau * s[e] + (1 - tau) * t[e];
        }
    }
}
