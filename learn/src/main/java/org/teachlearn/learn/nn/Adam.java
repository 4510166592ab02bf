package org.teachlearn.learn.nn;

import java.util.List;

/**
 * Adam (Kingma and Ba), updating exactly as {@code torch.optim.Adam} does, with optional clipping
 * of the global gradient norm first ({@code torch.nn.utils.clip_grad_norm_}). Moments are
 * preallocated per parameter; a step allocates nothing.
 */
public final class Adam {

    private final Parameter[] params;
    private final double[][] m;
    private final double[][] v;
    private final double beta1, beta2, eps;
    private double learningRate;
    private long steps;

    public Adam(List<Parameter> params, double learningRate, double beta1, double beta2, double eps) {
        this.params = params.toArray(new Parameter[0]);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        m = new double[this.params.length][];
        v = new double[this.params.length][];
        for (int i = 0; i < this.params.length; i++) {
            m[i] = new double[this.params[i].size()];
            v[i] = new double[this.params[i].size()];
        }
    }

    public Adam(List<Parameter> params, double learningRate) {
        this(params, learningRate, 0.9, 0.999, 1e-8);
    }

    public void zeroGrad() {
        for (Parameter p : params) p.grad().zero();
    }

    /** Scales the gradients so their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    public double clipGradNorm(double maxNorm) {
        double sq = 0;
        for (Parameter p : params) {
            double[] g = p.grad().data;
            for (int i = 0, n = p.size(); i < n; i++) sq += g[i] * g[i];
        }
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Parameter p : params) {
                double[] g = p.grad().data;
                for (int i = 0, n = p.size(); i < n; i++) g[i] *= coef;
            }
        }
        return norm;
    }

    public void step() {
        steps++;
        double bias1 = 1 - Math.pow(beta1, steps);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        double stepSize = learningRate / bias1;
        for (int k = 0; k < params.length; k++) {
            double[] w = params[k].value().data, g = params[k].grad().data, mk = m[k], vk = v[k];
            for (int i = 0, n = mk.length; i < n; i++) {
                mk[i] = beta1 * mk[i] + (1 - beta1) * g[i];
                vk[i] = beta2 * vk[i] + (1 - beta2) * g[i] * g[i];
                w[i] -= stepSize * mk[i] / (Math.sqrt(vk[i]) / bias2Sqrt + eps);
            }
        }
    }

    public double learningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public long steps() {
        return steps;
    }

    /** First and second moments, parameter by parameter (for checkpoints; live arrays). */
    public double[][] firstMoments() {
        return m;
    }

    public double[][] secondMoments() {
        return v;
    }

    public void restore(long steps, double learningRate) {
        this.steps = steps;
        this.learningRate = learningRate;
    }
}
