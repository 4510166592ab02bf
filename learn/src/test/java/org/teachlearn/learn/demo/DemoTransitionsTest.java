package org.teachlearn.learn.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * Recorded demonstrations paired into transitions on synthetic recordings whose every value is
 * known: readings and task/states every 10 ms, joint 1 at 0.01 · k rad at reading k, expert/action
 * the next reading's pose, the reward −k/100. Sampled every 30 ms, a done state between two sample
 * times still ends its episode in a terminal transition, a truncated end is not terminal, readings
 * lost make no transition across the gap, and a reward that is not a number is left out with a warning.
 */
class DemoTransitionsTest {

    private static final long MS = 1_000_000L;

    @Test
    void samplesPairOnePeriodApartAndADoneStateOffTheGridStillEndsTheEpisode() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        Demonstration d = recording(layout, 20, false, -1, -1, k -> -k / 100.0);
        DemoTransitions t = trace(layout, d);
        // samples at 0, 30, ..., 180 ms (readings 0, 3, ..., 18), the done state at reading 19 (190 ms): off the grid
        assertEquals(7, t.size(), "6 pairs of samples and the end");
        assertEquals(1, t.terminals());
        assertEquals(1, t.episodes());
        int od = layout.observationSize(), ad = layout.actionSize();
        double[] o = new double[od], u = new double[ad], next = new double[od];
        for (int i = 0; i < 6; i++) {
            t.copy(i, o, u, next);
            assertEquals(0.03 * i, o[0], 1e-12, "transition " + i + " starts at reading " + 3 * i);
            assertEquals(0.03 * (i + 1), next[0], 1e-12, "and ends one period later");
            assertEquals(-(3 * i + 3) / 100.0, t.reward(i), 1e-12, "the reward of the state arrived in");
            assertFalse(t.terminal(i));
            // expert/action: the next reading's pose, 0.01 rad ahead, as u through the action map
            double[] expected = new double[ad];
            double[] cmd = new double[ad];
            Arrays.fill(cmd, 0);
            cmd[0] = 0.01 * (3 * i + 1);
            layout.actions().inverse(o, 0, cmd, 0, expected, 0);
            assertArrayEquals(expected, u, 1e-12);
        }
        t.copy(6, o, u, next);
        assertEquals(0.18, o[0], 1e-12);
        assertEquals(0.19, next[0], 1e-12, "the end: the done state's reading, 10 ms after the last sample");
        assertEquals(-0.19, t.reward(6), 1e-12);
        assertTrue(t.terminal(6));
        assertTrue(t.warnings().isEmpty(), t.warnings().toString());
    }

    @Test
    void aTruncatedEndIsNotTerminalAndLostReadingsMakeNoTransitionAcrossTheGap() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        DemoTransitions truncated = trace(layout, recording(layout, 20, true, -1, -1, k -> -k / 100.0), true);   // not a success: --include-failed
        assertEquals(7, truncated.size());
        assertEquals(0, truncated.terminals(), "cut by the time limit: the learner bootstraps past it");
        // readings 7..11 lost: samples at 0, 30, 60 ms (readings 0, 3, 6), then the latest reading at 90 ms is 6 again (not sampled
        // twice), at 120 ms reading 12, 150: 15, 180: 18, end 19 — pairs 0-3, 3-6, 12-15, 15-18, 18-end
        DemoTransitions gap = trace(layout, recording(layout, 20, false, 7, 11, k -> -k / 100.0));
        assertEquals(5, gap.size());
        assertEquals(1, gap.apart(), "reading 12's sample ends no transition: the sample before it is 60 ms earlier");
        assertEquals(0, truncated.apart());
        assertTrue(gap.summary().contains("1 samples more than a period after the one before"), gap.summary());
        int od = layout.observationSize();
        double[] o = new double[od], u = new double[layout.actionSize()], next = new double[od];
        for (int i = 0; i < gap.size(); i++) {
            gap.copy(i, o, u, next);
            assertTrue(next[0] - o[0] <= 0.03 + 1e-12, "transition " + i + " spans one period at most: " + o[0] + " → " + next[0]);
        }
    }

    @Test
    void aRewardThatIsNotANumberIsLeftOutAndAllZeroRewardsAreWarnedAbout() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        // reading 6: the end of the second transition
        DemoTransitions t = trace(layout, recording(layout, 20, false, -1, -1, k -> k == 6 ? Double.NaN : -k / 100.0));
        assertEquals(6, t.size());
        assertTrue(t.warnings().contains("1 transitions left out: their task/state reward is not a finite number"), t.warnings().toString());

        DemoTransitions z = trace(layout, recording(layout, 20, false, -1, -1, k -> 0));
        assertEquals(7, z.size());
        assertTrue(z.warnings().get(0).startsWith("synthetic: every task/state reward is 0: does its task node fill in the reward?"), z.warnings().toString());
    }

    @Test
    void aNextStateWhoseOwnTaskStateWasLostIsLeftOut() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        // reading 6's task/state lost: at 60 ms the state of reading 5 is in force, its reward not reading 6's
        DemoTransitions t = trace(layout, recording(layout, 20, false, -1, -1, k -> -k / 100.0, 6));
        assertEquals(6, t.size(), "the transition 3 → 6 is left out");
        assertEquals(1, t.withoutOwnState());
        assertTrue(t.warnings().get(0).startsWith("1 transitions left out: their next reading has no task/state of its own stamp"), t.warnings().toString());
        for (int i = 0; i < t.size(); i++) assertTrue(t.reward(i) != -0.05, "no transition carries reading 5's reward");
    }

    private static DemoTransitions trace(PolicyLayout layout, Demonstration d) {
        return trace(layout, d, false);
    }

    private static DemoTransitions trace(PolicyLayout layout, Demonstration d, boolean includeFailed) {
        DemoTransitions t = new DemoTransitions(layout);
        DemoSampler sampler = new DemoSampler(layout, 0.03).tracing(t);
        DemoSampler.Result r = sampler.sample(d, DemoSampler.Labels.COMMANDS, includeFailed, new Dataset(layout.observationSize(), layout.actions()));
        assertTrue(r.samples() > 0, r.whyNone());
        return t;
    }

    /**
     * One successful episode of {@code readings} readings 10 ms apart, done at the last; readings
     * {@code lostFrom}..{@code lostTo} missing (−1: none); the end truncated when asked; reading k's reward {@code reward(k)}.
     */
    private static Demonstration recording(PolicyLayout layout, int readings, boolean truncated, int lostFrom, int lostTo,
            java.util.function.IntToDoubleFunction reward) {
        return recording(layout, readings, truncated, lostFrom, lostTo, reward, -1);
    }

    /** As below, the task/state of reading {@code lostState} missing (−1: none). */
    private static Demonstration recording(PolicyLayout layout, int readings, boolean truncated, int lostFrom, int lostTo,
            java.util.function.IntToDoubleFunction reward, int lostState) {
        Demonstration d = new Demonstration("synthetic", layout);
        d.setInfo(new Demonstration.Info("reach", Demonstration.EXPERT, true, ""));
        double[] joints = new double[d.joints().width()], state = new double[d.states().width()], action = new double[layout.actionSize()];
        for (int k = 0; k < readings; k++) {
            if (k >= lostFrom && k <= lostTo) continue;
            long t = 1_000 * MS + k * 10 * MS;
            Arrays.fill(joints, 0);
            joints[0] = 0.01 * k;
            d.joints().add(t, joints, 0);
            boolean last = k == readings - 1;
            state[Demonstration.EPISODE] = 1;
            state[Demonstration.DONE] = last ? 1 : 0;
            state[Demonstration.SUCCESS] = last && !truncated ? 1 : 0;
            state[Demonstration.TRUNCATED] = last && truncated ? 1 : 0;
            state[Demonstration.REWARD] = reward.applyAsDouble(k);
            state[Demonstration.GOAL] = 0.3;
            if (k != lostState) d.states().add(t, state, 0);
            if (!last) {
                Arrays.fill(action, 0);
                action[0] = 0.01 * (k + 1);
                d.expertActions().add(t, action, 0);
            }
        }
        return d;
    }
}
