package org.teachlearn.learn.nn;

/** Hidden-layer nonlinearities, applied in place, with derivatives taken from the outputs. */
public enum Activation {
    TANH, RELU;

    /** Applies the function to {@code n} values of {@code a} in place. */
    void apply(double[] a, int n) {
        if (this == TANH) {
            for (int i = 0; i < n; i++) a[i] = tanh(a[i]);
        } else {
            for (int i = 0; i < n; i++) a[i] = Math.max(a[i], 0);
        }
    }

    /** Multiplies the gradient {@code g} by the derivative at outputs {@code y}. */
    void backward(double[] y, double[] g, int n) {
        if (this == TANH) {
            for (int i = 0; i < n; i++) g[i] *= 1 - y[i] * y[i];
        } else {
            for (int i = 0; i < n; i++) if (y[i] <= 0) g[i] = 0;
        }
    }

    /** The second derivative at output {@code y}: −2y(1 − y²) for tanh, 0 for relu (zero almost everywhere). */
    double second(double y) {
        return this == TANH ? -2 * y * (1 - y * y) : 0;
    }

    /**
     * tanh through the exp intrinsic: JDK 17's {@code Math.tanh} is several times slower, and this
     * is exact to a few ulps of 1 (absolute), which is all a network needs.
     */
    static double tanh(double x) {
        if (x > 20) return 1;
        if (x < -20) return -1;
        double e = Math.exp(2 * x);
        return (e - 1) / (e + 1);
    }

    public static Activation named(String name) {
        return switch (name) {
            case "tanh" -> TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (activations are: tanh, relu)");
        };
    }

    public String onnxName() {
        return this == TANH ? "Tanh" : "Relu";
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
