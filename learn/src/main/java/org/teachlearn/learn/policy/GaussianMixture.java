package org.teachlearn.learn.policy;

import static org.teachlearn.learn.nn.Smooth.sigmoid;
import static org.teachlearn.learn.nn.Smooth.softplus;

/**
 * A mixture of K diagonal Gaussians over the policy's output u, read from one row of a network's
 * output laid out as [logits (K) | means (K·n) | σ before the softplus (K·n)]: weight π_k =
 * softmax(logits)_k, σ_kj = softplus(raw_kj) + {@link #MIN_STD} (as robomimic's GMM head; the floor
 * keeps the likelihood of a demonstration finite). The negative log-likelihood uses log-sum-exp over
 * the components. Allocation-free after construction; not thread-safe (one scratch row of K).
 */
public final class GaussianMixture {

    public static final double MIN_STD = 1e-2;

    private final int components;
    private final int actions;
    private final double[] joint;   // log π_k + log N(u | μ_k, σ_k) of the row being scored

    public GaussianMixture(int components, int actions) {
        if (components < 1) throw new IllegalArgumentException("a mixture needs at least one component, got " + components);
        this.components = components;
        this.actions = actions;
        this.joint = new double[components];
    }

    /** Outputs of the network per row: K logits, K·n means, K·n σ parameters. */
    public static int outputSize(int components, int actions) {
        return components * (1 + 2 * actions);
    }

    public int outputSize() {
        return outputSize(components, actions);
    }

    public int components() {
        return components;
    }

    /** Offset of component k's mean in a row of the output. */
    public int meanOffset(int k) {
        return components + k * actions;
    }

    /** Offset of component k's σ parameters in a row of the output. */
    public int stdOffset(int k) {
        return components + (components + k) * actions;
    }

    /** σ of component k, dimension j, from row {@code row} of {@code out}. */
    public double std(double[] out, int row, int k, int j) {
        return softplus(out[row * outputSize() + stdOffset(k) + j]) + MIN_STD;
    }

    /**
     * −log p(u) of row {@code row} ({@code u} row-major, n per row), and {@code scale} · its gradient
     * with respect to that row of the network's output added into {@code grad} (null: no gradient).
     */
    public double nll(double[] out, int row, double[] u, double scale, double[] grad) {
        int w = outputSize(), o = row * w, uo = row * actions;
        double maxLogit = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < components; k++) maxLogit = Math.max(maxLogit, out[o + k]);
        double sumExp = 0;
        for (int k = 0; k < components; k++) sumExp += Math.exp(out[o + k] - maxLogit);
        double logNormaliser = maxLogit + Math.log(sumExp);
        double maxJoint = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < components; k++) {
            double lp = out[o + k] - logNormaliser;
            int mo = o + meanOffset(k), so = o + stdOffset(k);
            for (int j = 0; j < actions; j++) {
                double sigma = softplus(out[so + j]) + MIN_STD;
                double z = (u[uo + j] - out[mo + j]) / sigma;
                lp += -0.5 * z * z - Math.log(sigma) - DiagonalGaussian.LOG_SQRT_2PI;
            }
            joint[k] = lp;
            maxJoint = Math.max(maxJoint, lp);
        }
        double sum = 0;
        for (int k = 0; k < components; k++) sum += Math.exp(joint[k] - maxJoint);
        double logP = maxJoint + Math.log(sum);
        if (grad == null) return -logP;
        for (int k = 0; k < components; k++) {
            double gamma = Math.exp(joint[k] - logP);              // posterior responsibility of component k
            double weight = Math.exp(out[o + k] - logNormaliser);
            grad[o + k] += scale * (weight - gamma);                // d(−log p)/d logit_k
            int mo = o + meanOffset(k), so = o + stdOffset(k);
            for (int j = 0; j < actions; j++) {
                double raw = out[so + j], sigma = softplus(raw) + MIN_STD;
                double d = u[uo + j] - out[mo + j];
                grad[mo + j] -= scale * gamma * d / (sigma * sigma);
                grad[so + j] -= scale * gamma * (d * d / (sigma * sigma * sigma) - 1 / sigma) * sigmoid(raw);
            }
        }
        return -logP;
    }

    /** The weights π of row {@code row} into {@code weights} (K). */
    public void weights(double[] out, int row, double[] weights) {
        int o = row * outputSize();
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < components; k++) max = Math.max(max, out[o + k]);
        double sum = 0;
        for (int k = 0; k < components; k++) sum += weights[k] = Math.exp(out[o + k] - max);
        for (int k = 0; k < components; k++) weights[k] /= sum;
    }

    /** Copies component k's mean of row {@code row} into {@code u} at {@code offset}. */
    public void mean(double[] out, int row, int k, double[] u, int offset) {
        System.arraycopy(out, row * outputSize() + meanOffset(k), u, offset, actions);
    }
}
