package org.teachlearn.learn.policy;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Parameter;

/**
 * Two {@link QFunction}s with their targets (Fujimoto et al. 2018's clipped double Q: the smaller
 * of the two is the estimate, against over-estimation), the critics of TD3 and SAC.
 */
public final class TwinQ {

    private final QFunction[] q = new QFunction[2];

    public TwinQ(int obsDim, int actDim, int[] hidden, Activation activation, Rng rng) {
        for (int i = 0; i < 2; i++) q[i] = new QFunction(obsDim, actDim, hidden, activation, rng);
    }

    /** Q_i(s, u) for each row into {@code out}; {@code net} 0 or 1; the network keeps it for {@link #backward}. */
    public void value(int net, DMatrixRMaj obsN, double[] u, double[] out) {
        q[net].value(obsN, u, out);
    }

    /** The target copy's Q_i(s, u) for each row into {@code out}. */
    public void targetValue(int net, DMatrixRMaj obsN, double[] u, double[] out) {
        q[net].targetValue(obsN, u, out);
    }

    /** {@link QFunction#backward} of network {@code net}. */
    public void backward(int net, double[] dQ, double[] dU) {
        q[net].backward(dQ, dU);
    }

    /** {@link QFunction#regress} of both networks towards the same {@code y}; returns weight · Σ_i mean((Q_i − y)²). */
    public double regress(DMatrixRMaj obsN, double[] u, double[] y, double weight, double[] q, double[] dQ) {
        return weight * (this.q[0].regress(obsN, u, y, weight, q, dQ) + this.q[1].regress(obsN, u, y, weight, q, dQ));
    }

    public void polyak(double tau) {
        q[0].polyak(tau);
        q[1].polyak(tau);
    }

    public QFunction first() {
        return q[0];
    }

    /** Both Q networks' parameters (what their optimiser steps): Q1's, then Q2's. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(q[0].parameters());
        all.addAll(q[1].parameters());
        return all;
    }

    /** Both target networks' parameters, in the order of {@link #parameters}. */
    public List<Parameter> targetParameters() {
        List<Parameter> all = new ArrayList<>(q[0].targetParameters());
        all.addAll(q[1].targetParameters());
        return all;
    }
}
