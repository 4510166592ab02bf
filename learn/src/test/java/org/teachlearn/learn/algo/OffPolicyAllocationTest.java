package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.teachlearn.learn.policy.DeterministicActor;
import org.teachlearn.learn.policy.QFunction;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.SteadyAllocation;
import org.teachlearn.learn.data.ReplayBuffer;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.SquashedGaussianActor;
import org.teachlearn.learn.policy.TwinQ;

/**
 * The off-policy hot path — adding a transition, sampling a minibatch, exploring, one update —
 * allocates nothing once warm, for SAC, TD3 and DDPG with the demonstration rows' behaviour-cloning term; the replay buffer keeps the newest transitions when full and refuses a
 * capacity the heap cannot hold with a message saying what to change.
 */
class OffPolicyAllocationTest {

    @ParameterizedTest
    @ValueSource(strings = {"sac", "td3", "ddpg"})
    void addSampleActAndUpdateAllocateNothing(String algorithm) throws Exception {
        Rng rng = new Rng(4);
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), ad = layout.actionSize(), batch = 64;
        int[] hidden = {32, 32};
        RunningNorm norm = new RunningNorm(od);
        OffPolicyAlgorithm learner = switch (algorithm) {
            case "sac" -> new Sac(new SquashedGaussianActor(layout, norm, hidden, Activation.TANH, rng), new TwinQ(od, ad, hidden, Activation.TANH, rng),
                    Sac.Config.defaults().withBatchSize(batch));
            case "td3" -> new Td3(new DeterministicActor(layout, norm, hidden, Activation.TANH, rng), new TwinQ(od, ad, hidden, Activation.TANH, rng),
                    Td3.Config.defaults().withBatchSize(batch));
            default -> new Ddpg(new DeterministicActor(layout, norm, hidden, Activation.TANH, rng), new QFunction(od, ad, hidden, Activation.TANH, rng),
                    Ddpg.Config.defaults().withBatchSize(batch));
        };
        learner.cloneDemonstrations(new DemoCloning(1.0, true, 16));   // its Q-filter's extra critic passes and its term included
        ReplayBuffer buffer = new ReplayBuffer(1000, od, ad);
        double[] obs = TorchCase.gaussian(rng, od), next = TorchCase.gaussian(rng, od), u = new double[ad];
        double[] bObs = new double[batch * od], bU = new double[batch * ad], bR = new double[batch], bNext = new double[batch * od],
                bNotDone = new double[batch];
        org.ejml.data.DMatrixRMaj obsN = new org.ejml.data.DMatrixRMaj(1, od);
        // 1,000 calls fill the buffer, so the measured adds overwrite
        SteadyAllocation.assertQuiet(algorithm + "'s add, sample, explore and update", 1000, 250, 2, 10, i -> {
            learner.norm().update(obs, 1);
            learner.norm().normalise(obs, obsN.data, 1);
            learner.explore(obsN, rng, u);
            buffer.add(obs, u, -0.1 * i, next, i % 7 == 0, 0);
            buffer.sample(batch, rng, bObs, bU, bR, bNext, bNotDone);
            learner.update(bObs, bU, bR, bNext, bNotDone, batch, rng);
        });
        assertEquals(1000, buffer.size());
        if (learner instanceof Sac sac) assertTrue(Double.isFinite(sac.alpha()) && sac.alpha() < 1, "the temperature moved down: " + sac.alpha());
    }

    @Test
    void aFullBufferKeepsTheNewestAndAnOversizedOneIsRefused() {
        ReplayBuffer buffer = new ReplayBuffer(3, 1, 1);
        for (int i = 0; i < 5; i++) buffer.add(new double[] {i}, new double[] {0}, i, new double[] {i + 1}, false, 0);
        assertEquals(3, buffer.size());
        assertEquals(5, buffer.added());
        double[] o = new double[50], u = new double[50], r = new double[50], n = new double[50], d = new double[50];
        buffer.sample(50, new Rng(1), o, u, r, n, d);
        for (int k = 0; k < 50; k++) assertTrue(r[k] >= 2 && o[k] == r[k] && n[k] == r[k] + 1, "only the newest three remain: " + r[k]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(100_000_000, 18, 8));
        assertTrue(e.getMessage().contains("--buffer") && e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
