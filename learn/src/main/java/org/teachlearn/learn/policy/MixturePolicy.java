package org.teachlearn.learn.policy;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * A policy whose output u is a mixture of K Gaussians ({@link GaussianMixture}), for demonstrators
 * who do one task in more than one way: observations normalised as {@link GaussianPolicy}'s, one
 * MLP giving every component's weight logit, mean and σ, and a {@link MixtureChoice} saying which
 * component's mean is commanded. Behaviour cloning trains it by the mixture's negative
 * log-likelihood. Acting allocates nothing; not thread-safe.
 */
public final class MixturePolicy {

    private final PolicyLayout layout;
    private final GaussianMixture mixture;
    private final RunningNorm norm;
    private final Mlp net;
    private final DMatrixRMaj input;
    private final double[] weights;
    private final double[] u;

    public MixturePolicy(PolicyLayout layout, int components, int[] hidden, Activation activation, Rng rng) {
        this.layout = layout;
        int obs = layout.observationSize(), act = layout.actionSize();
        mixture = new GaussianMixture(components, act);
        norm = new RunningNorm(obs);
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = obs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = mixture.outputSize();
        net = new Mlp(sizes, activation);
        // The components' means start apart (a full-gain last layer), or they learn the same way; their
        // weights and σ start alike (those columns scaled down), or the component that starts heaviest
        // takes every responsibility and the mixture collapses to one Gaussian
        net.initialise(1.0, rng);
        int last = net.layers() - 1, width = mixture.outputSize();
        double[] w = net.weight(last).value().data;
        for (int i = 0; i < net.sizes()[last]; i++) {
            for (int k = 0; k < width; k++) if (k < components || k >= mixture.stdOffset(0)) w[i * width + k] *= 0.01;
        }
        input = new DMatrixRMaj(1, obs);
        weights = new double[components];
        u = new double[act];
    }

    /** The network's output for the raw observations (rows), owned by the network. */
    public DMatrixRMaj forward(DMatrixRMaj raw) {
        input.reshape(raw.numRows, raw.numCols);
        norm.normalise(raw.data, input.data, raw.numRows);
        return net.forward(input);
    }

    /** The command for one raw observation ({@code obs}, one row): the mean of the component {@code choice} picks. */
    public void act(DMatrixRMaj obs, MixtureChoice choice, Rng rng, double[] command) {
        DMatrixRMaj out = forward(obs);
        mixture.weights(out.data, 0, weights);
        int k = choice.choose(weights, mixture.components(), rng);
        mixture.mean(out.data, 0, k, u, 0);
        layout.actions().command(obs.data, obs.numCols, u, 0, command, 0);
    }

    public List<Parameter> parameters() {
        return net.parameters();
    }

    public PolicyLayout layout() {
        return layout;
    }

    public GaussianMixture mixture() {
        return mixture;
    }

    public RunningNorm norm() {
        return norm;
    }

    public Mlp net() {
        return net;
    }
}
