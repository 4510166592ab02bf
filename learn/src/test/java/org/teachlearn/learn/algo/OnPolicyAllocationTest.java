package org.teachlearn.learn.algo;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.SteadyAllocation;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * TRPO's update (advantages, gradient, conjugate gradient on Fisher-vector products, line search,
 * the critic's minibatches) and GAIL's discriminator round (its minibatches and the relabelling)
 * allocate nothing once a rollout of that size has been seen.
 */
class OnPolicyAllocationTest {

    private static final int STEPS = 64, ENVS = 4;

    private static Rollout rollout(PolicyLayout layout, Rng rng) {
        int od = layout.observationSize(), ad = layout.actionSize();
        Rollout r = new Rollout(STEPS, ENVS, od, ad).keepRawObservations();
        for (int k = 0; k < r.size(); k++) {
            for (int j = 0; j < od; j++) r.rawObs[k * od + j] = r.obs[k * od + j] = rng.nextGaussian();
            for (int j = 0; j < ad; j++) r.actions[k * ad + j] = rng.nextGaussian();
            r.logProbs[k] = -10 + rng.nextGaussian();
            r.rewards[k] = rng.nextGaussian();
            r.values[k] = rng.nextGaussian();
            r.nextValues[k] = rng.nextGaussian();
            r.episodeEnd[k] = k % 37 == 0;
        }
        return r;
    }

    @Test
    void trpoUpdatesAllocateNothingOnceWarm() throws Exception {
        Rng rng = new Rng(2);
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(32, 2), rng);
        Trpo trpo = new Trpo(policy, Trpo.Config.defaults().withCritic(1e-3, 2, 64));
        Rollout r = rollout(policy.layout(), rng);
        SteadyAllocation.assertQuiet("TRPO's update", 50, 10, 1, 6, i -> trpo.learn(r, 0, false, rng));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"penalty", "bottleneck"})
    void gailRoundsAllocateNothingOnceWarm(String regulariser) throws Exception {
        Rng rng = new Rng(3);
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), ad = layout.actionSize(), demos = 300;
        Gail.Config config = regulariser.equals("penalty") ? new Gail.Config(new int[] {32, 32}, 3e-4, 1, 64, Gail.Reward.GAIL, 10, 1)
                : new Gail.Config(new int[] {32, 32}, 3e-4, 1, 64, Gail.Reward.GAIL).withBottleneck(8, 0.5, 1e-3);   // VAIL
        Gail gail = new Gail(od, ad, config, rng);
        double[] demoObs = new double[demos * od], demoU = new double[demos * ad], noise = new double[ad];
        for (int i = 0; i < demoObs.length; i++) demoObs[i] = rng.nextGaussian();
        for (int i = 0; i < demoU.length; i++) demoU[i] = rng.nextGaussian();
        java.util.Arrays.fill(noise, 0.5);
        gail.fit(demoObs, demos);
        Rollout r = rollout(layout, rng);
        SteadyAllocation.assertQuiet("GAIL's discriminator round (" + regulariser + ")", 50, 10, 1, 6, i -> {
            gail.train(r, demoObs, demoU, demos, noise, rng);
            gail.relabel(r);
        });
    }
}
