package org.teachlearn.learn.algo;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.policy.ObservationHistory;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * The history policy's cloning equals PyTorch's (float64) within 1e-6 from the same weights and
 * episode: every step's stacked row (the last H observations S steps apart, newest first, the
 * first step repeated before the episode's start; built in torch by indexing), normalised and
 * clipped, through the network, the weighted mean squared error of K actions and its gradients
 * with respect to every weight. The episode is shorter than the history reaches at its start, so
 * the padding is exercised.
 */
class HistoryParityTest {

    private static final int STEPS = 30, H = 4, S = 3, K = 2;

    @TempDir
    Path dir;

    @Test
    void stackedNormalisedLossAndGradientsMatchTorch() throws Exception {
        Rng rng = new Rng(21);
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), width = K * layout.actionSize();
        ChunkPolicy policy = new ChunkPolicy(layout, K, H, S, new int[] {32, 32}, Activation.TANH, -1, rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.1 * rng.nextGaussian();
        double[] episode = TorchCase.gaussian(rng, STEPS * od), stacked = new double[STEPS * H * od];
        for (int i = 0; i < episode.length; i++) episode[i] = 0.5 + 2 * episode[i];   // not centred: the normaliser matters
        for (int t = 0; t < STEPS; t++) ObservationHistory.stack(episode, t, od, H, S, stacked, t * H * od);
        policy.norm().update(stacked, STEPS);
        double[] mean = policy.norm().mean().clone(), invStd = new double[H * od], normalised = new double[stacked.length];
        for (int j = 0; j < invStd.length; j++) invStd[j] = policy.norm().inverseStd(j);
        policy.norm().normalise(stacked, normalised, STEPS);
        double[] u = TorchCase.gaussian(rng, STEPS * width), weights = new double[width];
        for (int c = 0; c < width; c++) weights[c] = 0.5 + rng.nextDouble();

        TorchCase in = TorchCase.create();
        in.line("sizes", TorchCase.toDoubles(policy.net().sizes()));
        in.line("params", TorchCase.flat(policy.parameters(), false));
        in.line("steps", STEPS);
        in.line("od", od);
        in.line("frames", H);
        in.line("stride", S);
        in.line("episode", episode);
        in.line("mean", mean);
        in.line("inv_std", invStd);
        in.line("u", u);
        in.line("weights", weights);
        in.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/history_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("torch.txt"));

        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(BehaviourCloning.Loss.MSE, 1e-3, 1, STEPS, 1));
        bc.weighOutputs(weights);
        double loss = bc.lossAndGradients(normalised, u, STEPS);
        TorchCase.close("history policy's weighted MSE", torch.get("history_loss"), new double[] {loss});
        TorchCase.close("history policy's gradients", torch.get("history_grads"), TorchCase.flat(policy.parameters(), true));
    }
}
