package org.teachlearn.learn.policy;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * One Q network on (normalised observation, output u) and its slowly following target copy, the
 * critic of the off-policy learners (DDPG has one, TD3 and SAC two: {@link TwinQ}). Buffers are
 * preallocated per batch size.
 */
public final class QFunction {

    private final int obsDim, actDim;
    private final Mlp q, target;
    private final DMatrixRMaj input = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj grad = new DMatrixRMaj(1, 1);
    private final Parameter[] params, targetParams;

    public QFunction(int obsDim, int actDim, int[] hidden, Activation activation, Rng rng) {
        this.obsDim = obsDim;
        this.actDim = actDim;
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = obsDim + actDim;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 1;
        q = new Mlp(sizes, activation);
        q.initialise(1.0, rng);
        target = new Mlp(sizes, activation);
        params = q.parameters().toArray(new Parameter[0]);
        targetParams = target.parameters().toArray(new Parameter[0]);
        polyak(1.0);
    }

    /** Q(s, u) for each row into {@code out}; the network keeps it for {@link #backward}. */
    public void value(DMatrixRMaj obsN, double[] u, double[] out) {
        forward(q, obsN, u, out);
    }

    /** The target copy's Q(s, u) for each row into {@code out}. */
    public void targetValue(DMatrixRMaj obsN, double[] u, double[] out) {
        forward(target, obsN, u, out);
    }

    private void forward(Mlp net, DMatrixRMaj obsN, double[] u, double[] out) {
        int rows = obsN.numRows, w = obsDim + actDim;
        input.reshape(rows, w);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(obsN.data, r * obsDim, input.data, r * w, obsDim);
            System.arraycopy(u, r * actDim, input.data, r * w + obsDim, actDim);
        }
        System.arraycopy(net.forward(input).data, 0, out, 0, rows);
    }

    /**
     * Back-propagates ∂L/∂Q per row through the last {@link #value}, adding to the network's
     * gradients; when {@code dU} is given, ∂L/∂u is added into it (rows of act_dim).
     */
    public void backward(double[] dQ, double[] dU) {
        int rows = q.forwardRows();
        grad.reshape(rows, 1);
        System.arraycopy(dQ, 0, grad.data, 0, rows);
        DMatrixRMaj dIn = q.backward(grad, dU != null);
        if (dU == null) return;
        int w = obsDim + actDim;
        for (int r = 0; r < rows; r++) for (int j = 0; j < actDim; j++) dU[r * actDim + j] += dIn.data[r * w + obsDim + j];
    }

    /**
     * Adds the gradients of {@code weight}·mean((Q(s, u) − y)²) for the rows of {@code obsN},
     * using {@code q} and {@code dQ} as scratch rows; returns mean((Q(s, u) − y)²).
     */
    public double regress(DMatrixRMaj obsN, double[] u, double[] y, double weight, double[] q, double[] dQ) {
        int rows = obsN.numRows;
        value(obsN, u, q);
        double se = 0;
        for (int r = 0; r < rows; r++) {
            double e = q[r] - y[r];
            se += e * e;
            dQ[r] = 2 * weight * e / rows;
        }
        backward(dQ, null);
        return se / rows;
    }

    /** target ← τ·Q + (1 − τ)·target, parameter by parameter. */
    public void polyak(double tau) {
        Polyak.average(params, targetParams, tau);
    }

    public List<Parameter> parameters() {
        return q.parameters();
    }

    public List<Parameter> targetParameters() {
        return target.parameters();
    }
}
