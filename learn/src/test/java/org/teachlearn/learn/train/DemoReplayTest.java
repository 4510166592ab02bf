package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * The demonstrations of off-policy demonstration replay are transitions the learner could have
 * made: u inside [−1, 1], and replaying the stored u from the stored state in a fresh episode of the
 * same seed reaches the stored next state and reward. The normaliser sees every demonstrated state
 * once, and a minibatch takes its first rows from the demonstrations.
 */
class DemoReplayTest {

    @Test
    void demonstrationsAreTransitionsTheLearnerCouldHaveMade() throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Options o = new Options(TrainCommand.defaults("sac"));
        Setup setup = new Setup(o);
        ArmEnv env = setup.env(false);
        int od = env.layout().observationSize(), ad = env.layout().actionSize();
        RunningNorm norm = new RunningNorm(od);
        DemoReplay demos = DemoReplay.record(env, 3, 77, 0.1, norm);
        assertTrue(demos.transitions() > 3 && demos.transitions() <= 3 * (env.maxSteps() + 1), demos.transitions() + " transitions");
        assertEquals(demos.transitions(), norm.count(), 1e-3, "every demonstrated state updates the normaliser once (its count starts at 1e-4)");
        assertTrue(demos.successes() >= 1, "the expert should reach the goal in some of 3 episodes");

        int n = 30 * demos.transitions();   // drawn with replacement: each stored row misses all 30·N draws with probability e^-30
        double[] obs = new double[n * od], u = new double[n * ad], r = new double[n], next = new double[n * od], notDone = new double[n];
        demos.sample(n, new Rng(1), obs, u, r, next, notDone);
        for (double v : u) assertTrue(v >= -1 && v <= 1, "u outside the learner's range: " + v);

        // The first episode again, from its seed, commanding the stored u of its states in order
        ArmEnv replay = setup.env(false);
        replay.reset(77);
        double[] state = new double[od], cmd = new double[ad], reached = new double[od];
        int matched = 0;
        while (!replay.done()) {
            replay.observe(state, 0);
            int row = find(obs, od, n, state);
            assertTrue(row >= 0, "a state of the replayed episode is missing from the demonstrations (step " + matched + ")");
            env.layout().actions().command(obs, od, u, row, cmd, 0);
            replay.step(cmd, 0);
            replay.observe(reached, 0);
            for (int j = 0; j < od; j++) assertEquals(next[row * od + j], reached[j], 1e-9, "next state, step " + matched);
            assertEquals(r[row], replay.reward(), 1e-9, "reward, step " + matched);
            matched++;
        }
        assertTrue(matched > 3);
    }

    /** The first of the {@code n} rows equal to {@code state}, or −1. */
    private static int find(double[] rows, int od, int n, double[] state) {
        outer:
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < od; j++) if (rows[i * od + j] != state[j]) continue outer;
            return i;
        }
        return -1;
    }
}
