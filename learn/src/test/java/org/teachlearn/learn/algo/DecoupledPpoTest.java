package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Decoupled PPO (Rollout#proximalLogProbs), which the trainer uses for workers' batches that may be
 * a version old: clipped around the policy the update starts from, each row weighted by
 * π_proximal / π_behaviour. With the behaviour equal to the proximal policy it is PPO bit for bit
 * (the in-process runs are unchanged); a row the behaviour policy made half as likely counts twice.
 */
class DecoupledPpoTest {

    private static final int ROWS = 32;

    @Test
    void withTheBehaviourPolicyAsProximalItIsPpoBitForBit() throws Exception {
        Rollout coupled = rollout(new Rng(5)), decoupled = rollout(new Rng(5));
        System.arraycopy(decoupled.logProbs, 0, decoupled.proximalLogProbs, 0, ROWS);
        decoupled.decoupled = true;
        List<double[]> a = update(coupled), b = update(decoupled);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0.0, "parameter " + i);
    }

    @Test
    void aRowTheBehaviourMadeHalfAsLikelyCountsTwice() throws Exception {
        Rng rng = new Rng(7);
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(16, 2), new Rng(2));
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize();
        double[] obs = new double[ROWS * od], u = new double[ROWS * ad], prox = new double[ROWS], adv = new double[ROWS], ret = new double[ROWS];
        for (int i = 0; i < obs.length; i++) obs[i] = rng.nextGaussian();
        for (int i = 0; i < u.length; i++) u[i] = rng.nextGaussian();
        for (int r = 0; r < ROWS; r++) {
            prox[r] = -8 + 0.1 * rng.nextGaussian();   // near the policy's own: most rows inside the clip range, some outside
            adv[r] = rng.nextGaussian();
            ret[r] = rng.nextGaussian();
        }
        double[] twice = new double[ROWS];
        java.util.Arrays.fill(twice, 2.0);
        Ppo.Config config = Ppo.Config.defaults().withEpochs(1, ROWS).withAnnealLearningRate(false).withNormaliseAdvantages(false);
        Ppo ppo = new Ppo(policy, config);
        Losses plain = copy(ppo.lossAndGradients(obs, u, prox, adv, ret, null, ROWS));
        List<double[]> g1 = grads(policy);
        Losses weighted = copy(ppo.lossAndGradients(obs, u, prox, twice, adv, ret, null, ROWS));
        List<double[]> g2 = grads(policy);
        assertEquals(2 * plain.policy, weighted.policy, 1e-12);
        assertEquals(plain.value, weighted.value, 0.0, "the critic's loss is not weighted");
        assertEquals(plain.clipFraction, weighted.clipFraction, 0.0, "clipped around the proximal policy either way");
        int actor = policy.actor().parameters().size();
        for (int i = 0; i < g1.size(); i++) {
            double[] expected = g1.get(i).clone();
            if (i <= actor) for (int k = 0; k < expected.length; k++) expected[k] *= 2;   // the actor's and log σ's
            if (i == actor) {   // log σ also has the entropy bonus's gradient, which is not weighted
                for (int k = 0; k < expected.length; k++) expected[k] = 2 * g1.get(i)[k] + config.entropyCoef();
            }
            assertArrayEquals(expected, g2.get(i), 1e-12, "gradient of parameter " + i);
        }
    }

    private static Rollout rollout(Rng rng) throws Exception {
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(16, 2), new Rng(2));
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize();
        Rollout r = new Rollout(ROWS, 1, od, ad);
        for (int i = 0; i < r.obs.length; i++) r.obs[i] = rng.nextGaussian();
        for (int i = 0; i < r.actions.length; i++) r.actions[i] = rng.nextGaussian();
        for (int k = 0; k < ROWS; k++) {
            r.logProbs[k] = -8 + 0.3 * rng.nextGaussian();
            r.rewards[k] = rng.nextGaussian();
            r.values[k] = rng.nextGaussian();
            r.nextValues[k] = rng.nextGaussian();
            r.episodeEnd[k] = k % 10 == 9;
        }
        return r;
    }

    /** Two epochs of PPO on {@code r} from the same start; the parameters after. */
    private static List<double[]> update(Rollout r) throws Exception {
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(16, 2), new Rng(2));
        Ppo ppo = new Ppo(policy, Ppo.Config.defaults().withEpochs(2, 8));
        ppo.learn(r, 0.2, false, new Rng(9));
        List<double[]> out = new ArrayList<>();
        for (Parameter p : policy.parameters()) out.add(p.value().data.clone());
        return out;
    }

    private static List<double[]> grads(GaussianPolicy policy) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : policy.parameters()) out.add(p.grad().data.clone());
        return out;
    }

    private static Losses copy(Losses l) {
        Losses c = new Losses();
        c.policy = l.policy;
        c.value = l.value;
        c.clipFraction = l.clipFraction;
        return c;
    }
}
