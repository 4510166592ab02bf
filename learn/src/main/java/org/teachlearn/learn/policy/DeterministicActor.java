package org.teachlearn.learn.policy;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * The actor of DDPG and TD3: u = tanh(MLP(normalised observation)) ∈ (−1, 1), so every output maps
 * to a command inside the action map's range, and a slowly following target copy. Explores with
 * Gaussian noise added by the learner. Buffers are preallocated; acting allocates nothing.
 */
public final class DeterministicActor {

    private final PolicyLayout layout;
    private final RunningNorm norm;
    private final Mlp net, target;
    private final int act;
    private final Parameter[] params, targetParams;
    private double[] u = new double[0];
    private final DMatrixRMaj grad = new DMatrixRMaj(1, 1);

    public DeterministicActor(PolicyLayout layout, RunningNorm norm, int[] hidden, Activation activation, Rng rng) {
        this.layout = layout;
        this.norm = norm;
        act = layout.actionSize();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = layout.observationSize();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = act;
        net = new Mlp(sizes, activation);
        net.initialise(0.01, rng);
        target = new Mlp(sizes, activation);
        params = net.parameters().toArray(new Parameter[0]);
        targetParams = target.parameters().toArray(new Parameter[0]);
        polyak(1.0);
    }

    /** u = tanh(MLP(s)) for each row of {@code obsN} into {@code uOut}; kept for {@link #backward}. */
    public void act(DMatrixRMaj obsN, double[] uOut) {
        int n = obsN.numRows * act;
        if (u.length < n) u = new double[n];
        double[] out = net.forward(obsN).data;
        for (int k = 0; k < n; k++) {
            u[k] = Math.tanh(out[k]);
            uOut[k] = u[k];
        }
    }

    /** {@link #act} plus Gaussian noise of σ {@code sigma} on u, clipped to [−1, 1]: how DDPG and TD3 explore. */
    public void explore(DMatrixRMaj obsN, double sigma, Rng rng, double[] uOut) {
        act(obsN, uOut);
        for (int k = 0, n = obsN.numRows * act; k < n; k++) uOut[k] = Math.max(-1, Math.min(1, uOut[k] + sigma * rng.nextGaussian()));
    }

    /** log σ of that exploration in command units (the exported model's {@code log_std}). */
    public double[] commandLogStd(double sigma) {
        double[] logStd = new double[act];
        for (int j = 0; j < act; j++) logStd[j] = Math.log(sigma * layout.actions().scale()[j]);
        return logStd;
    }

    /** The target copy's tanh(MLP(s)) into {@code uOut}. */
    public void targetAct(DMatrixRMaj obsN, double[] uOut) {
        double[] out = target.forward(obsN).data;
        for (int k = 0, n = obsN.numRows * act; k < n; k++) uOut[k] = Math.tanh(out[k]);
    }

    /** Back-propagates ∂L/∂u (rows of act_dim) through the last {@link #act}, adding to the network's gradients. */
    public void backward(double[] dU) {
        int rows = net.forwardRows();
        grad.reshape(rows, act);
        for (int k = 0; k < rows * act; k++) grad.data[k] = dU[k] * (1 - u[k] * u[k]);
        net.backward(grad, false);
    }

    public void polyak(double tau) {
        Polyak.average(params, targetParams, tau);
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

    public List<Parameter> targetParameters() {
        return target.parameters();
    }
}
