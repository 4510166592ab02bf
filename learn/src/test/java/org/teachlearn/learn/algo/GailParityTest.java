package org.teachlearn.learn.algo;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Parameter;

/**
 * GAIL's discriminator equals PyTorch's (float64) within 1e-6 from the same weights and pairs:
 * the binary cross-entropy with logits against demonstration (1) and policy (0) labels, its
 * gradients, and the reward −log(1 − D) the policy then learns from.
 */
class GailParityTest {

    private static final int ROWS = 48, OBS = 21, ACT = 8;

    @TempDir
    Path dir;

    @Test
    void discriminatorLossGradientsAndRewardMatchTorch() throws Exception {
        Rng rng = new Rng(5);
        Gail gail = new Gail(OBS, ACT, new Gail.Config(new int[] {32, 32}, 3e-4, 1, 16, Gail.Reward.GAIL), rng);
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
        in.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/gail_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("torch.txt"));

        double loss = gail.lossAndGradients(obs, u, labels, ROWS);
        TorchCase.close("discriminator loss", torch.get("gail_loss"), new double[] {loss});
        TorchCase.close("discriminator gradients", torch.get("gail_grads"), TorchCase.flat(gail.parameters(), true));
        Rollout r = new Rollout(ROWS, 1, OBS, ACT).keepRawObservations();
        System.arraycopy(obs, 0, r.rawObs, 0, obs.length);
        double[] zeroMeanUnitStd = new double[2 * OBS];   // two rows, ±1: the normalisation leaves the case's observations as they are
        for (int j = 0; j < OBS; j++) {
            zeroMeanUnitStd[j] = 1;
            zeroMeanUnitStd[OBS + j] = -1;
        }
        gail.fit(zeroMeanUnitStd, 2);
        System.arraycopy(u, 0, r.actions, 0, u.length);
        gail.relabel(r);
        TorchCase.close("rewards -log(1 - D)", torch.get("gail_rewards"), r.rewards.clone());
    }
}
