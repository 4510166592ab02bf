package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;

/** The ODE simulator: physics sanity, ros_control semantics, the wrist sensor, determinism. */
class SimulatorTest {

    static final int N = 7;
    // joint damping applied at the 100 Hz control rate: the light wrist joints take less, or the
    // delayed damping itself would shake them (d T / I < 1)
    static final double[] LIGHT_DAMPING = {2, 2, 2, 2, 0.3, 0.3, 0.1};
    static final double[] DRAG_DAMPING = {10, 10, 10, 10, 1, 1, 0.2};

    static Simulation sim(ControlMode mode, String task) throws Exception {
        RobotModel m = KinematicsTest.arm();
        Task t = Task.named(task);
        return new Simulation(m, ArmLayout.TEACH_ARM, t.physics(), Simulation.Settings.defaults(mode), t);
    }

    static double[] arm(Simulation s) {
        double[] q = new double[N];
        s.armPositions(q);
        return q;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void droppedCubeComesToRestOnTheTable() throws Exception {
        Simulation s = sim(ControlMode.POSITION, "pick_place");
        s.reset(1);
        s.world().placeCube(0.5, 0.1, 0.2, 0.3);
        double[] q = arm(s), cube = new double[4];
        for (int i = 0; i < 100; i++) s.step(q, 0.04);
        s.world().cubePose(cube);
        assertEquals(0.025, cube[2], 0.002, "cube centre height after falling onto the table");
        assertEquals(0.5, cube[0], 0.002);
        assertEquals(0.1, cube[1], 0.002);
        assertTrue(s.world().cubeSpeed() < 1e-3, "cube still moving at " + s.world().cubeSpeed() + " m/s");
    }

    @Test
    void gravityCompensationHoldsTheArmStill() throws Exception {
        Simulation s = sim(ControlMode.EFFORT, "none");
        s.reset(2);
        Dynamics d = new Dynamics(KinematicsTest.arm(), s.chain());
        double[] q = new double[N], tau = new double[N], qd = new double[N], start = new double[16];
        s.tcpPose(start);
        for (int i = 0; i < 200; i++) {
            // a floating arm balances on an unstable equilibrium: light damping, as drag teaching adds, keeps it there
            s.armPositions(q);
            s.armVelocities(qd);
            d.gravity(q, tau);
            for (int k = 0; k < N; k++) tau[k] -= LIGHT_DAMPING[k] * qd[k];
            s.step(tau, 0.04);
        }
        double[] tcp = new double[16];
        s.tcpPose(tcp);
        s.armVelocities(qd);
        double drift = Math.sqrt(sq(tcp[3] - start[3]) + sq(tcp[7] - start[7]) + sq(tcp[11] - start[11]));
        assertTrue(drift < 0.003, "the hand drifted " + drift + " m in 2 s under gravity compensation");
        assertTrue(maxAbs(qd) < 0.05, "joint speeds after 2 s: " + Arrays.toString(qd));
    }

    @Test
    void aWrenchOnTheFlangeMovesAFloatingArmAndItStopsWhenReleased() throws Exception {
        Simulation s = sim(ControlMode.EFFORT, "none");
        s.reset(3);
        Dynamics d = new Dynamics(KinematicsTest.arm(), s.chain());
        double[] q = new double[N], qd = new double[N], tau = new double[N], start = new double[16], tcp = new double[16];
        s.tcpPose(start);
        // gravity compensation plus joint damping: what drag_teach's gravity mode sends
        Runnable floating = () -> {
            s.armPositions(q);
            s.armVelocities(qd);
            d.gravity(q, tau);
            for (int i = 0; i < N; i++) tau[i] -= DRAG_DAMPING[i] * qd[i];
            s.step(tau, 0.04);
        };
        s.world().setExternalWrench("arm_link8", 0, 0, 15, 0, 0, 0);   // push along the flange's z
        for (int i = 0; i < 50; i++) floating.run();
        s.tcpPose(tcp);
        double moved = Math.sqrt(sq(tcp[3] - start[3]) + sq(tcp[7] - start[7]) + sq(tcp[11] - start[11]));
        assertTrue(moved > 0.02, "the hand moved only " + moved + " m under a 15 N push");
        s.world().setExternalWrench("arm_link8", 0, 0, 0, 0, 0, 0);
        for (int i = 0; i < 300; i++) floating.run();
        double[] before = new double[16];
        s.tcpPose(before);
        for (int i = 0; i < 50; i++) floating.run();
        s.tcpPose(tcp);
        double drift = Math.sqrt(sq(tcp[3] - before[3]) + sq(tcp[7] - before[7]) + sq(tcp[11] - before[11]));
        assertTrue(drift < 0.002, "after release the hand still moved " + drift + " m in 0.5 s");
    }

    @Test
    void positionControllerSettlesOnAStepWithoutRinging() throws Exception {
        Simulation s = sim(ControlMode.POSITION, "none");
        s.reset(4);
        double[] target = arm(s), q = new double[N];
        for (int i = 0; i < N; i++) target[i] += 0.2;
        double[] peak = new double[N];
        for (int k = 0; k < 100; k++) {
            s.step(target, 0.04);
            s.armPositions(q);
            for (int i = 0; i < N; i++) peak[i] = Math.max(peak[i], q[i] - target[i]);
        }
        for (int i = 0; i < N; i++) q[i] -= target[i];
        assertTrue(maxAbs(q) < 0.01, "error 1 s after a 0.2 rad step: " + Arrays.toString(q));
        assertTrue(maxAbs(peak) < 0.06, "overshoot beyond the target: " + Arrays.toString(peak));
    }

    @Test
    void velocityControllerHoldsTheCommandedVelocity() throws Exception {
        Simulation s = sim(ControlMode.VELOCITY, "none");
        s.reset(5);
        double[] v = {0.3, 0, 0, 0, 0, 0, -0.2}, qd = new double[N];
        for (int k = 0; k < 30; k++) s.step(v, 0.04);
        s.armVelocities(qd);
        assertEquals(0.3, qd[0], 0.01);
        assertEquals(-0.2, qd[6], 0.01);
        assertEquals(0, qd[3], 0.01);
    }

    @Test
    void effortsStayWithinTheUrdfLimits() throws Exception {
        Simulation s = sim(ControlMode.EFFORT, "none");
        s.reset(6);
        double[] e = {500, -500, 500, -500, 500, -500, 500};
        s.step(e, 0.04);
        for (int i = 0; i < N; i++) {
            double limit = s.chain().effortLimit(i);
            assertTrue(Math.abs(s.world().effort(i)) <= limit + 1e-9, "joint " + (i + 1) + " effort " + s.world().effort(i) + " > " + limit);
        }
    }

    @Test
    void wristSensorReadsTheWrenchOnTheHandWithoutTheToolsWeight() throws Exception {
        Simulation s = sim(ControlMode.POSITION, "none");
        s.reset(7);
        double[] hold = arm(s), w = new double[6];
        for (int k = 0; k < 100; k++) s.step(hold, 0.04);
        s.world().sensedWrench(w);
        assertTrue(maxAbs(w) < 0.2, "sensor at rest should read about zero: " + Arrays.toString(w));
        s.world().setExternalWrench("hand", 4, -3, 2, 0, 0, 0.5);
        for (int k = 0; k < 100; k++) s.step(hold, 0.04);
        s.world().sensedWrench(w);
        assertArrayEquals(new double[] {4, -3, 2, 0, 0, 0.5}, w, 0.2, "force and torque in the hand frame: " + Arrays.toString(w));
    }

    @Test
    void wristSensorFeelsTheWeightOfAHeldCube() throws Exception {
        Simulation s = sim(ControlMode.POSITION, "pick_place");
        Expert e = Expert.forTask("pick_place", s.chain(), ArmLayout.TEACH_ARM, 0.01, 0.05);
        s.reset(21);
        double[] q = new double[N], act = new double[N + 1], cmd = new double[N], cube = new double[4], w = new double[6];
        double[] hand = new double[16];
        while (!s.done()) {
            s.armPositions(q);
            e.act(q, s.gripperOpening(), s.goal(), act);
            System.arraycopy(act, 0, cmd, 0, N);
            s.step(cmd, act[N]);
            s.world().cubePose(cube);
            if (cube[2] > 0.1) break;   // lifted
        }
        assertTrue(cube[2] > 0.1, "the expert never lifted the cube");
        for (int k = 0; k < 50; k++) s.step(cmd, act[N]);   // hold it still in the air
        s.world().sensedWrench(w);
        s.world().linkPose("hand", hand);
        double fz = hand[8] * w[0] + hand[9] * w[1] + hand[10] * w[2];   // world z of the sensed force
        // quickStep's contact forces are an unconverged solve: averaged over a control period they read the weight within 25 %
        assertEquals(-0.1 * 9.81, fz, 0.25, "sensed force along world z while holding the 100 g cube: " + Arrays.toString(w));
    }

    @Test
    void sameSeedSameTrajectoryDifferentSeedDifferentEpisode() throws Exception {
        for (String task : new String[] {"reach", "pick_place"}) {
            Simulation s = sim(ControlMode.POSITION, task);
            Expert e = Expert.forTask(task, s.chain(), ArmLayout.TEACH_ARM, 0.01, 0.05);
            List<double[]> a = run(s, e, 9), b = run(s, e, 9), c = run(s, e, 10);
            for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k), b.get(k), 0.0, task + " step " + k);
            assertFalse(Arrays.equals(a.get(a.size() - 1), c.get(c.size() - 1)), task + ": seeds 9 and 10 gave the same episode");
        }
    }

    private static List<double[]> run(Simulation s, Expert e, long seed) {
        s.reset(seed);
        List<double[]> out = new ArrayList<>();
        double[] q = new double[N], act = new double[N + 1], cmd = new double[N];
        for (int k = 0; k < 150 && !s.done(); k++) {
            s.armPositions(q);
            e.act(q, s.gripperOpening(), s.goal(), act);
            System.arraycopy(act, 0, cmd, 0, N);
            s.step(cmd, act[N]);
            double[] rec = Arrays.copyOf(q, N + s.goal().length);
            System.arraycopy(s.goal(), 0, rec, N, s.goal().length);
            out.add(rec);
        }
        return out;
    }

    @Test
    void ourPartOfAStepAllocatesNothing() throws Exception {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String task : new String[] {"reach", "pick_place"}) {
            Simulation s = sim(ControlMode.POSITION, task);
            long[] inside = new long[1];
            long[] at = new long[1];
            s.world().setPhysicsMeter(new ArmWorld.PhysicsMeter() {
                @Override
                public void enter() {
                    at[0] = mx.getCurrentThreadAllocatedBytes();
                }

                @Override
                public void exit() {
                    inside[0] += mx.getCurrentThreadAllocatedBytes() - at[0];
                }
            });
            double[] cmd = new double[N];
            s.reset(1);
            s.armPositions(cmd);
            cmd[0] += 0.3;     // a move, then a hold: the controllers, sensor and task all at work
            int steps = 1000;
            for (int warm = 0; warm < 3 * steps; warm++) s.step(cmd, 0.04);
            // step by step: an allocation of ours shows in every step; the allocation counter's
            // bookkeeping around ode4j's large arrays (a GC, a new TLAB) only in a few
            int clean = 0;
            long odeBytes = 0;
            for (int k = 0; k < steps; k++) {
                inside[0] = 0;
                long before = mx.getCurrentThreadAllocatedBytes();
                s.step(cmd, 0.04);
                long outside = mx.getCurrentThreadAllocatedBytes() - before - inside[0];
                if (outside == 0) clean++;
                odeBytes += inside[0];
            }
            assertTrue(clean > 0.95 * steps, task + ": only " + clean + " of " + steps + " control steps allocated nothing outside ode4j"
                    + " (ode4j: " + odeBytes / steps + " B/step)");
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    @Test
    void anEffortControlledArmHoldsWithGravityAndDampingInsteadOfFalling() throws Exception {
        Simulation s = sim(ControlMode.EFFORT, "reach");
        s.reset(3);
        double[] start = new double[s.armDof()], now = new double[s.armDof()];
        s.armPositions(start);
        for (int k = 0; k < 100; k++) s.advance();   // one second without a command: held since the reset
        s.armPositions(now);
        double drift = 0;
        for (int i = 0; i < start.length; i++) drift = Math.max(drift, Math.abs(now[i] - start[i]));
        System.out.printf("effort hold: largest drift %.4f rad over 1 s%n", drift);
        assertTrue(drift < 0.05, "an effort-controlled arm sagged " + drift + " rad while holding");
        s.step(new double[s.armDof()], Double.NaN);   // zero effort: now it falls
        for (int k = 0; k < 50; k++) s.step(new double[s.armDof()], Double.NaN);
        s.armPositions(now);
        double fell = 0;
        for (int i = 0; i < start.length; i++) fell = Math.max(fell, Math.abs(now[i] - start[i]));
        assertTrue(fell > 0.05, "zero effort should let the arm fall (the hold test would mean nothing): " + fell);
        double[] v0 = new double[s.armDof()], v1 = new double[s.armDof()];
        s.armVelocities(v0);
        s.hold();
        for (int k = 0; k < 100; k++) s.advance();
        s.armVelocities(v1);
        double before = 0, after = 0;
        for (int i = 0; i < v0.length; i++) {
            before = Math.max(before, Math.abs(v0[i]));
            after = Math.max(after, Math.abs(v1[i]));
        }
        System.out.printf("effort hold of a falling arm: fastest joint %.3f rad/s, one second later %.4f rad/s%n", before, after);
        assertTrue(after < 0.1 * before, "held after falling, the arm still moves at " + after + " rad/s (was " + before + ")");
    }
}
