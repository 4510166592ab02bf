package org.teachlearn.learn.algo;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * VAIL's variational discriminator bottleneck (Peng et al. 2019). The discriminator's network
 * encodes a pair into a diagonal Gaussian code of Z values — its 2Z outputs are μ, then log σ — and
 * a linear head makes the logit from a code z = μ + σ ⊙ ε, ε ~ N(0, I) (reparameterised, so the
 * cross-entropy's gradient reaches μ and σ). The code's information about the pair is bounded by
 * KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − 1 − 2 log σ_j); the loss adds β · mean KL, and after
 * every step β follows the dual ascent β ← max(0, β + α_β · (mean KL − I_c)), so the code carries
 * about I_c nats: a discriminator that cannot look at every detail of the pairs cannot become sure
 * so fast that its reward says nothing to the policy. Rewards and accuracies use the code's mean.
 * Nothing is allocated once the arrays fit the largest minibatch.
 */
public final class VariationalBottleneck {

    private final Mlp encoder, head;
    private final int size;
    private final double informationTarget, betaStep;
    private final Parameter beta = Parameter.of("vail_beta", 1, 1);
    private final DMatrixRMaj code = new DMatrixRMaj(1, 1), dEncoded = new DMatrixRMaj(1, 1);
    private DMatrixRMaj encoded;   // the encoder's output of the last forward pass
    private double[] eps, noise = new double[0];
    private double lastKl = Double.NaN;

    VariationalBottleneck(Mlp encoder, int size, double informationTarget, double betaStep, Rng rng) {
        if (encoder.outputSize() != 2 * size) throw new IllegalArgumentException("the encoder must output μ and log σ of " + size + " values");
        if (!(informationTarget > 0)) throw new IllegalArgumentException("--disc-info (I_c) must be > 0 nats, got " + informationTarget);
        if (!(betaStep > 0)) throw new IllegalArgumentException("--disc-beta-step must be > 0, got " + betaStep);
        this.encoder = encoder;
        this.size = size;
        this.informationTarget = informationTarget;
        this.betaStep = betaStep;
        head = new Mlp(new int[] {size, 1}, Activation.TANH);   // one linear layer: no activation
        head.initialise(1.0, rng);
    }

    /** The head's logits for the pairs in {@code input}: from z = μ + σ ⊙ {@code eps} (rows × Z), or from μ when {@code eps} is null. */
    DMatrixRMaj forward(DMatrixRMaj input, double[] eps) {
        encoded = encoder.forward(input);
        int rows = input.numRows, w = 2 * size;
        code.reshape(rows, size);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < size; j++) {
                double mu = encoded.data[r * w + j];
                code.data[r * size + j] = eps == null ? mu : mu + Math.exp(encoded.data[r * w + size + j]) * eps[r * size + j];
            }
        }
        this.eps = eps;
        return head.forward(code);
    }

    /**
     * Back-propagates ∂L/∂f (rows × 1) of the last sampled {@link #forward} through the head, the
     * code and the encoder, with β · mean KL's gradient added at μ and log σ; returns β · mean KL.
     */
    double backward(DMatrixRMaj dF) {
        if (eps == null) throw new IllegalStateException("backward needs a forward pass with a sampled code");
        DMatrixRMaj dz = head.backward(dF, true);
        int rows = dF.numRows, w = 2 * size;
        double b = beta(), kl = 0;
        dEncoded.reshape(rows, w);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < size; j++) {
                double mu = encoded.data[r * w + j], logSigma = encoded.data[r * w + size + j], sigma = Math.exp(logSigma);
                kl += 0.5 * (mu * mu + sigma * sigma - 1 - 2 * logSigma);
                double g = dz.data[r * size + j];
                dEncoded.data[r * w + j] = g + b / rows * mu;
                dEncoded.data[r * w + size + j] = g * sigma * eps[r * size + j] + b / rows * (sigma * sigma - 1);
            }
        }
        kl /= rows;
        lastKl = kl;
        encoder.backward(dEncoded, false);
        return b * kl;
    }

    /** The dual step on β after an update: β ← max(0, β + α_β · (mean KL − I_c)). */
    void adaptBeta() {
        beta.value().data[0] = Math.max(0, beta() + betaStep * (lastKl - informationTarget));
    }

    /** Standard normal noise for a minibatch of {@code rows} codes (the array is reused). */
    double[] noise(int rows, Rng rng) {
        if (noise.length < rows * size) noise = new double[rows * size];
        for (int k = 0; k < rows * size; k++) noise[k] = rng.nextGaussian();
        return noise;
    }

    public double beta() {
        return beta.value().data[0];
    }

    /** The mean KL of the last update's codes (nats; NaN before one). */
    public double lastKl() {
        return lastKl;
    }

    /** The head's weight and bias, then β (a checkpoint keeps them; Adam leaves β alone: its gradient stays 0). */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(head.parameters());
        all.add(beta);
        return all;
    }

    Mlp head() {
        return head;
    }
}
