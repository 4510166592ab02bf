package org.teachlearn.learn.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * Motion labels from a guided demonstration (one joint moving at 1 rad/s for 1 s, one episode that
 * succeeds): perturbed copies keep the absolute target, so their labels lead back to the path;
 * hindsight goals are where a later pose reaches, with targets that stop there.
 */
class DemoSamplerMotionTest {

    static final double P = 0.01, LOOKAHEAD = 0.2;

    @Test
    void perturbedCopiesKeepTheTargetAndHindsightGoalsStopWhereTheyWereReached() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        Demonstration d = guided(layout);
        int arm = layout.armJoints().length;

        Dataset plain = new Dataset(layout.observationSize(), layout.actions());
        int samples = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE)
                .sample(d, DemoSampler.Labels.MOTION, false, plain).samples();
        assertTrue(samples > 50, samples + " samples");
        assertEquals(samples, plain.size());

        Dataset perturbed = new Dataset(layout.observationSize(), layout.actions());
        new DemoSampler(layout, P, LOOKAHEAD, new DemoSampler.Perturbation(3, 0.05, 7), DemoSampler.Hindsight.NONE)
                .sample(d, DemoSampler.Labels.MOTION, false, perturbed);
        assertEquals(4 * samples, perturbed.size());
        int od = layout.observationSize();
        double[] o = perturbed.observations();
        double moved = 0;
        for (int k = 1; k < 4; k++) {
            for (int a = 0; a < arm; a++) {
                double dq = o[k * od + a] - o[a];
                moved = Math.max(moved, Math.abs(dq));
                // the target (observed position + scaled output) is the same absolute position for every copy
                double target0 = o[a] + perturbed.targets()[a] * layout.actions().scale()[a];
                double targetK = o[k * od + a] + perturbed.targets()[k * perturbed.actDim() + a] * layout.actions().scale()[a];
                assertEquals(target0, targetK, 1e-9, "copy " + k + ", joint " + a);
            }
            for (int i = arm; i < od; i++) assertEquals(o[i], o[k * od + i], 0, "only the joint positions are moved");
        }
        assertTrue(moved > 0.01 && moved < 0.3, "moved by about 0.05 rad: " + moved);

        Dataset hindsight = new Dataset(layout.observationSize(), layout.actions());
        double[] last = new double[1];
        org.teachlearn.learn.data.GoalOfPose goalOf = (q, goal) -> {
            goal[0] = q[0];   // a stand-in forward kinematics: the goal is the first joint's angle
            goal[1] = 0;
            goal[2] = 0;
            last[0] = q[0];
        };
        new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, new DemoSampler.Hindsight(2, goalOf))
                .sample(d, DemoSampler.Labels.MOTION, false, hindsight);
        assertEquals(3 * samples, hindsight.size());
        double[] h = hindsight.observations();
        int goalAt = od - 3, stopped = 0;
        for (int r = 0; r < hindsight.size(); r++) {
            if (r % 3 == 0) continue;   // the demonstration's own sample
            double q0 = h[r * od], goal = h[r * od + goalAt];
            double target = q0 + layout.actions().offset()[0] + hindsight.targets()[r * hindsight.actDim()] * layout.actions().scale()[0];
            assertTrue(goal >= q0 - 1e-9, "a hindsight goal lies later on the path");
            assertTrue(target <= goal + 1e-9, "the target never passes the hindsight goal: " + target + " > " + goal);
            if (Math.abs(target - goal) < 1e-9) stopped++;
        }
        assertTrue(stopped > 0, "some targets stop at their goal");
        assertThrows(IllegalArgumentException.class, () -> new DemoSampler.Perturbation(-1, 0.05, 0));
        assertThrows(IllegalArgumentException.class, () -> new DemoSampler.Hindsight(2, null));
    }

    /** Joint 1 from 0 to 1 rad at 1 rad/s, recorded at 100 Hz, one episode ending in success. */
    private static Demonstration guided(PolicyLayout layout) {
        Demonstration d = new Demonstration("guided", layout);
        d.setInfo(new Demonstration.Info("reach", Demonstration.DRAG_TEACH, true, ""));
        int arm = layout.armJoints().length, grip = layout.gripperJoint() != null ? 1 : 0;
        double[] joints = new double[d.joints().width()], state = new double[d.states().width()];
        for (int k = 0; k <= 120; k++) {
            long t = 1_000_000_000L + k * 10_000_000L;
            java.util.Arrays.fill(joints, 0);
            joints[0] = Math.min(1, k * P);
            joints[arm + grip] = k * P < 1 ? 1 : 0;
            d.joints().add(t, joints, 0);
            state[0] = 1;
            state[1] = k == 120 ? 1 : 0;
            state[2] = k == 120 ? 1 : 0;
            state[3] = 1;
            d.states().add(t, state, 0);
        }
        return d;
    }
}
