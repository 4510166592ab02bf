package org.teachlearn.learn.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.robot.arm.ArmLayout;

/**
 * A worker samples commands from the exported model in ONNX Runtime, as the policy server does;
 * the trainer must see in its rollout exactly what its own policy would have: the same output u
 * and the same log-probability, so that a batch from the running version is on-policy.
 */
class ExperienceRolloutTest {

    @Test
    void rowsSampledByTheExportedModelAreOnPolicyForTheTrainersPolicy() throws Exception {
        Rng rng = new Rng(3);
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(64, 2), rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.05 * rng.nextGaussian();
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize(), n = 12;
        double[] warm = new double[64 * od];
        for (int r = 0; r < 64; r++) observation(rng, warm, r * od);
        policy.norm().update(warm, 64);   // a normaliser that is not the identity

        float[] obs = new float[n * od], next = new float[n * od], action = new float[n * ad], logProb = new float[n], reward = new float[n];
        byte[] done = new byte[n];
        try (OnnxPolicy model = new OnnxPolicy(PolicyExport.toOnnx(policy, "ppo", 7, 0.05), null)) {
            double[] o = new double[od], mean = new double[ad], c = new double[ad], logStd = model.logStd();
            for (int r = 0; r < n; r++) {
                observation(rng, o, 0);
                model.act(o, mean);
                DiagonalGaussian.sample(mean, 0, logStd, ad, rng, c);
                logProb[r] = (float) DiagonalGaussian.logProb(c, mean, 0, logStd, ad);
                for (int i = 0; i < od; i++) obs[r * od + i] = (float) o[i];
                for (int j = 0; j < ad; j++) action[r * ad + j] = (float) c[j];
                reward[r] = -0.1f * r;
            }
        }
        for (int r = 0; r < n; r++) {
            // rows continue one another except after row 4 (an episode reset under an open transition); row 8 ends terminal
            System.arraycopy(obs, r == n - 1 ? 0 : (r + 1) * od, next, r * od, od);
            if (r == 4) next[r * od] += 0.5f;
        }
        done[8] = 1;
        Batch b = new Batch("/w", "reach", 7, od, ad, obs, action, logProb, reward, next, done, new float[0], new int[n], new byte[n]);

        ExperienceRollout rows = new ExperienceRollout(n, od, ad);
        assertEquals(n, rows.add(b, 0));
        assertTrue(rows.full());
        Rollout rollout = new Rollout(n, 1, od, ad);
        rows.fill(policy, rollout);

        double[] normalised = new double[n * od], raw = new double[n * od];
        for (int i = 0; i < raw.length; i++) raw[i] = obs[i];
        policy.norm().normalise(raw, normalised, n);
        DMatrixRMaj meanU = policy.actor().forward(DMatrixRMaj.wrap(n, od, rollout.obs));
        double[] ls = policy.logStd().value().data;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < od; i++) assertEquals(normalised[r * od + i], rollout.obs[r * od + i], 1e-12, "normalised as exported");
            double ours = DiagonalGaussian.logProb(rollout.actions, meanU.data, r, ls, ad);
            assertEquals(ours, rollout.logProbs[r], 1e-4, "row " + r + ": the worker's log-probability, moved to u, is the trainer's own");
            assertEquals(ours, rollout.proximalLogProbs[r], 1e-12, "row " + r + ": the proximal policy is the trainer's as it is");
        }
        assertTrue(rollout.decoupled, "a worker's batch may be a version old: PPO clips around the trainer's policy");
        assertTrue(rollout.episodeEnd[4] && !rollout.terminal[4], "a break in the rows cuts and bootstraps");
        assertTrue(rollout.episodeEnd[8] && rollout.terminal[8] && rollout.nextValues[8] == 0, "a terminal row has no next value");
        assertTrue(rollout.episodeEnd[n - 1], "the batch's last row bootstraps");
        assertFalse(rollout.episodeEnd[2], "continuing rows are one episode");
    }

    @Test
    void rowsAPersonCommandedOrThatWereNotSampledAreLeftOut() throws Exception {
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(16, 1), new Rng(1));
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize(), n = 6;
        float[] logProb = {-1, -1, Float.NaN, -1, -1, -1};
        byte[] person = {0, 0, 0, 1, 0, 0};
        Batch b = new Batch("/w", "", 1, od, ad, new float[n * od], new float[n * ad], logProb, new float[n], new float[n * od], new byte[n],
                new float[0], new int[n], person);
        ExperienceRollout rows = new ExperienceRollout(3, od, ad);
        assertEquals(5, rows.add(b, 0), "rows 0, 1, 4 fill the rollout; row 5 is left for the next one");
        assertTrue(rows.full());
        rows.clear();
        assertEquals(n, rows.add(b, 5));
        assertEquals(1, rows.size());
    }

    /** The arm near its rest pose with small velocities, and a goal in front of it. */
    private static void observation(Rng rng, double[] into, int at) {
        double[] rest = ArmLayout.TEACH_ARM.restPose();
        for (int j = 0; j < 7; j++) into[at + j] = rest[j] + 0.2 * rng.nextGaussian();
        for (int j = 0; j < 7; j++) into[at + 7 + j] = 0.1 * rng.nextGaussian();
        into[at + 14] = 0.02;
        into[at + 15] = 0.5 + 0.1 * rng.nextGaussian();
        into[at + 16] = 0.1 * rng.nextGaussian();
        into[at + 17] = 0.4 + 0.1 * rng.nextGaussian();
    }
}
