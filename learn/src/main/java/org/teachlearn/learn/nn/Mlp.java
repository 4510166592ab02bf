package org.teachlearn.learn.nn;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.teachlearn.learn.Rng;

/**
 * A multilayer perceptron on batches (one sample per row): linear layers with a nonlinearity
 * between them and a linear output. Weights are stored [in, out] (torch's {@code weight}
 * transposed) so the forward pass is one row-major product ({@link Gemm}). {@link #forward} keeps what
 * {@link #backward} needs; both work on preallocated matrices and allocate nothing once a batch
 * of that size has been seen. Not thread-safe.
 */
public final class Mlp {

    private final int[] sizes;
    private final Activation activation;
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final DMatrixRMaj[] outputs;   // outputs[l + 1] = layer l's output; outputs[0] is the last input
    private final DMatrixRMaj[] deltas;    // gradient of the loss w.r.t. outputs[l]
    private final DMatrixRMaj[] transposed; // weights [out, in], refreshed per backward pass
    private DMatrixRMaj[] tangents;         // jvp: d outputs[l + 1] in a direction of the parameters (made on first use)
    private DMatrixRMaj[] direction;        // jvp: the direction's weights, layer by layer

    /** {@code sizes} = input, hidden..., output. */
    public Mlp(int[] sizes, Activation activation) {
        if (sizes.length < 2) throw new IllegalArgumentException("an MLP needs at least an input and an output size");
        for (int s : sizes) if (s < 1) throw new IllegalArgumentException("layer sizes must be positive: " + java.util.Arrays.toString(sizes));
        this.sizes = sizes.clone();
        this.activation = activation;
        int layers = sizes.length - 1;
        weights = new Parameter[layers];
        biases = new Parameter[layers];
        outputs = new DMatrixRMaj[layers + 1];
        deltas = new DMatrixRMaj[layers + 1];
        transposed = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = Parameter.of(l + ".weight", sizes[l], sizes[l + 1]);
            biases[l] = Parameter.of(l + ".bias", 1, sizes[l + 1]);
            transposed[l] = new DMatrixRMaj(sizes[l + 1], sizes[l]);
        }
        for (int l = 0; l <= layers; l++) {
            outputs[l] = new DMatrixRMaj(1, sizes[l]);
            deltas[l] = new DMatrixRMaj(1, sizes[l]);
        }
    }

    /** Orthogonal weights with gain √2 in hidden layers and {@code outputGain} in the last; zero biases. */
    public void initialise(double outputGain, Rng rng) {
        for (int l = 0; l < weights.length; l++) {
            Orthogonal.fill(weights[l].value(), l == weights.length - 1 ? outputGain : Math.sqrt(2), rng);
            biases[l].value().zero();
        }
    }

    /** The output for each row of {@code x} (rows = batch). The result is owned by this network. */
    public DMatrixRMaj forward(DMatrixRMaj x) {
        if (x.numCols != sizes[0]) throw new IllegalArgumentException("input has " + x.numCols + " columns, the network takes " + sizes[0]);
        int batch = x.numRows;
        outputs[0].reshape(batch, sizes[0]);
        System.arraycopy(x.data, 0, outputs[0].data, 0, batch * sizes[0]);
        for (int l = 0; l < weights.length; l++) {
            DMatrixRMaj in = outputs[l], out = outputs[l + 1];
            out.reshape(batch, sizes[l + 1]);
            Gemm.mult(in, weights[l].value(), out);
            double[] b = biases[l].value().data, y = out.data;
            int n = sizes[l + 1];
            for (int r = 0; r < batch; r++) {
                int o = r * n;
                for (int j = 0; j < n; j++) y[o + j] += b[j];
            }
            if (l < weights.length - 1) activation.apply(y, batch * n);
        }
        return outputs[weights.length];
    }

    /**
     * Back-propagates {@code gradOutput} (d loss / d output of the last {@link #forward}) and adds
     * the parameter gradients to theirs. Returns d loss / d input when {@code wantInputGradient}.
     */
    public DMatrixRMaj backward(DMatrixRMaj gradOutput, boolean wantInputGradient) {
        int layers = weights.length, batch = outputs[0].numRows;
        if (gradOutput.numRows != batch || gradOutput.numCols != sizes[layers]) {
            throw new IllegalArgumentException("output gradient is " + gradOutput.numRows + "x" + gradOutput.numCols + ", expected " + batch + "x"
                    + sizes[layers]);
        }
        deltas[layers].reshape(batch, sizes[layers]);
        System.arraycopy(gradOutput.data, 0, deltas[layers].data, 0, batch * sizes[layers]);
        for (int l = layers - 1; l >= 0; l--) {
            DMatrixRMaj delta = deltas[l + 1];
            Gemm.multAddTransA(outputs[l], delta, weights[l].grad());
            double[] gb = biases[l].grad().data, d = delta.data;
            int n = sizes[l + 1];
            for (int r = 0; r < batch; r++) {
                int o = r * n;
                for (int j = 0; j < n; j++) gb[j] += d[o + j];
            }
            if (l > 0 || wantInputGradient) {
                deltas[l].reshape(batch, sizes[l]);
                // δ·Wᵀ as a plain product with Wᵀ: a product with B transposed runs dot products, 2× slower
                // than the row-wise product for these shapes; the transpose costs 1/batch of it.
                CommonOps_DDRM.transpose(weights[l].value(), transposed[l]);
                Gemm.mult(delta, transposed[l], deltas[l]);
                if (l > 0) activation.backward(outputs[l].data, deltas[l].data, batch * sizes[l]);
            }
        }
        return wantInputGradient ? deltas[0] : null;
    }

    /**
     * The forward-mode product J·v of the last {@link #forward}: how its output (every row) changes
     * as the parameters move in direction {@code v}, read from {@code offset} in the order and
     * layout of {@link #parameters()} (weight [in, out], then bias, layer by layer). With
     * {@link #backward} it gives TRPO's Fisher-vector products Jᵀ·M·J·v without second derivatives.
     * The result is owned by this network; nothing allocates after the first call.
     */
    public DMatrixRMaj jvp(double[] v, int offset) {
        int layers = weights.length, batch = outputs[0].numRows;
        if (tangents == null) {
            tangents = new DMatrixRMaj[layers];
            direction = new DMatrixRMaj[layers];
            for (int l = 0; l < layers; l++) {
                tangents[l] = new DMatrixRMaj(1, sizes[l + 1]);
                direction[l] = new DMatrixRMaj(sizes[l], sizes[l + 1]);
            }
        }
        int k = offset;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], n = sizes[l + 1];
            System.arraycopy(v, k, direction[l].data, 0, in * n);
            k += in * n;
            DMatrixRMaj t = tangents[l];
            t.reshape(batch, n);
            Gemm.mult(outputs[l], direction[l], t);                          // the layer's input times dW
            if (l > 0) Gemm.multAdd(tangents[l - 1], weights[l].value(), t);   // plus the input's change times W
            double[] y = t.data;
            for (int r = 0; r < batch; r++) {
                int o = r * n;
                for (int j = 0; j < n; j++) y[o + j] += v[k + j];
            }
            k += n;
            if (l < layers - 1) activation.backward(outputs[l + 1].data, y, batch * n);   // through the nonlinearity at its output
        }
        return tangents[layers - 1];
    }

    /** Layer {@code k}'s input in the last {@link #forward} (0: the network's input), for {@link GradientPenalty}. */
    DMatrixRMaj output(int k) {
        return outputs[k];
    }

    /** Rows of the last {@link #forward}'s batch. */
    public int forwardRows() {
        return outputs[0].numRows;
    }

    /** Weights and biases, layer by layer (weight [in, out], then bias [1, out]). */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            all.add(weights[l]);
            all.add(biases[l]);
        }
        return all;
    }

    public Parameter weight(int layer) {
        return weights[layer];
    }

    public Parameter bias(int layer) {
        return biases[layer];
    }

    public int layers() {
        return weights.length;
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public Activation activation() {
        return activation;
    }
}
