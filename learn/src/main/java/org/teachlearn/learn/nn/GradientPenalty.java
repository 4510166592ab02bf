package org.teachlearn.learn.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A penalty on the input gradient of a scalar-output {@link Mlp}, λ · mean over rows of
 * (‖∇ₓ f(x)‖ − c)², with its gradient added to the network's parameters: the gradient penalty of
 * WGAN-GP (Gulrajani et al. 2017, c = 1) that DAC (Kostrikov et al. 2019) puts on GAIL's
 * discriminator, or the zero-centred one (c = 0, Mescheder et al. 2018). It keeps the
 * discriminator's output smooth between the demonstrations and the policy's pairs, so that its
 * reward still points the way where it can tell them apart.
 *
 * <p>The parameter gradient needs the second derivative. With v = ∂P/∂(∇ₓ f) held fixed,
 * ∂P/∂θ = ∂/∂θ (∇ₓ f · v), and ∇ₓ f · v is the network's directional derivative along v: one
 * forward-mode pass (tangents ȧ) then one reverse pass through it, in which the tangents' adjoints
 * are exactly the input-gradient pass's deltas and the activations' adjoints pick up the
 * curvature σ''. Nothing allocates once a batch of that size has been seen. Not thread-safe.
 */
public final class GradientPenalty {

    private final DMatrixRMaj[] deltas;    // d f / d pre-activation of layer k, per row
    private final DMatrixRMaj[] tangents;  // ȧ[k]: the pre-activation of layer k moved along v
    private final DMatrixRMaj[] moved;     // ṫ[k]: layer k's input moved along v (ṫ[0] = v)
    private final DMatrixRMaj[] transposed;
    private final DMatrixRMaj adjoint, next, scratch;
    private final DMatrixRMaj inputGradient;

    public GradientPenalty(Mlp net) {
        if (net.outputSize() != 1) throw new IllegalArgumentException("a gradient penalty needs a network of one output, this one has " + net.outputSize());
        int layers = net.layers();
        int[] sizes = net.sizes();
        deltas = new DMatrixRMaj[layers];
        tangents = new DMatrixRMaj[layers];
        moved = new DMatrixRMaj[layers];
        transposed = new DMatrixRMaj[layers];
        for (int k = 0; k < layers; k++) {
            deltas[k] = new DMatrixRMaj(1, sizes[k + 1]);
            tangents[k] = new DMatrixRMaj(1, sizes[k + 1]);
            moved[k] = new DMatrixRMaj(1, sizes[k]);
            transposed[k] = new DMatrixRMaj(sizes[k + 1], sizes[k]);
        }
        adjoint = new DMatrixRMaj(1, 1);
        next = new DMatrixRMaj(1, 1);
        scratch = new DMatrixRMaj(1, 1);
        inputGradient = new DMatrixRMaj(1, sizes[0]);
    }

    /**
     * λ · mean over the rows of {@code x} of (‖∇ₓ f‖ − {@code target})²; its gradient is added to
     * {@code net}'s parameter gradients. Runs {@code net}'s forward pass on {@code x}.
     */
    public double addGradients(Mlp net, DMatrixRMaj x, double lambda, double target) {
        int layers = net.layers(), batch = x.numRows;
        Activation act = net.activation();
        net.forward(x);
        for (int k = 0; k < layers; k++) CommonOps_DDRM.transpose(net.weight(k).value(), transposed[k]);

        // the input gradient, keeping each layer's delta: d f / d a[k]
        deltas[layers - 1].reshape(batch, 1);
        java.util.Arrays.fill(deltas[layers - 1].data, 0, batch, 1.0);
        for (int k = layers - 1; k >= 1; k--) {
            deltas[k - 1].reshape(batch, net.output(k).numCols);
            Gemm.mult(deltas[k], transposed[k], deltas[k - 1]);
            act.backward(net.output(k).data, deltas[k - 1].data, batch * deltas[k - 1].numCols);
        }
        int in = x.numCols;
        inputGradient.reshape(batch, in);
        Gemm.mult(deltas[0], transposed[0], inputGradient);

        // the penalty and v = dP / d(∇f), into moved[0]
        DMatrixRMaj v = moved[0];
        v.reshape(batch, in);
        double penalty = 0;
        double[] g = inputGradient.data;
        for (int r = 0; r < batch; r++) {
            double sq = 0;
            for (int j = 0; j < in; j++) sq += g[r * in + j] * g[r * in + j];
            double norm = Math.sqrt(sq), gap = norm - target;
            penalty += lambda * gap * gap / batch;
            double scale = norm == 0 ? 0 : 2 * lambda * gap / (norm * batch);
            for (int j = 0; j < in; j++) v.data[r * in + j] = scale * g[r * in + j];
        }

        // forward along v: ȧ[k] = ṫ[k] W[k], ṫ[k + 1] = σ'(h[k + 1]) ⊙ ȧ[k]
        for (int k = 0; k < layers; k++) {
            int n = net.weight(k).value().numCols;
            tangents[k].reshape(batch, n);
            Gemm.mult(moved[k], net.weight(k).value(), tangents[k]);
            if (k + 1 < layers) {
                moved[k + 1].reshape(batch, n);
                System.arraycopy(tangents[k].data, 0, moved[k + 1].data, 0, batch * n);
                act.backward(net.output(k + 1).data, moved[k + 1].data, batch * n);
            }
        }

        // back through the directional derivative: ṫ's adjoints are the deltas; ā carries the curvature
        // (none at the output, which the directional derivative does not depend on: nothing to add there)
        for (int k = layers - 1; k >= 0; k--) {
            Gemm.multAddTransA(moved[k], deltas[k], net.weight(k).grad());
            if (k < layers - 1) {
                Gemm.multAddTransA(net.output(k), adjoint, net.weight(k).grad());
                double[] gb = net.bias(k).grad().data, a = adjoint.data;
                int n = adjoint.numCols;
                for (int r = 0; r < batch; r++) for (int j = 0; j < n; j++) gb[j] += a[r * n + j];
            }
            if (k == 0) break;
            int m = net.output(k).numCols;
            next.reshape(batch, m);
            if (k < layers - 1) {
                Gemm.mult(adjoint, transposed[k], next);                  // h̄[k]
                act.backward(net.output(k).data, next.data, batch * m);   // σ'(h[k]) ⊙ h̄[k]
            } else {
                java.util.Arrays.fill(next.data, 0, batch * m, 0.0);
            }
            scratch.reshape(batch, m);
            Gemm.mult(deltas[k], transposed[k], scratch);             // ṫ[k]'s adjoint
            double[] h = net.output(k).data, t = tangents[k - 1].data, s = scratch.data, nx = next.data;
            for (int i = 0; i < batch * m; i++) nx[i] += act.second(h[i]) * t[i] * s[i];
            adjoint.reshape(batch, m);
            System.arraycopy(nx, 0, adjoint.data, 0, batch * m);
        }
        return penalty;
    }

    /** The input gradient ∇ₓ f of the last {@link #addGradients} call, one row per input row. */
    public DMatrixRMaj inputGradient() {
        return inputGradient;
    }
}
