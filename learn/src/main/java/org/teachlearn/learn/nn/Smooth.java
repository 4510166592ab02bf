package org.teachlearn.learn.nn;

/** Scalar functions the losses share, written so that neither overflows for large |x|. */
public final class Smooth {

    private Smooth() {
    }

    /** log(1 + eˣ). */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** 1 / (1 + e⁻ˣ), the derivative of {@link #softplus}. */
    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
