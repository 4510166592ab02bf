package org.teachlearn.learn.policy;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * The policy every algorithm trains: observations normalised by running statistics, an actor MLP
 * giving the mean of a diagonal Gaussian with a state-independent {@code logStd}, and a critic MLP
 * (the value head) on the same normalised observations. Outputs u are mapped to commands by the
 * layout's {@link ActionMap}. Acting allocates nothing; not thread-safe.
 */
public final class GaussianPolicy {

    /** Shape of the networks: hidden layer sizes, activation, initial log σ. */
    public record Shape(int[] hidden, Activation activation, double logStdInit) {
        public static Shape of(int width, int depth) {
            int[] hidden = new int[depth];
            java.util.Arrays.fill(hidden, width);
            return new Shape(hidden, Activation.TANH, -0.5);
        }
    }

    private final PolicyLayout layout;
    private final Shape shape;
    private final RunningNorm norm;
    private final Mlp actor;
    private final Mlp critic;
    private final Parameter logStd;
    private final DMatrixRMaj input;

    public GaussianPolicy(PolicyLayout layout, Shape shape, Rng rng) {
        this.layout = layout;
        this.shape = shape;
        int obs = layout.observationSize(), act = layout.actionSize();
        norm = new RunningNorm(obs);
        actor = new Mlp(sizes(obs, shape.hidden(), act), shape.activation());
        critic = new Mlp(sizes(obs, shape.hidden(), 1), shape.activation());
        actor.initialise(0.01, rng);
        critic.initialise(1.0, rng);
        logStd = Parameter.of("log_std", 1, act);
        java.util.Arrays.fill(logStd.value().data, shape.logStdInit());
        input = new DMatrixRMaj(1, obs);
    }

    private static int[] sizes(int in, int[] hidden, int out) {
        int[] s = new int[hidden.length + 2];
        s[0] = in;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = out;
        return s;
    }

    /** Normalises raw observations (rows) into {@code out}, reshaping it. */
    public DMatrixRMaj normalise(DMatrixRMaj raw, DMatrixRMaj out) {
        out.reshape(raw.numRows, raw.numCols);
        norm.normalise(raw.data, out.data, raw.numRows);
        return out;
    }

    /**
     * Acts on each row of the raw observations {@code obs}: writes the output u (sampled, or the
     * mean when {@code deterministic}) into {@code u}, the command into {@code commands}, the
     * log-probability of u into {@code logProb} and the value into {@code values} (either may be null).
     */
    public void act(DMatrixRMaj obs, boolean deterministic, Rng rng, DMatrixRMaj u, DMatrixRMaj commands, double[] logProb,
            double[] values) {
        int rows = obs.numRows, n = layout.actionSize();
        normalise(obs, input);
        DMatrixRMaj mean = actor.forward(input);
        u.reshape(rows, n);
        commands.reshape(rows, n);
        double[] ls = logStd.value().data;
        for (int r = 0; r < rows; r++) {
            if (deterministic) System.arraycopy(mean.data, r * n, u.data, r * n, n);
            else DiagonalGaussian.sample(mean.data, r, ls, n, rng, u.data);
            if (logProb != null) logProb[r] = DiagonalGaussian.logProb(u.data, mean.data, r, ls, n);
            layout.actions().command(obs.data, obs.numCols, u.data, r, commands.data, r * n);
        }
        if (values != null) {
            DMatrixRMaj v = critic.forward(input);
            System.arraycopy(v.data, 0, values, 0, rows);
        }
    }

    /** Values of raw observations (rows) into {@code values}. */
    public void values(DMatrixRMaj obs, double[] values) {
        normalise(obs, input);
        DMatrixRMaj v = critic.forward(input);
        System.arraycopy(v.data, 0, values, 0, obs.numRows);
    }

    /** Actor, log σ, then critic parameters: the order of checkpoints and of the PyTorch reference. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(actor.parameters());
        all.add(logStd);
        all.addAll(critic.parameters());
        return all;
    }

    public PolicyLayout layout() {
        return layout;
    }

    public Shape shape() {
        return shape;
    }

    public RunningNorm norm() {
        return norm;
    }

    public Mlp actor() {
        return actor;
    }

    public Mlp critic() {
        return critic;
    }

    public Parameter logStd() {
        return logStd;
    }
}
