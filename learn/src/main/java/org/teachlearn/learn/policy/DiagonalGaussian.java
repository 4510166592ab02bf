package org.teachlearn.learn.policy;

/**
 * The diagonal Gaussian of the policy, N(mean, exp(logStd)²) per action dimension, with the
 * derivatives the algorithms back-propagate. Static and allocation-free: rows are slices of
 * row-major arrays.
 */
public final class DiagonalGaussian {

    public static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private DiagonalGaussian() {
    }

    /**
     * The one sampler of the policy's Gaussian: row {@code row} of {@code out} = mean + exp(logStd) · ε,
     * ε drawn from {@code rng} one dimension after another (so seeded runs replay).
     */
    public static void sample(double[] mean, int row, double[] logStd, int n, org.teachlearn.learn.Rng rng, double[] out) {
        int o = row * n;
        for (int j = 0; j < n; j++) out[o + j] = mean[o + j] + Math.exp(logStd[j]) * rng.nextGaussian();
    }

    /** log N(u | mean, σ) summed over the {@code n} dimensions of row {@code row}. */
    public static double logProb(double[] u, double[] mean, int row, double[] logStd, int n) {
        double lp = 0;
        int o = row * n;
        for (int j = 0; j < n; j++) {
            double z = (u[o + j] - mean[o + j]) / Math.exp(logStd[j]);
            lp += -0.5 * z * z - logStd[j] - LOG_SQRT_2PI;
        }
        return lp;
    }

    /**
     * Adds {@code scale} · d logProb / d mean into {@code gradMean}'s row and {@code scale} · d
     * logProb / d logStd into {@code gradLogStd}.
     */
    public static void logProbBackward(double[] u, double[] mean, int row, double[] logStd, int n, double scale, double[] gradMean,
            double[] gradLogStd) {
        int o = row * n;
        for (int j = 0; j < n; j++) {
            double sigma = Math.exp(logStd[j]);
            double z = (u[o + j] - mean[o + j]) / sigma;
            gradMean[o + j] += scale * z / sigma;
            gradLogStd[j] += scale * (z * z - 1);
        }
    }

    /** Entropy summed over dimensions (state-independent σ: the same for every row). d/d logStd_j = 1. */
    public static double entropy(double[] logStd, int n) {
        double h = 0;
        for (int j = 0; j < n; j++) h += logStd[j] + 0.5 + LOG_SQRT_2PI;
        return h;
    }

    /** KL(old ‖ new) of one row, summed over dimensions. */
    public static double kl(double[] meanOld, double[] logStdOld, double[] mean, int row, double[] logStd, int n) {
        double kl = 0;
        int o = row * n;
        for (int j = 0; j < n; j++) {
            double varOld = Math.exp(2 * logStdOld[j]), var = Math.exp(2 * logStd[j]);
            double d = meanOld[o + j] - mean[o + j];
            kl += logStd[j] - logStdOld[j] + (varOld + d * d) / (2 * var) - 0.5;
        }
        return kl;
    }

    /** Adds {@code scale} · d KL(old ‖ new) / d (new mean, new logStd) of one row. */
    public static void klBackward(double[] meanOld, double[] logStdOld, double[] mean, int row, double[] logStd, int n, double scale,
            double[] gradMean, double[] gradLogStd) {
        int o = row * n;
        for (int j = 0; j < n; j++) {
            double varOld = Math.exp(2 * logStdOld[j]), var = Math.exp(2 * logStd[j]);
            double d = meanOld[o + j] - mean[o + j];
            gradMean[o + j] += scale * (-d / var);
            gradLogStd[j] += scale * (1 - (varOld + d * d) / var);
        }
    }
}
