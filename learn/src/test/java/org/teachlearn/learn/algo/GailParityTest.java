package org.teachlearn.learn.algo;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.GradientPenalty;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.nn.Parameter;

/**
 * GAIL's discriminator equals PyTorch's (float64) within 1e-6 from the same weights and pairs:
 * the binary cross-entropy with logits against demonstration (1) and policy (0) labels, its
 * gradients, and the reward −log(1 − D) the policy then learns from; and the gradient penalty
 * λ·mean((‖∇ₓ f‖ − 1)²) at given points with its parameter gradients (autograd's double backward),
 * for a tanh and a relu network.
 */
class GailParityTest {

    private static final int ROWS = 48, OBS = 21, ACT = 8;
    private static final double LAMBDA = 10;

    @TempDir
    Path dir;

    @Test
    void discriminatorLossGradientsAndRewardMatchTorch() throws Exception {
        Rng rng = new Rng(5);
        Gail gail = new Gail(OBS, ACT, new Gail.Config(new int[] {32, 32}, 3e-4, 1, 16, Gail.Reward.GAIL, LAMBDA, 1), rng);
        for (Parameter p : gail.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.2 * rng.nextGaussian();
        double[] obs = TorchCase.gaussian(rng, ROWS * OBS), u = TorchCase.gaussian(rng, ROWS * ACT), labels = new double[ROWS];
        for (int i = 0; i < ROWS; i++) labels[i] = i % 3 == 0 ? 1 : 0;
        TorchCase in = TorchCase.create();
        in.line("sizes", TorchCase.toDoubles(gail.network().sizes()));
        in.line("params", TorchCase.flat(gail.parameters(), false));
        in.line("rows", ROWS);
        in.line("obs", obs);
        in.line("u", u);
        in.line("labels", labels);
        double[] points = TorchCase.gaussian(rng, ROWS * (OBS + ACT));
        in.line("gp_points", points);
        in.line("gp", new double[] {LAMBDA, 1});
        in.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/gail_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("torch.txt"));

        double loss = gail.lossAndGradients(obs, u, labels, ROWS);
        TorchCase.close("discriminator loss", torch.get("gail_loss"), new double[] {loss});
        TorchCase.close("discriminator gradients", torch.get("gail_grads"), TorchCase.flat(gail.parameters(), true));
        TorchCase.close("rewards -log(1 - D)", torch.get("gail_rewards"), rewards(gail, obs, u));

        double penalty = gail.penaltyAndGradients(points, ROWS);
        TorchCase.close("gradient penalty (tanh)", torch.get("gp_tanh"), new double[] {penalty});
        TorchCase.close("gradient penalty's gradients (tanh)", torch.get("gp_tanh_grads"), TorchCase.flat(gail.parameters(), true));

        Mlp relu = new Mlp(gail.network().sizes(), Activation.RELU);
        for (int i = 0; i < relu.parameters().size(); i++) relu.parameters().get(i).value().setTo(gail.parameters().get(i).value());
        GradientPenalty gp = new GradientPenalty(relu);
        DMatrixRMaj x = new DMatrixRMaj(ROWS, OBS + ACT);
        System.arraycopy(points, 0, x.data, 0, points.length);
        for (Parameter p : relu.parameters()) p.grad().zero();
        double reluPenalty = gp.addGradients(relu, x, LAMBDA, 1);
        TorchCase.close("gradient penalty (relu)", torch.get("gp_relu"), new double[] {reluPenalty});
        TorchCase.close("gradient penalty's gradients (relu)", torch.get("gp_relu_grads"), TorchCase.flat(relu.parameters(), true));
        TorchCase.close("input gradient (relu)", torch.get("gp_relu_input_grad"), java.util.Arrays.copyOf(gp.inputGradient().data, ROWS * (OBS + ACT)));
    }

    /** The rewards of the case's pairs, the discriminator's normalisation fitted to leave its observations as they are. */
    private static double[] rewards(Gail gail, double[] obs, double[] u) {
        Rollout r = new Rollout(ROWS, 1, OBS, ACT).keepRawObservations();
        System.arraycopy(obs, 0, r.rawObs, 0, obs.length);
        double[] zeroMeanUnitStd = new double[2 * OBS];   // two rows, ±1: mean 0, standard deviation 1
        for (int j = 0; j < OBS; j++) {
            zeroMeanUnitStd[j] = 1;
            zeroMeanUnitStd[OBS + j] = -1;
        }
        gail.fit(zeroMeanUnitStd, 2);
        System.arraycopy(u, 0, r.actions, 0, u.length);
        gail.relabel(r);
        return r.rewards.clone();
    }

    /**
     * VAIL's discriminator: the cross-entropy of the head's logits on a sampled code plus β · mean
     * KL, its gradients through the reparameterised code into the encoder and the head, the mean
     * KL, and the rewards from the code's mean; then β's dual step moves β by α_β · (KL − I_c).
     */
    @Test
    void theVariationalBottlenecksLossGradientsAndRewardMatchTorch() throws Exception {
        Rng rng = new Rng(8);
        int code = 4;
        Gail gail = new Gail(OBS, ACT, new Gail.Config(new int[] {24, 24}, 3e-4, 1, 16, Gail.Reward.GAIL).withBottleneck(code, 0.5, 0.01), rng);
        java.util.List<Parameter> params = gail.parameters();
        for (Parameter p : params) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.3 * rng.nextGaussian();
        Parameter beta = params.get(params.size() - 1);
        beta.value().data[0] = 0.7;
        double[] obs = TorchCase.gaussian(rng, ROWS * OBS), u = TorchCase.gaussian(rng, ROWS * ACT), labels = new double[ROWS];
        for (int i = 0; i < ROWS; i++) labels[i] = i % 2;
        double[] eps = TorchCase.gaussian(rng, ROWS * code);
        java.util.List<Parameter> encoder = gail.network().parameters(), head = gail.bottleneck().head().parameters();
        TorchCase in = TorchCase.create();
        in.line("enc_sizes", TorchCase.toDoubles(gail.network().sizes()));
        in.line("enc_params", TorchCase.flat(encoder, false));
        in.line("head_params", TorchCase.flat(head, false));
        in.line("beta", 0.7);
        in.line("rows", ROWS);
        in.line("obs", obs);
        in.line("u", u);
        in.line("labels", labels);
        in.line("eps", eps);
        in.write(dir.resolve("vail.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/gail_reference.py"), dir.resolve("vail.txt").toString(),
                dir.resolve("vail-torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("vail-torch.txt"));

        double loss = gail.lossAndGradients(obs, u, labels, ROWS, eps);
        TorchCase.close("VAIL loss", torch.get("vail_loss"), new double[] {loss});
        TorchCase.close("VAIL mean KL", torch.get("vail_kl"), new double[] {gail.bottleneck().lastKl()});
        double[] grads = TorchCase.flat(gail.parameters(), true);
        TorchCase.close("VAIL gradients (encoder, head)", torch.get("vail_grads"), java.util.Arrays.copyOf(grads, grads.length - 1));
        org.junit.jupiter.api.Assertions.assertEquals(0, grads[grads.length - 1], "β has no gradient: the dual step sets it");
        TorchCase.close("VAIL rewards from the code's mean", torch.get("vail_rewards"), rewards(gail, obs, u));
        double kl = gail.bottleneck().lastKl();
        gail.bottleneck().adaptBeta();
        org.junit.jupiter.api.Assertions.assertEquals(Math.max(0, 0.7 + 0.01 * (kl - 0.5)), gail.bottleneck().beta(), 1e-15);
    }
}
