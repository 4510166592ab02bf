package org.teachlearn.learn.policy;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * The off-policy learners' critics: two Q networks on (normalised observation, output u) and a
 * slowly following target copy of each (Fujimoto et al. 2018's clipped double Q: the smaller of
 * the two is the estimate, against over-estimation). Buffers are preallocated per batch size.
 */
public final class TwinQ {

    private final int obsDim, actDim;
    private final Mlp[] q = new Mlp[2];
    private final Mlp[] target = new Mlp[2];
    private final DMatrixRMaj input = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj grad = new DMatrixRMaj(1, 1);
    private final Parameter[] params, targetParams;

    public TwinQ(int obsDim, int actDim, int[] hidden, Activation activation, Rng rng) {
        this.obsDim = obsDim;
        this.actDim = actDim;
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = obsDim + actDim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 1;
        for (int i = 0; i < 2; i++) {
            q[i] = new Mlp(sizes, activation);
            q[i].initialise(1.0, rng);
            target[i] = new Mlp(sizes, activation);
        }
        params = parameters().toArray(new Parameter[0]);
        targetParams = targetParameters().toArray(new Parameter[0]);
        polyak(1.0);
    }

    /** Q_i(s, u) for each row into {@code out}; {@code net} 0 or 1; the network keeps it for {@link #backward}. */
    public void value(int net, DMatrixRMaj obsN, double[] u, double[] out) {
        forward(q[net], obsN, u, out);
    }

    /** The target copy's Q_i(s, u) for each row into {@code out}. */
    public void targetValue(int net, DMatrixRMaj obsN, double[] u, double[] out) {
        forward(target[net], obsN, u, out);
    }

    private void forward(Mlp net, DMatrixRMaj obsN, double[] u, double[] out) {
        int rows = obsN.numRows, w = obsDim + actDim;
        input.reshape(rows, w);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(obsN.data, r * obsDim, input.data, r * w, obsDim);
            System.arraycopy(u, r * actDim, input.data, r * w + obsDim, actDim);
        }
        double[] v = net.forward(input).data;
        System.arraycopy(v, 0, out, 0, rows);
    }

    /**
     * Back-propagates ∂L/∂Q_i per row through network {@code net}'s last {@link #value}, adding to
     * its gradients; when {@code dU} is given, ∂L/∂u is added into it (rows of act_dim).
     */
    public void backward(int net, double[] dQ, double[] dU) {
        int rows = q[net].forwardRows();
        grad.reshape(rows, 1);
        System.arraycopy(dQ, 0, grad.data, 0, rows);
        DMatrixRMaj dIn = q[net].backward(grad, dU != null);
        if (dU == null) return;
        int w = obsDim + actDim;
        for (int r = 0; r < rows; r++) for (int j = 0; j < actDim; j++) dU[r * actDim + j] += dIn.data[r * w + obsDim + j];
    }

    /** target ← τ·Q + (1 − τ)·target, parameter by parameter. */
    public void polyak(double tau) {
        for (int k = 0; k < params.length; k++) {
            double[] s = params[k].value().data, t = targetParams[k].value().data;
            for (int e = 0; e < s.length; e++) t[e] = tau * s[e] + (1 - tau) * t[e];
        }
    }

    /** Both Q networks' parameters (what their optimiser steps): Q1's, then Q2's. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(q[0].parameters());
        all.addAll(q[1].parameters());
        return all;
    }

    /** Both target networks' parameters, in the order of {@link #parameters}. */
    public List<Parameter> targetParameters() {
        List<Parameter> all = new ArrayList<>(target[0].parameters());
        all.addAll(target[1].parameters());
        return all;
    }
}
