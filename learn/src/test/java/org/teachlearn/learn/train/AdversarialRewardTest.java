package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * {@code sac --reward gail}: the discriminator learns, from minibatches as the learner draws them,
 * to tell the scripted expert's pairs from others, and the minibatch's rewards become its reward:
 * higher for pairs like the demonstrations' than for the same states with other actions. A full
 * run writes its rows, and what makes no sense with it is refused.
 */
class AdversarialRewardTest extends TrainRuns {

    @Test
    void theDiscriminatorsRewardReplacesTheMinibatchsAndFavoursTheDemonstrations() throws Exception {
        Options o = new Options(TrainCommand.defaults("sac"));
        for (String[] kv : new String[][] {{"reward", "gail"}, {"demos", "4"}, {"hindsight-share", "0"}, {"hand-feature", "on"}, {"lr-decay", "linear"},
                {"batch", "64"}, {"buffer", "1000"}}) {
            o.set(kv[0], kv[1]);
        }
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Setup setup = new Setup(o);
        PolicyLayout layout = setup.layout();
        Rng rng = new Rng(3);
        AdversarialReward reward = AdversarialReward.of(setup, layout, rng, new PrintStream(java.io.OutputStream.nullOutputStream()));
        // the demonstrations' states, once with the expert's u and once with u drawn at random: what the discriminator must tell apart
        Dataset demos = new Dataset(layout.observationSize(), layout.actions());
        ImitationTraining.demonstrate(setup.env(false).fixedHorizon(), 4, 1 * 7_919L + 500_000, 0.1, 0, demos);
        int od = layout.observationSize(), ad = layout.actionSize(), n = 64;
        double[] obs = new double[n * od], u = new double[n * ad], rewards = new double[n], expertU = new double[n * ad];
        for (int step = 0; step < 400; step++) {
            for (int i = 0; i < n; i++) {
                int row = rng.nextInt(demos.size());
                System.arraycopy(demos.observations(), row * od, obs, i * od, od);
                for (int j = 0; j < ad; j++) u[i * ad + j] = 2 * rng.nextDouble() - 1;
            }
            java.util.Arrays.fill(rewards, Double.NaN);
            reward.score(obs, u, rewards, 0, n, rng);
            for (double r : rewards) assertTrue(Double.isFinite(r) && r >= 0, "every reward replaced by softplus(f): " + r);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < ad; j++) expertU[i * ad + j] = Math.max(-1, Math.min(1, demos.targets()[i * ad + j]));
            System.arraycopy(demos.observations(), i * od, obs, i * od, od);
        }
        double[] asExpert = new double[n], asOther = new double[n];
        reward.score(obs, expertU, asExpert, 0, n, rng);
        reward.score(obs, u, asOther, 0, n, rng);
        double expert = java.util.Arrays.stream(asExpert).average().orElseThrow(), other = java.util.Arrays.stream(asOther).average().orElseThrow();
        assertTrue(expert > 2 * other + 0.5, "the demonstrations' pairs earn " + expert + ", the same states with random u " + other);
        assertTrue(reward.summary().contains("accuracy"), reward.summary());

        o.set("reward", "task");
        assertNull(AdversarialReward.of(setup, layout, rng, System.out), "--reward task: the task's reward");
    }

    @Test
    void aRunOnTheDiscriminatorsRewardWritesItsRowsAndRefusesWhatMakesNoSense() throws Exception {
        Path out = train("sac", "--reward", "gail", "--demos", "2", "--steps", "1500", "--log-every", "500", "--learning-starts", "500", "--batch", "32",
                "--hidden", "32x32", "--eval-every", "3", "--eval-episodes", "2");
        List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
        assertEquals(3, rows.size());
        for (double[] r : rows.subList(1, rows.size())) assertTrue(Double.isFinite(r[col(out, "value_loss")]), "finite critic loss");
        assertEquals("gail", Checkpoint.settings(out.resolve("checkpoint.bin")).get("reward"));
        assertEquals("0", Checkpoint.settings(out.resolve("checkpoint.bin")).get("hindsight-share"), "no hindsight goals by default with --reward gail");
        assertEquals("2", Checkpoint.settings(out.resolve("checkpoint.bin")).get("demos"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train("sac", "--reward", "gail", "--steps", "1000", "--hindsight-share", "0.8"));
        assertTrue(e.getMessage().contains("--reward gail uses none"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("ppo", "--reward", "gail", "--steps", "1000"));
        assertTrue(e.getMessage().contains("--reward is for sac, td3 and ddpg"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("sac", "--reward", "imitation", "--steps", "1000"));
        assertTrue(e.getMessage().contains("--reward is task or gail"), e.getMessage());
    }
}
