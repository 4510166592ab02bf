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

    @Test
    void trimmedPausesLeaveOutTheWaitsButNotTheRestAtTheEnd() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        // waits 0.5 s, moves to 0.5 rad, hesitates 0.5 s, moves on to 1 rad, rests 0.5 s
        double[] path = new double[251];
        for (int k = 0; k < path.length; k++) {
            double t = k * P;
            path[k] = t < 0.5 ? 0 : t < 1.0 ? t - 0.5 : t < 1.5 ? 0.5 : Math.min(1, t - 1.0);
        }
        Demonstration d = guided(layout, path);
        int od = layout.observationSize(), ad = layout.actionSize();
        Dataset kept = new Dataset(od, layout.actions()), trimmed = new Dataset(od, layout.actions());
        new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).sample(d, DemoSampler.Labels.MOTION, false, kept);
        new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).trimPauses(0.005)
                .sample(d, DemoSampler.Labels.MOTION, false, trimmed);
        int[] stillKept = stills(kept, od, ad, layout), stillTrimmed = stills(trimmed, od, ad, layout);
        assertTrue(stillKept[0] > 20 && stillKept[1] > 20, "without trimming the waits at 0 and 0.5 rad are samples: " + java.util.Arrays.toString(stillKept));
        assertEquals(0, stillTrimmed[0], "the wait at the start is left out");
        assertEquals(0, stillTrimmed[1], "the hesitation on the way is left out");
        assertEquals(stillKept[2], stillTrimmed[2], "the rest at the end stays");
        assertTrue(stillTrimmed[2] > 20, "the rest at the end: " + stillTrimmed[2]);
        assertEquals(kept.size() - stillKept[0] - stillKept[1], trimmed.size(), "every moving sample stays");
        assertThrows(IllegalArgumentException.class, () -> new DemoSampler(layout, P).trimPauses(-1));
    }

    @Test
    void aChunksLabelsAreTheMotionOnePeriodAfterAnotherHeldPastTheEnd() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        Demonstration d = guided(layout);
        int od = layout.observationSize(), ad = layout.actionSize(), k = 5;
        Dataset one = new Dataset(od, layout.actions()), chunks = new Dataset(od, layout.actions(), k);
        new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).sample(d, DemoSampler.Labels.MOTION, false, one);
        new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).sample(d, DemoSampler.Labels.MOTION, false, chunks);
        int n = one.size();
        assertEquals(n, chunks.size(), "the same samples");
        double[] fromChunk = new double[ad], expected = new double[ad];
        int held = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < k; i++) {
                layout.actions().commandFrom(chunks.observations(), r * od, chunks.targets(), r * k * ad + i * ad, fromChunk, 0);
                // the sample i periods later labels what lies i periods after this one's label: its own label (from its own state)
                int later = r + i;
                if (later < n) {
                    layout.actions().commandFrom(one.observations(), later * od, one.targets(), later * ad, expected, 0);
                } else {
                    held++;   // past the last sample the recording's end holds: the arm at its last reading (1 rad)
                    System.arraycopy(fromChunk, 0, expected, 0, ad);
                    assertEquals(1, fromChunk[0], 1e-9, "held at the end of the motion");
                }
                assertEquals(expected[0], fromChunk[0], 1e-9, "sample " + r + ", action " + i + " of its chunk");
            }
        }
        assertTrue(held > 0, "some chunks reach past the last sample");
        Demonstration commanded = guided(layout);
        commanded.setInfo(new Demonstration.Info("reach", "vr_teleop", true, ""));
        assertTrue(new DemoSampler(layout, P).sample(commanded, DemoSampler.Labels.COMMANDS, false, new Dataset(od, layout.actions(), k)).whyNone()
                .contains("labelled from the motion only"));
    }

    @Test
    void pathLabelsLeadAlongThePathWhateverTheSpeedToWhereItEndsAndNotPastTheGripper() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize();
        double ahead = 0.3;
        for (double speed : new double[] {1, 0.25}) {   // rad/s: the same path, a person four times slower
            double[] path = new double[(int) Math.round(1 / (speed * P)) + 21];   // then rests 0.2 s at 1 rad
            for (int k = 0; k < path.length; k++) path[k] = Math.min(1, k * P * speed);
            Dataset data = new Dataset(od, layout.actions());
            int n = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                    .sample(guided(layout, path), DemoSampler.Labels.MOTION, false, data).samples();
            assertEquals(path.length - 1, n, "every reading of the episode but the done one is a sample: none is cut off by the end");
            for (int r = 0; r < n; r++) {
                double q0 = data.observations()[r * od], target = q0 + data.targets()[r * data.actDim()] * layout.actions().scale()[0];
                // the first reading 0.3 rad on (readings lie 0.01 · speed apart), or the end at 1 rad
                assertEquals(Math.min(1, q0 + ahead), target, P * speed + 1e-9, speed + " rad/s, sample at " + q0);
            }
        }

        // the gripper's command changes at 0.5 rad: no label looks past it; after it, on to the end
        double[] path = new double[121];
        for (int k = 0; k < path.length; k++) path[k] = Math.min(1, k * P);
        Demonstration d = guided(layout, path);
        d.gripperCommands().add(1_000_000_000L, new double[] {0.04}, 0);
        d.gripperCommands().add(1_000_000_000L + 50 * 10_000_000L, new double[] {0.0}, 0);
        Dataset data = new Dataset(od, layout.actions());
        int n = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                .sample(d, DemoSampler.Labels.MOTION, false, data).samples();
        int grip = layout.armJoints().length;
        for (int r = 0; r < n; r++) {
            double q0 = data.observations()[r * od], target = q0 + data.targets()[r * data.actDim()] * layout.actions().scale()[0];
            double expected = q0 < 0.5 - 1e-9 ? Math.min(0.5, q0 + ahead) : Math.min(1, q0 + ahead);
            assertEquals(expected, target, P + 1e-9, "sample at " + q0);
            double[] command = new double[layout.actionSize()];
            layout.actions().commandFrom(data.observations(), r * od, data.targets(), r * data.actDim(), command, 0);
            assertEquals(q0 < 0.5 - 1e-9 ? 0.04 : 0.0, command[grip], 1e-9, "the gripper's command in force at " + q0);
        }

        // with a gripper lookahead of 0.105 rad the readings from 0.40 rad on take the command given at 0.5
        Dataset early = new Dataset(od, layout.actions());
        int e = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                .gripperLookahead(0.105).sample(d, DemoSampler.Labels.MOTION, false, early).samples();
        assertEquals(n, e, "the same samples");
        int anticipated = 0;
        for (int r = 0; r < e; r++) {
            double q0 = early.observations()[r * od];
            double[] command = new double[layout.actionSize()];
            layout.actions().commandFrom(early.observations(), r * od, early.targets(), r * early.actDim(), command, 0);
            assertEquals(q0 < 0.4 - 1e-9 ? 0.04 : 0.0, command[grip], 1e-9, "the next command from 0.4 rad on: " + q0);
            if (q0 > 0.4 - 1e-9 && q0 < 0.5 - 1e-9) anticipated++;
        }
        assertEquals(10, anticipated, "0.40 to 0.49 rad");
        // in a chunk of 3 the later actions of a sample labelled early say the same, not the command then in force
        Dataset chunks = new Dataset(od, layout.actions(), 3);
        int c = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                .gripperLookahead(0.105).sample(d, DemoSampler.Labels.MOTION, false, chunks).samples();
        int width = layout.actionSize();
        for (int r = 0; r < c; r++) {
            double q0 = chunks.observations()[r * od];
            if (q0 < 0.4 - 1e-9) continue;
            for (int k = 0; k < 3; k++) {
                double[] command = new double[width];
                layout.actions().commandFrom(chunks.observations(), r * od, chunks.targets(), r * chunks.actDim() + k * width, command, 0);
                assertEquals(0.0, command[grip], 1e-9, "action " + k + " of the sample at " + q0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new DemoSampler(layout, P).gripperLookahead(-0.1));

        // a change given in the next episode (after a reset to the same pose) is not anticipated
        Demonstration two = guided(layout, path);
        double[] row = new double[two.joints().width()], st = new double[two.states().width()];
        long next = 3_000_000_000L;
        for (int k = 0; k < 10; k++) {
            java.util.Arrays.fill(row, 0);
            row[0] = 1;   // at rest where the first episode ended
            st[Demonstration.EPISODE] = 2;
            two.joints().add(next + k * 10_000_000L, row, 0);
            two.states().add(next + k * 10_000_000L, st, 0);
        }
        two.gripperCommands().add(1_000_000_000L, new double[] {0.04}, 0);
        two.gripperCommands().add(next + 50_000_000L, new double[] {0.0}, 0);
        Dataset firstOnly = new Dataset(od, layout.actions());
        int f = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                .gripperLookahead(0.105).sample(two, DemoSampler.Labels.MOTION, false, firstOnly).samples();
        for (int r = 0; r < f; r++) {
            double[] command = new double[layout.actionSize()];
            layout.actions().commandFrom(firstOnly.observations(), r * od, firstOnly.targets(), r * firstOnly.actDim(), command, 0);
            assertEquals(0.04, command[grip], 1e-9, "the first episode keeps its command: the next is another episode's");
        }

        // a recording that stops before its episode ends: readings within 0.3 rad of its end get no label
        Demonstration open = guided(layout, java.util.Arrays.copyOf(path, 80));
        Demonstration unfinished = new Demonstration("unfinished", layout);
        unfinished.setInfo(open.info());
        double[] joints = new double[open.joints().width()], state = new double[open.states().width()];
        for (int k = 0; k < 80; k++) {
            open.joints().copy(k, 0, joints.length, joints, 0);
            open.states().copy(k, 0, state.length, state, 0);
            state[Demonstration.DONE] = 0;   // the episode goes on after the recording
            state[Demonstration.SUCCESS] = 0;
            unfinished.joints().add(open.joints().time(k), joints, 0);
            unfinished.states().add(open.states().time(k), state, 0);
        }
        Dataset partial = new Dataset(od, layout.actions());
        int m = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                .sample(unfinished, DemoSampler.Labels.MOTION, false, partial).samples();
        assertEquals(50, m, "readings 0 to 0.49 rad have a pose 0.3 rad on; from 0.5 the recording stops first");

        // the same unfinished episode, then a reset and a whole one: the second is sampled in full
        Demonstration whole = guided(layout, path);
        long later = 2_000_000_000L;
        for (int k = 0; k < whole.joints().size(); k++) {
            whole.joints().copy(k, 0, joints.length, joints, 0);
            whole.states().copy(k, 0, state.length, state, 0);
            state[Demonstration.EPISODE] = 2;
            unfinished.joints().add(later + whole.joints().time(k), joints, 0);
            unfinished.states().add(later + whole.states().time(k), state, 0);
        }
        int both = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(ahead)
                .sample(unfinished, DemoSampler.Labels.MOTION, false, new Dataset(od, layout.actions())).samples();
        assertEquals(50 + path.length - 1, both, "the first episode's 50, then every reading of the second but its done one");
        assertThrows(IllegalArgumentException.class, () -> new DemoSampler(layout, P).pathLookahead(-0.1));
    }

    @Test
    void motionSampledFarSlowerThanItWasRecordedIsWarnedAbout() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        DemoSpec spec = new DemoSpec(layout, layout.armJoints(), null, DemoSpec.Topics.DEFAULT);
        DemoSource one = (where, s, each) -> each.accept(guided(layout));   // readings every 10 ms
        for (double period : new double[] {0.01, 0.05}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            Demonstrations.addTo(new Dataset(layout.observationSize(), layout.actions()), one, new Demonstrations.Request(java.nio.file.Path.of("guided"),
                    spec, "reach", period, 0.3, DemoSampler.Labels.MOTION, false, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE),
                    new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            String summary = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            boolean warned = summary.contains("came every 10.0 ms and are sampled every 50.0 ms") && summary.contains("--control-period 0.01");
            assertEquals(period > 0.02, warned, summary);
        }
        // readings every millisecond trained at the default 0.01 s: no advice to run the policy at 1 kHz
        Demonstration fast = new Demonstration("fast", layout);
        fast.setInfo(new Demonstration.Info("reach", Demonstration.DRAG_TEACH, true, ""));
        double[] path = new double[1201];   // 1 rad in 1 s, then 0.2 s at rest, a reading every millisecond once retimed
        for (int k = 0; k < path.length; k++) path[k] = Math.min(1, k * 0.001);
        Demonstration slow = guided(layout, path);
        double[] row = new double[slow.joints().width()], st = new double[slow.states().width()];
        for (int k = 0; k < slow.joints().size(); k++) {
            slow.joints().copy(k, 0, row.length, row, 0);
            slow.states().copy(k, 0, st.length, st, 0);
            long t = 1_000_000_000L + k * 1_000_000L;
            fast.joints().add(t, row, 0);
            fast.states().add(t, st, 0);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Demonstrations.addTo(new Dataset(layout.observationSize(), layout.actions()), (where, s, each) -> each.accept(fast),
                new Demonstrations.Request(java.nio.file.Path.of("fast"), spec, "reach", 0.01, 0.3, DemoSampler.Labels.MOTION, false,
                        DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        String summary = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(summary.contains("used 1 of 1") && !summary.contains("labelled from their motion came every"), summary);
    }

    /**
     * drag_teach records a gripper command only at a press: before it, a chunk's later actions keep
     * the gripper as labelled at the reading, not the opening measured further on, where the
     * fingers may already be closing on the press whose command comes later.
     */
    @Test
    void beforeTheFirstPressAChunksGripperStaysAsItIsNotAsTheFingersLaterClose() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), grip = layout.armJoints().length, width = layout.actionSize(), chunk = 20;
        double[] path = new double[121];
        for (int k = 0; k < path.length; k++) path[k] = Math.min(1, k * P);
        Demonstration d = guided(layout, path);
        // the measured opening: open until the press at reading 50, then closing over 10 readings
        Demonstration measured = new Demonstration("guided", layout);
        measured.setInfo(d.info());
        double[] joints = new double[d.joints().width()], state = new double[d.states().width()];
        for (int k = 0; k < d.joints().size(); k++) {
            d.joints().copy(k, 0, joints.length, joints, 0);
            d.states().copy(k, 0, state.length, state, 0);
            joints[grip] = 0.04 * Math.max(0, Math.min(1, 1 - (k - 50) / 10.0));
            measured.joints().add(d.joints().time(k), joints, 0);
            measured.states().add(d.states().time(k), state, 0);
        }
        measured.gripperCommands().add(1_000_000_000L + 50 * 10_000_000L, new double[] {0.0}, 0);
        Dataset chunks = new Dataset(od, layout.actions(), chunk);
        int n = new DemoSampler(layout, P, LOOKAHEAD, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE).pathLookahead(0.2)
                .sample(measured, DemoSampler.Labels.MOTION, false, chunks).samples();
        int checked = 0;
        for (int r = 0; r < n; r++) {
            double q0 = chunks.observations()[r * od];
            for (int k = 0; k < chunk; k++) {
                double[] command = new double[width];
                layout.actions().commandFrom(chunks.observations(), r * od, chunks.targets(), r * chunks.actDim() + k * width, command, 0);
                boolean pressed = q0 + k * P >= 0.5 - 1e-9;   // this action's instant is at or after the press
                if (pressed) assertEquals(0.0, command[grip], 1e-9, "action " + k + " of the sample at " + q0 + ": the command to close");
                else assertEquals(0.04, command[grip], 1e-9, "action " + k + " of the sample at " + q0 + ": open, as measured before the press");
                checked++;
            }
        }
        assertTrue(checked > 1000, checked + " actions checked");
    }

    /** Samples whose label leaves joint 1 where it is, at 0, at 0.5 and at 1 rad. */
    private static int[] stills(Dataset data, int od, int ad, PolicyLayout layout) {
        int[] n = new int[3];
        for (int r = 0; r < data.size(); r++) {
            double q0 = data.observations()[r * od], step = Math.abs(data.targets()[r * data.actDim()] * layout.actions().scale()[0]);
            if (step >= 0.005) continue;
            if (q0 < 1e-9) n[0]++;
            else if (Math.abs(q0 - 0.5) < 1e-9) n[1]++;
            else if (Math.abs(q0 - 1) < 1e-9) n[2]++;
        }
        return n;
    }

    /** Joint 1 from 0 to 1 rad at 1 rad/s, recorded at 100 Hz, one episode ending in success. */
    private static Demonstration guided(PolicyLayout layout) {
        double[] path = new double[121];
        for (int k = 0; k < path.length; k++) path[k] = Math.min(1, k * P);
        return guided(layout, path);
    }

    private static Demonstration guided(PolicyLayout layout, double[] path) {
        return LearnFixtures.guided(layout, path);
    }
}
