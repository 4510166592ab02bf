package org.teachlearn.robot.teleop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * The teleoperation tick on teach_arm with an ideal arm (it is where it was commanded): the tool
 * follows the controller's motion carried from WebXR's y-up space into the base, scaled and
 * turned; release holds; every press re-anchors; each kind of tracking loss holds until the clutch
 * is pressed again; the command never jumps; the tick allocates nothing.
 */
class TeleopControllerTest {

    static final double DT = 0.01;
    static final long TICK = 10_000_000L;

    /** A controller, an ideal arm at rest and a clock. */
    static final class Rig {
        final KinematicChain chain;
        final TeleopController c;
        final double[] q = ArmLayout.TEACH_ARM.restPose().clone(), out = new double[7], fk = new double[16];
        final double[] hand = {0.2, 1.1, -0.3, 0, 0, 0, 1};   // the controller, WebXR tracking frame
        long now = 1_000_000_000L;

        Rig(TeleopSettings s) throws Exception {
            chain = ArmLayout.TEACH_ARM.chain(UrdfParser.parse(java.nio.file.Path.of("../urdf/teach_arm.urdf")));
            DragSettings limits = DragSettings.DEFAULTS.with("max_linear_speed", 0.6).with("max_joint_acceleration", 20);
            c = new TeleopController(chain, ControlMode.POSITION, ArmLayout.TEACH_ARM.restPose(), limits, s,
                    TrackingToBase.of(TrackingToBase.webxrYUp()), 0.04);
        }

        /** One control period: the pose arrives, then the tick; the arm goes where it was commanded. */
        boolean step() {
            now += TICK;
            c.pose(hand[0], hand[1], hand[2], hand[3], hand[4], hand[5], hand[6], now);
            boolean engaged = c.tick(q, DT, now, out);
            System.arraycopy(out, 0, q, 0, 7);
            return engaged;
        }

        void steps(int k) {
            for (int i = 0; i < k; i++) step();
        }

        double[] tool() {
            chain.forward(q, fk);
            return new double[] {fk[3], fk[7], fk[11]};
        }
    }

    @Test
    void theToolFollowsTheHandCarriedIntoTheBaseFrame() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.steps(3);
        r.c.buttons(true, 0);
        r.steps(3);
        assertEquals(TeleopController.State.ENGAGED, r.c.state());
        double[] start = r.tool();
        // WebXR: up is +y, ahead is −z; the base: up is +z, ahead is +x
        for (int i = 0; i < 20; i++) {   // a quick hand: 0.13 m in 0.2 s
            r.hand[1] += 0.005;
            r.hand[2] -= 0.004;
            r.step();
        }
        r.steps(150);
        double[] end = r.tool();
        assertEquals(0.08, end[0] - start[0], 0.005, "ahead");
        assertEquals(0.0, end[1] - start[1], 0.005, "sideways");
        assertEquals(0.10, end[2] - start[2], 0.005, "up");
    }

    @Test
    void scaleShrinksTheMotion() throws Exception {
        Rig r = new Rig(new TeleopSettings(0.5, true, 20, 0.1, 0.1, 5));
        r.c.buttons(true, 0);
        r.steps(3);
        double[] start = r.tool();
        r.hand[0] -= 0.1;   // WebXR −x (left) is base +y
        r.steps(150);
        assertEquals(0.05, r.tool()[1] - start[1], 0.004);
    }

    @Test
    void theToolTurnsAsTheHandTurns() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.c.buttons(true, 0);
        r.steps(3);
        double[] before = r.chain.jointNames().length == 7 ? rotation(r) : null;
        // a turn of 0.3 rad about WebXR's up (y) is a turn about the base's up (z)
        double h = 0.15;
        r.hand[4] = Math.sin(h);
        r.hand[6] = Math.cos(h);
        r.steps(200);
        double[] after = rotation(r);
        double yawBefore = Math.atan2(before[3], before[0]), yawAfter = Math.atan2(after[3], after[0]);
        assertEquals(0.3, yawAfter - yawBefore, 0.02);
    }

    private static double[] rotation(Rig r) {
        r.chain.forward(r.q, r.fk);
        double[] m = new double[9];
        Rotation3.ofTransform(r.fk, m);
        return m;
    }

    @Test
    void releaseHoldsAndEveryPressReAnchors() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.c.buttons(true, 0);
        r.steps(3);
        r.hand[1] += 0.05;
        r.steps(100);
        r.c.buttons(false, 0);
        double[] held = r.q.clone();
        for (int i = 0; i < 50; i++) {
            r.hand[1] -= 0.002;   // the hand goes back down, clutch released: nothing moves
            assertFalse(r.step());
            assertArrayEquals(held, r.out, 0.0);
        }
        double[] before = r.tool();
        r.c.buttons(true, 0);
        r.step();
        assertArrayEquals(held, r.q, 1e-9, "re-anchored where it is: no jump at the press");
        r.hand[1] += 0.03;
        r.steps(150);
        assertEquals(0.03, r.tool()[2] - before[2], 0.004, "only the motion after the press counts");
    }

    @Test
    void everyKindOfTrackingLossHoldsUntilTheClutchIsPressedAgain() throws Exception {
        double[][] bad = {
            {Double.NaN, 1, 0, 0, 0, 0, 1},
            {0.2, Double.POSITIVE_INFINITY, 0, 0, 0, 0, 1},
            {0.2, 1.1, -0.3, 0, 0, 0, 0.5},          // not a unit quaternion
            {0, 0, 0, 0, 0, 0, 1},                    // the zero pose of a lost tracker
            {0, 0, 0, 0, 0, 0, 0},
            {10, 1.1, -0.3, 0, 0, 0, 1},              // 10 m away
            {0.2, 1.4, -0.3, 0, 0, 0, 1},             // a 0.3 m jump
        };
        for (double[] pose : bad) {
            Rig r = new Rig(TeleopSettings.DEFAULTS);
            r.c.buttons(true, 0);
            r.steps(3);
            r.hand[1] += 0.02;
            r.steps(5);
            double[] last = r.out.clone();
            r.now += TICK;
            int verdict = r.c.pose(pose[0], pose[1], pose[2], pose[3], pose[4], pose[5], pose[6], r.now);
            assertTrue(verdict != PoseGuard.OK, java.util.Arrays.toString(pose));
            assertFalse(r.c.tick(r.q, DT, r.now, r.out), "held at once: within the same control period");
            assertArrayEquals(last, r.out, 0.0, "holds the last command");
            assertTrue(r.c.takeLoss());
            assertEquals(TeleopController.State.LOST, r.c.state());
            r.steps(20);   // tracking back, clutch still held: still holding
            assertEquals(TeleopController.State.LOST, r.c.state(), r.c.describeLoss());
            assertArrayEquals(last, r.out, 0.0);
            r.c.buttons(false, 0);
            r.step();
            r.c.buttons(true, 0);
            assertTrue(r.step(), "pressed again: engaged");
        }
    }

    @Test
    void aStalePoseIsTrackingLoss() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.c.buttons(true, 0);
        r.steps(3);
        long quietUntil = r.now + 150_000_000L;
        boolean engaged = true;
        while (r.now < quietUntil) {
            r.now += TICK;
            engaged = r.c.tick(r.q, DT, r.now, r.out);   // ticks, no poses
        }
        assertFalse(engaged);
        assertTrue(r.c.describeLoss().contains("~pose_timeout"), r.c.describeLoss());
    }

    @Test
    void aFarTargetIsReachedAtLimitedSpeedWithoutAJump() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.c.buttons(true, 0);
        r.steps(3);
        double[] prev = r.q.clone();
        double maxStep = 0;
        for (int i = 0; i < 300; i++) {
            if (i < 5) r.hand[2] -= 0.09;   // 0.45 m ahead within 50 ms: each message under ~max_pose_jump
            r.step();
            for (int j = 0; j < 7; j++) {
                maxStep = Math.max(maxStep, Math.abs(r.q[j] - prev[j]) / (r.chain.velocityLimit(j) * DT));
            }
            System.arraycopy(r.q, 0, prev, 0, 7);
        }
        assertTrue(maxStep <= 0.5 + 1e-9, "a joint moved " + maxStep + " of its URDF velocity limit in one tick (limit: joint_velocity_scale 0.5)");
    }

    @Test
    void theWorkspaceBoxBoundsTheTool() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        double top = r.tool()[2] + 0.05;
        DragSettings box = DragSettings.DEFAULTS.with("workspace_max_z", top);
        TeleopController c = new TeleopController(r.chain, ControlMode.POSITION, ArmLayout.TEACH_ARM.restPose(), box, TeleopSettings.DEFAULTS,
                TrackingToBase.of(TrackingToBase.webxrYUp()), 0.04);
        double[] q = r.q, out = r.out;
        c.buttons(true, 0);
        long now = 1;
        for (int i = 0; i < 300; i++) {
            now += TICK;
            double up = Math.min(0.3, i * 0.005);
            c.pose(0.2, 1.1 + up, -0.3, 0, 0, 0, 1, now);
            c.tick(q, DT, now, out);
            System.arraycopy(out, 0, q, 0, 7);
        }
        assertTrue(r.tool()[2] <= top + 1e-3, "tool at z " + r.tool()[2] + " above the box's top " + top);
    }

    @Test
    void theTriggerOpensAndClosesTheGripperContinuously() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.c.buttons(true, 0);
        assertEquals(0.04, r.c.gripperOpening(), 1e-12);
        r.c.buttons(true, 0.25);
        assertEquals(0.03, r.c.gripperOpening(), 1e-12);
        r.c.buttons(true, 1);
        assertEquals(0.0, r.c.gripperOpening(), 1e-12);
        r.c.buttons(true, Double.NaN);
        assertEquals(0.0, r.c.gripperOpening(), 1e-12, "a NaN trigger changes nothing");
    }

    @Test
    void badSettingsAreRefusedWithWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrackingToBase.of(new double[] {0, 0, 0, 0, 0, 0, 2}));
        assertTrue(e.getMessage().contains("qx qy qz qw"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrackingToBase.of(new double[] {0, 0, 0}));
        assertTrue(e.getMessage().contains("7 numbers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TeleopSettings(0, true, 20, 0.1, 0.1, 5));
    }

    @Test
    void theTickAllocatesNothing() throws Exception {
        Rig r = new Rig(TeleopSettings.DEFAULTS);
        r.c.buttons(true, 0.5);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long quietest = Long.MAX_VALUE;
        int ticks = 20_000;
        for (int w = 0; w < 6; w++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ticks; i++) {
                double t = (w * ticks + i) * DT;
                r.hand[0] = 0.2 + 0.05 * Math.sin(t);
                r.hand[1] = 1.1 + 0.05 * Math.cos(0.7 * t);
                r.step();
            }
            quietest = Math.min(quietest, mx.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(TeleopController.State.ENGAGED, r.c.state());
        assertEquals(0, quietest, "bytes over " + ticks + " ticks in the quietest window");
    }
}
