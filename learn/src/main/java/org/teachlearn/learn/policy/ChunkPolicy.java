package org.teachlearn.learn.policy;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * A policy that predicts the next K actions at once (an action chunk, as ACT does: Zhao et al.
 * 2023), from the present observation or from the last H ({@link ObservationHistory}: frame
 * stacking, robomimic's history for a demonstrator that is not Markovian): observations normalised
 * as {@link GaussianPolicy}'s, each frame's columns on their own, one MLP giving K outputs u, each
 * mapped to a command by the layout's {@link ActionMap} from the observation the chunk was predicted
 * in (the arm's later positions are not known when the chunk is made). Behaviour cloning trains it
 * by the mean squared error of all K; {@code serve/ActionChunks} plays the chunks open loop or with
 * temporal ensembling. Acting allocates nothing; not thread-safe.
 */
public final class ChunkPolicy {

    private final PolicyLayout layout;
    private final int chunk, history, stride;
    private final double logStd;
    private final RunningNorm norm;
    private final Mlp net;
    private final DMatrixRMaj input;

    /** {@code logStd}: the σ (of u) a server that samples ({@code ~stochastic}) explores with; cloning by MSE does not learn one. */
    public ChunkPolicy(PolicyLayout layout, int chunk, int[] hidden, Activation activation, double logStd, Rng rng) {
        this(layout, chunk, 1, 1, hidden, activation, logStd, rng);
    }

    /** From the last {@code history} observations, {@code stride} control periods apart ({@link ObservationHistory}). */
    public ChunkPolicy(PolicyLayout layout, int chunk, int history, int stride, int[] hidden, Activation activation, double logStd, Rng rng) {
        if (chunk < 1) throw new IllegalArgumentException("the chunk length must be at least 1, got " + chunk);
        ObservationHistory.check(history, stride);
        this.layout = layout;
        this.chunk = chunk;
        this.history = history;
        this.stride = stride;
        this.logStd = logStd;
        int obs = history * layout.observationSize();
        norm = new RunningNorm(obs);
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = obs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = chunk * layout.actionSize();
        net = new Mlp(sizes, activation);
        net.initialise(0.01, rng);
        input = new DMatrixRMaj(1, obs);
    }

    /** The commands of the next K actions, row after row, for one raw observation {@code obs} (one row; with history, the stacked row, newest first). */
    public void act(DMatrixRMaj obs, double[] commands) {
        input.reshape(1, obs.numCols);
        norm.normalise(obs.data, input.data, 1);
        DMatrixRMaj u = net.forward(input);
        for (int k = 0; k < chunk; k++) layout.actions().commandFrom(obs.data, 0, u.data, k * layout.actionSize(), commands, k * layout.actionSize());
    }

    public int chunk() {
        return chunk;
    }

    /** Observations the policy sees (1: the present only), and the control periods between two of them. */
    public int history() {
        return history;
    }

    public int historyStride() {
        return stride;
    }

    /** A fresh history of what this policy sees, for one running episode. */
    public ObservationHistory newHistory() {
        return new ObservationHistory(layout.observationSize(), history, stride);
    }

    public double logStd() {
        return logStd;
    }

    public List<Parameter> parameters() {
        return net.parameters();
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
