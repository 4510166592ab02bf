package org.teachlearn.learn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.policy.HandFeature;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.ArmMirror;
import org.teachlearn.robot.kinematics.BaseAxis;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;

class ArmSymmetriesTest {

    static final int ARM = 7, GOAL = 2 * ARM + 1, HAND = GOAL + 7;   // teach_arm's observation: q, dq, gripper, goal (7), hand feature (6)

    private static Dataset expert;   // generated once: twelve episodes take a few seconds

    /** Twelve of the scripted expert's pick-and-place episodes, every fifth state, with its commands as labels: a fresh copy. */
    static synchronized Dataset expertStates(PolicyLayout layout, RobotModel model) {
        if (expert == null) {
            ArmEnv env = new ArmEnv(model, ArmLayout.TEACH_ARM, "pick_place", 0.05, Pushes.NONE).handFeature(layout.hand());
            expert = new Dataset(layout.observationSize(), layout.actions());
            double[] obs = new double[layout.observationSize()], cmd = new double[layout.actionSize()];
            for (int e = 0; e < 12; e++) {
                env.reset(70 + e);
                for (int t = 0; !env.done(); t++) {
                    env.observe(obs, 0);
                    env.expertCommand(cmd, 0);
                    if (t % 5 == 0) expert.add(obs, 0, cmd, 0);
                    env.step(cmd, 0);
                }
            }
        }
        Dataset copy = new Dataset(expert.obsDim(), layout.actions());
        for (int r = 0; r < expert.size(); r++) copy.addTarget(expert.observations(), r * expert.obsDim(), expert.targets(), r * expert.actDim());
        return copy;
    }

    static PolicyLayout layout(RobotModel model) {
        return PolicyLayout.of(model, ArmLayout.TEACH_ARM, "pick_place", 7).withHand(HandFeature.forTask(model, ArmLayout.TEACH_ARM, "pick_place"));
    }

    static ArmSymmetries turns(PolicyLayout layout, RobotModel model) {
        return symmetries(layout, model, false);
    }

    static ArmSymmetries symmetries(PolicyLayout layout, RobotModel model, boolean mirrored) {
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(model);
        Task task = Task.named("pick_place");
        BaseAxis axis = BaseAxis.of(chain, null);
        return new ArmSymmetries(layout, axis, mirrored ? ArmMirror.of(chain, axis, null) : null, task.turningPoints(), task.yawAt());
    }

    /**
     * A turned copy is the state the arm would be in turned with the scene: the first joint moved by
     * δ, the cube, its yaw and the target turned by δ about the base axis, the hand's offset from
     * the cube (the hand feature, computed from the joints) turned by the same δ — which fails if
     * the axis, its direction or the goal's points were wrong — and the label the same.
     */
    @Test
    void aTurnedCopyIsTheSceneTurnedAboutTheBaseAxisWithItsLabelUnchanged() throws Exception {
        RobotModel model = LearnFixtures.arm();
        PolicyLayout layout = layout(model);
        Dataset data = expertStates(layout, model);
        int n = data.size(), od = data.obsDim(), ad = data.actDim();
        double[] before = Arrays.copyOf(data.observations(), n * od);
        ArmSymmetries.Result r = turns(layout, model).addTo(data, 0, 3, 0.4, 11);
        assertEquals(n * 3, r.added() + r.missed());
        assertEquals(0, r.mirrored());
        assertTrue(r.added() > 2 * n, r.describe(3, 0.4));
        assertEquals(n + r.added(), data.size());
        assertArrayEquals(before, Arrays.copyOf(data.observations(), n * od), "the demonstrated rows stay as they were");
        double[] obs = data.observations(), u = data.targets();
        double[] box = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int row = 0; row < n; row++) {
            box[0] = Math.min(box[0], Math.min(before[row * od + GOAL], before[row * od + GOAL + 4]));
            box[1] = Math.max(box[1], Math.max(before[row * od + GOAL], before[row * od + GOAL + 4]));
            box[2] = Math.min(box[2], Math.min(before[row * od + GOAL + 1], before[row * od + GOAL + 5]));
            box[3] = Math.max(box[3], Math.max(before[row * od + GOAL + 1], before[row * od + GOAL + 5]));
        }
        int checkedOffsets = 0;
        for (int row = n; row < data.size(); row++) {
            int src = source(before, n, od, obs, row);
            assertTrue(src >= 0, "row " + row + " is a turn of a demonstrated one");
            int a = row * od, b = src * od;
            double delta = obs[a] - before[b];
            assertTrue(Math.abs(delta) <= 0.4 && delta != 0, "turned by " + delta);
            for (int j = 1; j < 2 * ARM + 1; j++) assertEquals(before[b + j], obs[a + j], 0, "joint " + j + " and the velocities and gripper stay");
            for (int p : new int[] {0, 4}) {
                double x = before[b + GOAL + p], y = before[b + GOAL + p + 1];
                assertEquals(x * Math.cos(delta) - y * Math.sin(delta), obs[a + GOAL + p], 1e-12);
                assertEquals(x * Math.sin(delta) + y * Math.cos(delta), obs[a + GOAL + p + 1], 1e-12);
                assertEquals(before[b + GOAL + p + 2], obs[a + GOAL + p + 2], 0, "heights stay");
                assertTrue(obs[a + GOAL + p] >= box[0] - 1e-12 && obs[a + GOAL + p] <= box[1] + 1e-12, "x within the demonstrated goals'");
                assertTrue(obs[a + GOAL + p + 1] >= box[2] - 1e-12 && obs[a + GOAL + p + 1] <= box[3] + 1e-12, "y within the demonstrated goals'");
            }
            double yaw = before[b + GOAL + 3] + delta, turnedYaw = obs[a + GOAL + 3];
            assertTrue(turnedYaw >= -Math.PI / 4 && turnedYaw < Math.PI / 4, "yaw folded: " + turnedYaw);
            double quarters = (yaw - turnedYaw) / (Math.PI / 2);
            assertEquals(Math.rint(quarters), quarters, 1e-9, "yaw turned by a whole number of quarters off " + yaw);
            // hand − cube (in the feature: tanh of it over 5 cm), where it is not saturated: turned by δ
            double hx = atanh(before[b + HAND]), hy = atanh(before[b + HAND + 1]), tx = atanh(obs[a + HAND]), ty = atanh(obs[a + HAND + 1]);
            if (Math.max(Math.abs(before[b + HAND]), Math.abs(before[b + HAND + 1])) < 0.9 && Math.max(Math.abs(obs[a + HAND]), Math.abs(obs[a + HAND + 1])) < 0.9) {
                assertEquals(hx * Math.cos(delta) - hy * Math.sin(delta), tx, 1e-9);
                assertEquals(hx * Math.sin(delta) + hy * Math.cos(delta), ty, 1e-9);
                checkedOffsets++;
            }
            assertEquals(before[b + HAND + 2], obs[a + HAND + 2], 1e-12, "the hand's height over the cube stays");
            assertArrayEquals(Arrays.copyOfRange(u, src * ad, src * ad + ad), Arrays.copyOfRange(u, row * ad, row * ad + ad), 0, "the label");
        }
        assertTrue(checkedOffsets > 20, "offsets near the cube checked: " + checkedOffsets);
    }

    /** The demonstrated row a turned one came from: the one whose joints but the first, velocities and goal radii it shares. */
    private static int source(double[] before, int n, int od, double[] obs, int row) {
        for (int s = 0; s < n; s++) {
            boolean same = true;
            for (int j = 1; j < 2 * ARM + 1 && same; j++) same = before[s * od + j] == obs[row * od + j];
            for (int p : new int[] {0, 4}) {   // the same distances from the axis: the same cube and target
                same &= Math.abs(Math.hypot(before[s * od + GOAL + p], before[s * od + GOAL + p + 1])
                        - Math.hypot(obs[row * od + GOAL + p], obs[row * od + GOAL + p + 1])) < 1e-12;
            }
            if (same) return s;
        }
        return -1;
    }

    private static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v)) * HandFeature.SCALE;
    }

    @Test
    void theSameSeedTurnsAlikeAndHistoryFramesTurnTogether() throws Exception {
        RobotModel model = LearnFixtures.arm();
        PolicyLayout layout = layout(model);
        Dataset a = expertStates(layout, model), b = expertStates(layout, model);
        turns(layout, model).addTo(a, 0, 2, 0.3, 5);
        turns(layout, model).addTo(b, 0, 2, 0.3, 5);
        assertArrayEquals(Arrays.copyOf(a.observations(), a.size() * a.obsDim()), Arrays.copyOf(b.observations(), b.size() * b.obsDim()));
        // rows of two observations (a history): both frames by the same angle
        int od = layout.observationSize();
        Dataset one = expertStates(layout, model), two = new Dataset(2 * od, layout.actions());
        double[] row = new double[2 * od];
        for (int r = 1; r < one.size(); r++) {
            System.arraycopy(one.observations(), (r - 1) * od, row, 0, od);
            System.arraycopy(one.observations(), r * od, row, od, od);
            two.addTarget(row, 0, one.targets(), r * one.actDim());
        }
        int n = two.size();
        turns(layout, model).addTo(two, 0, 1, 0.3, 5);
        double[] obs = two.observations();
        for (int r = n; r < two.size(); r++) {
            // both frames' first joint moved alike: the same δ
            int src = -1;
            for (int s = 0; s < n && src < 0; s++) if (obs[s * 2 * od + 1] == obs[r * 2 * od + 1] && obs[s * 2 * od + od + 1] == obs[r * 2 * od + od + 1]) src = s;
            assertTrue(src >= 0);
            assertEquals(obs[r * 2 * od] - obs[src * 2 * od], obs[r * 2 * od + od] - obs[src * 2 * od + od], 1e-12);
        }
    }

    /**
     * The mirror image: the flipped joints' positions, velocities and actions negated (the last
     * also turned as the hand needs), the rest as they were, the cube and target mirrored (y →
     * −y), the yaw negated, and the hand's offset from the cube (from the joints, through the hand
     * feature) mirrored with them.
     */
    @Test
    void aMirroredCopyIsTheSceneMirroredWithTheFlippedJointsActionsNegated() throws Exception {
        RobotModel model = LearnFixtures.arm();
        PolicyLayout layout = layout(model);
        Dataset data = expertStates(layout, model);
        int n = data.size(), od = data.obsDim(), ad = data.actDim();
        ArmSymmetries.Result r = symmetries(layout, model, true).addTo(data, 0, 0, 0.4, 11);
        assertEquals(n, r.mirrored() + r.missed());
        assertTrue(r.mirrored() > n * 3 / 4, r.describe(0, 0.4));   // twelve episodes' cubes and targets cover the region unevenly
        assertEquals(n + r.mirrored(), data.size());
        boolean[] flips = {true, false, true, false, true, false, true};   // Franka's kinematics: the joints about vertical-ish axes
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(model);
        double lastOffset = ArmMirror.of(chain, BaseAxis.of(chain, null), null).lastOffset();
        double[] obs = data.observations(), u = data.targets();
        int mirrored = n, checkedOffsets = 0;
        for (int src = 0; src < n && mirrored < data.size(); src++) {
            int a = mirrored * od, b = src * od;
            if (obs[a + 1] != obs[b + 1] || Math.abs(obs[a] + obs[b]) > 1e-12) continue;   // this one was left out
            for (int j = 0; j < ARM; j++) {
                double s = flips[j] ? -1 : 1;
                if (j < ARM - 1) {
                    assertEquals(s * obs[b + j], obs[a + j], 0, "joint " + j);
                } else {   // the hand sits 45° turned on the flange: the last joint a quarter turn further, or half a turn from there
                    assertEquals(0, Math.sin(obs[a + j] + obs[b + j] - lastOffset), 1e-12, "joint " + j);
                }
                assertEquals(s * obs[b + ARM + j], obs[a + ARM + j], 0, "velocity " + j);
                assertEquals(s * u[src * ad + j], u[mirrored * ad + j], 0, "action " + j);
            }
            assertEquals(u[src * ad + ARM], u[mirrored * ad + ARM], 0, "the gripper's action");
            for (int p : new int[] {0, 4}) {
                assertEquals(obs[b + GOAL + p], obs[a + GOAL + p], 0);
                assertEquals(-obs[b + GOAL + p + 1], obs[a + GOAL + p + 1], 1e-15);
            }
            double yaw = -obs[b + GOAL + 3], quarters = (yaw - obs[a + GOAL + 3]) / (Math.PI / 2);
            assertEquals(Math.rint(quarters), quarters, 1e-9, "yaw");
            assertEquals(obs[b + HAND], obs[a + HAND], 1e-7, "hand − cube: x stays (to the URDF's rounding)");
            assertEquals(-obs[b + HAND + 1], obs[a + HAND + 1], 1e-7, "hand − cube: y mirrored");
            assertEquals(obs[b + HAND + 2], obs[a + HAND + 2], 1e-7, "hand − cube: z stays");
            checkedOffsets++;
            mirrored++;
        }
        assertEquals(data.size(), mirrored, "every mirror image follows its sample in order");
        assertTrue(checkedOffsets > 100, "checked " + checkedOffsets);
    }

    @Test
    void nonsenseCountsAndRangesAreRefused() throws Exception {
        RobotModel model = LearnFixtures.arm();
        PolicyLayout layout = layout(model);
        Dataset data = expertStates(layout, model);
        ArmSymmetries t = turns(layout, model);
        assertEquals("--turns must be 0..100, got 101", assertThrows(IllegalArgumentException.class, () -> t.addTo(data, 0, 101, 0.5, 1)).getMessage());
        assertEquals("--turn-range must be in (0, π] rad, got 0.0", assertThrows(IllegalArgumentException.class, () -> t.addTo(data, 0, 2, 0, 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ArmSymmetries(layout, new BaseAxis(0, 0, 1), null, new int[] {6}, -1))
                .getMessage().contains("goal point at 6 is past the goal's 7 values"));
    }
}
