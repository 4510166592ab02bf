package org.teachlearn.robot.teach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * The whole tick on teach_arm with an ideal arm (it is where it was commanded; its velocity is the
 * commanded one): start-up, holds, a parameter change without a jump, no allocation.
 */
class DragControllerTest {

    static final double DT = 0.01;
    static final double[] REST = ArmLayout.TEACH_ARM.restPose();

    static DragController controller(DragController.Mode mode, DragSettings s) throws Exception {
        RobotModel model = DragStagesTest.arm();
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(model), sensor = new KinematicChain(model, "arm_link0", "hand");
        ControlMode command = mode == DragController.Mode.GRAVITY ? ControlMode.EFFORT : ControlMode.POSITION;
        DragController c = new DragController(mode, command, chain, sensor, sensor, new Dynamics(model, chain), SensorLoad.NONE, REST, s, 25);
        c.settings().settle();
        return c;
    }

    /** Ticks an ideal arm that goes where it is commanded, with {@code raw} as the sensor's reading; returns the commands. */
    static double[][] run(DragController c, double[] q, double[] raw, int ticks) {
        double[] qd = new double[7], out = new double[7];
        double[][] commands = new double[ticks][];
        for (int i = 0; i < ticks; i++) {
            c.tick(q, qd, raw, DT, out);
            for (int j = 0; j < 7; j++) {
                qd[j] = (out[j] - q[j]) / DT;
                q[j] = out[j];
            }
            commands[i] = out.clone();
        }
        return commands;
    }

    @Test
    void startsAtTheMeasuredPoseAndHoldsUntilTared() throws Exception {
        DragController c = controller(DragController.Mode.ADMITTANCE, DragSettings.DEFAULTS);
        double[] q = REST.clone(), out = new double[7], raw = {3, 0, 0, 0, 0, 0};
        raw[0] = 3;
        for (int i = 0; i < 24; i++) {
            raw[0] = 3 + (i % 2);   // a hand on the arm: never steady
            assertEquals(DragController.Outcome.WAITING_FOR_TARE, c.tick(q, new double[7], raw, DT, out));
            assertArrayEquals(REST, out, 0, "before the tare: the measured pose");
        }
        for (int i = 0; i < 60; i++) {
            raw[0] = 3;   // let go: steady
            c.tick(q, new double[7], raw, DT, out);
        }
        assertTrue(c.tared(), c.describeTare());
        assertArrayEquals(REST, out, 1e-12, "tared with the bias: nothing moves");
    }

    @Test
    void aBadWrenchHoldsTheLastCommandAndTheMotionResumesFromIt() throws Exception {
        DragController c = controller(DragController.Mode.ADMITTANCE, DragSettings.DEFAULTS);
        double[] q = REST.clone();
        run(c, q, new double[6], 30);
        double[][] moving = run(c, q, new double[] {0, 8, 0, 0, 0, 0}, 50);
        double[] out = new double[7];
        assertEquals(DragController.Outcome.BAD_WRENCH, c.tick(q, new double[7], new double[] {Double.NaN, 0, 0, 0, 0, 0}, DT, out));
        assertArrayEquals(moving[49], out, 0, "a NaN holds the last command");
        assertEquals(DragController.Outcome.BAD_WRENCH, c.tick(q, new double[7], new double[] {1e9, 0, 0, 0, 0, 0}, DT, out));
        assertArrayEquals(moving[49], out, 0, "so does 1e9 N");
        double[][] resumed = run(c, q, new double[] {0, 8, 0, 0, 0, 0}, 20);
        double firstStep = DragSettings.DEFAULTS.maxJointAcceleration() * DT * DT;
        assertTrue(DragTeachSteps.max(moving[49], resumed[0]) <= firstStep + 1e-12, "resumes from the hold, from rest: no jump");
    }

    @Test
    void anArmMovedByItselfIsCommandedWhereItIsNotPulledBack() throws Exception {
        DragController c = controller(DragController.Mode.ADMITTANCE, DragSettings.DEFAULTS);
        double[] q = REST.clone();
        run(c, q, new double[6], 30);
        run(c, q, new double[] {0, 8, 0, 0, 0, 0}, 50);   // guided somewhere
        double[] reset = REST.clone(), out = new double[7];
        reset[1] += 0.3;   // a simulator reset (or another controller) puts the arm elsewhere
        assertEquals(0, c.resyncs());
        assertEquals(DragController.Outcome.COMMAND, c.tick(reset, new double[7], new double[6], DT, out));
        assertEquals(1, c.resyncs());
        assertArrayEquals(reset, out, 1e-9, "commanded where it is now, not dragged back to the old command");
        double[][] after = run(c, reset.clone(), new double[6], 20);
        assertArrayEquals(reset, after[19], 1e-9, "and it stays there");
        assertEquals(1, c.resyncs());
        // the command's own lag at speed never counts as a move by something else
        DragController d = controller(DragController.Mode.ADMITTANCE, DragSettings.DEFAULTS);
        double[] r = REST.clone();
        run(d, r, new double[6], 30);
        run(d, r, new double[] {0, 25, 0, 0, 0, 0}, 300);
        assertEquals(0, d.resyncs());
    }

    @Test
    void aToolMassChangeRampsInWhereAnAbruptOneWouldJerk() throws Exception {
        // the tool's weight was not in the reading: telling drag_teach of 2 kg makes a phantom 20 N that moves the arm;
        // the joints' acceleration limit is lifted so that the ramp alone is what smooths it
        double jerkRamped = accelerationAfterToolChange(0.5), jerkAbrupt = accelerationAfterToolChange(0);
        assertTrue(jerkRamped < jerkAbrupt / 3, "largest change of joint speed per tick: ramped " + jerkRamped + ", abrupt " + jerkAbrupt);
    }

    private static double accelerationAfterToolChange(double rampTime) throws Exception {
        DragController c = controller(DragController.Mode.ADMITTANCE, DragSettings.DEFAULTS.with("ramp_time", rampTime)
                .with("deadband_force", 0.1).with("deadband_onset_force", 0.1).with("mass_x", 0.2).with("mass_y", 0.2).with("mass_z", 0.2).with("max_joint_acceleration", 1000));
        double[] q = REST.clone();
        double[][] still = run(c, q, new double[6], 30);
        c.settings().set(c.settings().target().with("tool_mass", 2));
        double[][] after = run(c, q, new double[6], 100), cmd = new double[102][];
        cmd[0] = still[28];
        cmd[1] = still[29];
        System.arraycopy(after, 0, cmd, 2, 100);
        double worst = 0;
        for (int i = 2; i < cmd.length; i++) {
            for (int j = 0; j < 7; j++) worst = Math.max(worst, Math.abs(cmd[i][j] - 2 * cmd[i - 1][j] + cmd[i - 2][j]));
        }
        return worst;
    }

    @Test
    void gravityModeFloatsTheArmAndLimitsTheTorqueRate() throws Exception {
        DragController c = controller(DragController.Mode.GRAVITY, DragSettings.DEFAULTS);
        RobotModel model = DragStagesTest.arm();
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(model);
        double[] g = new double[7], out = new double[7], qd = new double[7];
        new Dynamics(model, chain).gravity(REST, g);
        c.tick(REST, qd, null, DT, out);
        assertArrayEquals(g, out, 1e-9, "at rest: exactly the arm's gravity");
        qd[0] = 100;   // a velocity spike (a glitch in the reading)
        c.tick(REST, qd, null, DT, out);
        assertEquals(g[0] - DragSettings.DEFAULTS.maxTorqueRate() * DT, out[0], 1e-9, "the torque changes at most max_torque_rate per second");
        assertThrows(IllegalArgumentException.class, () -> new DragController(DragController.Mode.GRAVITY, ControlMode.POSITION, chain, null, chain,
                new Dynamics(model, chain), SensorLoad.NONE, REST, DragSettings.DEFAULTS, 10), "gravity mode on a position-controlled arm is refused");
    }

    @Test
    void gravityModesLockHoldsWhereItBeganAndLetsGoOfAJump() throws Exception {
        DragController c = controller(DragController.Mode.GRAVITY, DragSettings.DEFAULTS.withSelectedAxes("x y z"));
        RobotModel model = DragStagesTest.arm();
        Dynamics dynamics = new Dynamics(model, ArmLayout.TEACH_ARM.chain(model));
        double[] g = new double[7], out = new double[7], qd = new double[7];
        dynamics.gravity(REST, g);
        c.tick(REST, qd, null, DT, out);
        assertArrayEquals(g, out, 1e-9, "where the lock begins it adds nothing");
        double[] turned = REST.clone();
        turned[6] += 0.05;   // the hand turned about its own axis by the last joint
        dynamics.gravity(turned, g);
        c.tick(turned, qd, null, DT, out);
        double back = out[6] - g[6];
        // 20 N m/rad × 0.05 rad about the hand's axis, less where that joint is too light for all of it
        assertTrue(back < -0.3 && back >= -1.0 - 1e-9, "the spring turns it back: " + back + " N m");
        double[] elsewhere = REST.clone();
        elsewhere[6] += 1.0;   // a reset put the arm elsewhere: pulling the hand back a radian would be a jump
        dynamics.gravity(elsewhere, g);
        for (int i = 0; i < 3; i++) c.tick(elsewhere, qd, null, DT, out);
        assertArrayEquals(g, out, 1e-9, "the lock holds from the new pose (the torque rate limit takes the old spring's torque away)");
    }

    @Test
    void aTickAllocatesNothing() throws Exception {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (DragController.Mode mode : DragController.Mode.values()) {
            DragController c = controller(mode, DragSettings.DEFAULTS.with("stiffness_x", 10).with("tool_mass", 0.3).withSelectedAxes("x y z"));
            double[] q = REST.clone(), qd = new double[7], out = new double[7], raw = new double[6];
            run(c, q, raw, 50);
            // warm-up: on a loaded machine C2 (and its escape analysis) can take a while to compile the tick
            for (int i = 0; i < 200_000; i++) tickOnce(c, q, qd, raw, out, i);
            c.settings().set(c.settings().target().with("damping_y", 30));      // a ramp in progress counts too
            long before = mx.getCurrentThreadAllocatedBytes();
            int ticks = 50_000;
            for (int i = 0; i < ticks; i++) tickOnce(c, q, qd, raw, out, i);
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(bytes < ticks / 100, mode + ": " + bytes + " B over " + ticks + " ticks");
        }
    }

    private static void tickOnce(DragController c, double[] q, double[] qd, double[] raw, double[] out, int i) {
        raw[1] = 6 * Math.sin(i * 0.01);
        raw[2] = 3 * Math.cos(i * 0.013);
        c.tick(q, qd, raw, DT, out);
        if (c.commandMode() == ControlMode.POSITION) {
            for (int j = 0; j < 7; j++) {
                qd[j] = (out[j] - q[j]) / DT;
                q[j] = out[j];
            }
        }
    }

    /** Small helpers for comparing commands. */
    static final class DragTeachSteps {
        static double max(double[] a, double[] b) {
            double m = 0;
            for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
            return m;
        }
    }
}
