package org.teachlearn.learn.policy;

import static org.teachlearn.learn.nn.Smooth.softplus;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;

/**
 * The actor of the off-policy learners (SAC): an MLP from normalised observations to the mean and
 * log σ of a Gaussian per action dimension, whose sample z is squashed by tanh into u ∈ (−1, 1),
 * so every output maps to a command inside the action map's range (±{@link PolicyLayout#ARM_STEP}
 * rad a step, the gripper's whole opening). log σ = MIN + (MAX − MIN)·(tanh(raw) + 1)/2 keeps it in
 * [{@value #LOG_STD_MIN}, {@value #LOG_STD_MAX}] with a gradient everywhere. The log-probability of
 * u includes the squash's Jacobian, −Σ log(1 − tanh² z) = −Σ 2(log 2 − z − softplus(−2z)), the
 * form that stays finite when |z| is large. Buffers are preallocated; acting allocates nothing.
 */
public final class SquashedGaussianActor {

    public static final double LOG_STD_MIN = -5, LOG_STD_MAX = 2;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double LOG_2 = Math.log(2);

    private final PolicyLayout layout;
    private final RunningNorm norm;
    private final Mlp net;
    private final int act;
    private double[] eps = new double[0], z = new double[0], u = new double[0], std = new double[0], raw = new double[0];
    private final DMatrixRMaj grad = new DMatrixRMaj(1, 1);

    public SquashedGaussianActor(PolicyLayout layout, RunningNorm norm, int[] hidden, Activation activation, Rng rng) {
        this.layout = layout;
        this.norm = norm;
        act = layout.actionSize();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = layout.observationSize();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 2 * act;
        net = new Mlp(sizes, activation);
        net.initialise(0.01, rng);
    }

    /**
     * Samples u for each row of the normalised observations {@code obsN} with the standard normal
     * noise {@code noise} (rows of act_dim; drawn by the caller so a test can hand in the same
     * noise as PyTorch), writing u into {@code uOut} and log π(u|s) into {@code logProb}. Keeps
     * what {@link #backward} needs.
     */
    public void sample(DMatrixRMaj obsN, double[] noise, double[] uOut, double[] logProb) {
        int rows = obsN.numRows;
        ensure(rows);
        double[] out = net.forward(obsN).data;
        for (int r = 0; r < rows; r++) {
            double lp = 0;
            for (int j = 0; j < act; j++) {
                int k = r * act + j;
                double mean = out[r * 2 * act + j];
                raw[k] = out[r * 2 * act + act + j];
                double logStd = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (Math.tanh(raw[k]) + 1);
                std[k] = Math.exp(logStd);
                eps[k] = noise[k];
                z[k] = mean + std[k] * eps[k];
                u[k] = Math.tanh(z[k]);
                uOut[k] = u[k];
                lp += -0.5 * eps[k] * eps[k] - logStd - HALF_LOG_2PI - 2 * (LOG_2 - z[k] - softplus(-2 * z[k]));
            }
            if (logProb != null) logProb[r] = lp;
        }
    }

    /** Draws standard normal noise for {@code rows} rows and samples with it. */
    public void sample(DMatrixRMaj obsN, Rng rng, double[] uOut, double[] logProb) {
        ensure(obsN.numRows);
        for (int k = 0; k < obsN.numRows * act; k++) eps[k] = rng.nextGaussian();
        sample(obsN, eps, uOut, logProb);
    }

    /** The deterministic action tanh(mean) for each row of {@code obsN}. */
    public void mean(DMatrixRMaj obsN, double[] uOut) {
        double[] out = net.forward(obsN).data;
        for (int r = 0; r < obsN.numRows; r++) for (int j = 0; j < act; j++) uOut[r * act + j] = Math.tanh(out[r * 2 * act + j]);
    }

    /**
     * Back-propagates a loss through the last {@link #sample}: {@code dU} = ∂L/∂u (rows of act_dim),
     * {@code dLogProb} = ∂L/∂log π per row. Adds to the network's gradients.
     */
    public void backward(double[] dU, double[] dLogProb) {
        int rows = net.forwardRows();
        grad.reshape(rows, 2 * act);
        double[] g = grad.data;
        double span = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < act; j++) {
                int k = r * act + j;
                // log π = Σ (−ε²/2 − log σ − log √2π) − Σ log(1 − tanh² z): with ε fixed, ∂/∂z = 2 tanh z, ∂/∂log σ = −1
                double dz = dU[k] * (1 - u[k] * u[k]) + dLogProb[r] * 2 * u[k];
                double dLogStd = dz * std[k] * eps[k] - dLogProb[r];
                double t = Math.tanh(raw[k]);
                g[r * 2 * act + j] = dz;
                g[r * 2 * act + act + j] = dLogStd * span * (1 - t * t);
            }
        }
        net.backward(grad, false);
    }

    private void ensure(int rows) {
        int n = rows * act;
        if (eps.length >= n) return;
        eps = new double[n];
        z = new double[n];
        u = new double[n];
        std = new double[n];
        raw = new double[n];
    }

    public PolicyLayout layout() {
        return layout;
    }

    public RunningNorm norm() {
        return norm;
    }

    public Mlp net() {
        return net;
    }
}
