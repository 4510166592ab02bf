package org.teachlearn.learn.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.ObservationHistory;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * A recording's samples stacked as a history policy sees them: joint 1 at 0.01 · k rad at reading
 * k (10 ms apart, one episode per recording), sampled every 10 ms, 3 frames 2 periods apart — the
 * rows {@link ObservationHistory} builds for the running policy, the first observation repeated
 * before the episode began, the latest sample before a lost reading, nothing across recordings.
 */
class DemoHistoryTest {

    @Test
    void everySampleGetsItsLastObservationsAsTheServerStacksThem() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize();
        Dataset data = new Dataset(3 * od, layout.actions());
        DemoHistory history = new DemoHistory(data, od, 3, 2);
        DemoSampler sampler = new DemoSampler(layout, 0.01).tracing(history);
        Dataset plain = new Dataset(od, layout.actions());
        sampler.sample(recording(layout, 12, -1), DemoSampler.Labels.COMMANDS, false, plain);
        history.flush();
        assertEquals(11, data.size(), "every state but the done one");
        // what a running policy's history holds at each of the same steps
        ObservationHistory running = new ObservationHistory(od, 3, 2);
        double[] expected = new double[3 * od], o = data.observations();
        for (int k = 0; k < 11; k++) {
            running.push(plain.observations(), k * od);
            running.stacked(expected, 0);
            assertEquals(Arrays.toString(expected), Arrays.toString(Arrays.copyOfRange(o, k * 3 * od, (k + 1) * 3 * od)), "sample " + k);
            assertEquals(plain.targets()[k * layout.actionSize()], data.targets()[k * layout.actionSize()], 1e-12, "its own label");
        }
    }

    @Test
    void aLostReadingIsReplacedByTheLatestSampleBeforeItAndRecordingsDoNotMix() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize();
        Dataset data = new Dataset(3 * od, layout.actions());
        DemoHistory history = new DemoHistory(data, od, 3, 2);
        DemoSampler sampler = new DemoSampler(layout, 0.01).tracing(history);
        sampler.sample(recording(layout, 12, 5), DemoSampler.Labels.COMMANDS, false, new Dataset(od, layout.actions()));
        sampler.sample(recording(layout, 6, -1), DemoSampler.Labels.COMMANDS, false, new Dataset(od, layout.actions()));
        history.flush();
        assertEquals(10 + 5, data.size());
        double[] o = data.observations();
        // the first recording's sample at reading 7 (row 6: readings 0-4, 6, 7): frames at readings 7, 5 (lost: 4), 3
        assertEquals(0.07, o[6 * 3 * od], 1e-12);
        assertEquals(0.04, o[6 * 3 * od + od], 1e-12);
        assertEquals(0.03, o[6 * 3 * od + 2 * od], 1e-12);
        // the second recording's first sample: all three frames its own first observation, none from the first recording
        int first = 10 * 3 * od;
        for (int f = 0; f < 3; f++) assertEquals(0.0, o[first + f * od], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new DemoHistory(new Dataset(od, layout.actions()), od, 3, 2));
    }

    /** One successful episode of {@code readings} readings 10 ms apart, done at the last, reading {@code lost} missing (−1: none). */
    private static Demonstration recording(PolicyLayout layout, int readings, int lost) {
        Demonstration d = new Demonstration("synthetic", layout);
        d.setInfo(new Demonstration.Info("reach", Demonstration.EXPERT, true, ""));
        double[] joints = new double[d.joints().width()], state = new double[d.states().width()], action = new double[layout.actionSize()];
        for (int k = 0; k < readings; k++) {
            if (k == lost) continue;
            long t = 1_000_000_000L + k * 10_000_000L;
            Arrays.fill(joints, 0);
            joints[0] = 0.01 * k;
            d.joints().add(t, joints, 0);
            state[Demonstration.EPISODE] = 1;
            state[Demonstration.DONE] = k == readings - 1 ? 1 : 0;
            state[Demonstration.SUCCESS] = k == readings - 1 ? 1 : 0;
            state[Demonstration.GOAL] = 0.3;
            d.states().add(t, state, 0);
            action[0] = 0.01 * (k + 1);
            d.expertActions().add(t, action, 0);
        }
        return d;
    }
}
