package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.sim.WristSensorModel;
import org.teachlearn.robot.urdf.Inertial;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * The wrist sensor in raw mode, as a real sensor reads: the wrench the hand exerts on the sensor in
 * the sensor ("hand") frame — bias, plus the weight of the hand, its fingers and the tool at the
 * current orientation, plus what the world pushes on the hand — and noise; and a tool whose mass the
 * arm really carries. Expected values are computed here from the URDF's inertials and the link poses.
 */
class WristSensorRawTest {

    static final int N = SimulatorTest.N;
    static final double TOOL_MASS = 0.5;
    static final double[] TOOL_COM = {0.01, -0.02, 0.08};
    static final double[] BIAS = {1.5, -0.7, 2.0, 0.05, -0.03, 0.02};
    static final String[] BEYOND_SENSOR = {"hand", "finger_left", "finger_right"};
    /** Arm poses to read at: the rest pose (null) and four others, the hand turned every way. */
    static final double[][] POSES = {
        null,
        {0.3, -0.4, 0.2, -1.8, 0.5, 1.2, 0.7},
        {-0.8, 0.2, -0.5, -1.2, -1.0, 2.0, -1.5},
        {1.2, 0.6, 0.4, -0.9, 1.4, 0.6, 2.2},
        {0.0, -0.2, 0.0, -2.4, 0.0, 0.5, 0.0}};

    static Simulation sim(double toolMass, ControlMode mode) throws Exception {
        Task t = Task.named("none");
        return new Simulation(KinematicsTest.arm(), ArmLayout.TEACH_ARM, t.physics().withTool(toolMass, TOOL_COM),
                Simulation.Settings.defaults(mode), t);
    }

    /** Holds {@code q} until the arm is at rest (every joint slower than 1e-4 rad/s), at most 20 s. */
    static void settle(Simulation s, double[] q) {
        double[] qd = new double[N];
        for (int k = 0; k < 2000; k++) {
            s.step(q, 0.04);
            s.armVelocities(qd);
            if (k > 100 && SimulatorTest.maxAbs(qd) < 1e-4) return;
        }
    }

    /**
     * What a raw sensor without noise should read now, from first principles: F = Σ mᵢ g (world −z) and
     * τ = Σ (cᵢ − p) × mᵢ g over the links beyond the sensor (their URDF inertials at their current
     * poses) and the tool, rotated into the hand frame, plus the bias.
     */
    static double[] expectedAtRest(ArmWorld w, RobotModel model, double toolMass) {
        double[] hand = new double[16], link = new double[16];
        w.linkPose("hand", hand);
        double[] fw = new double[3], tw = new double[3];
        for (String name : BEYOND_SENSOR) {
            Inertial in = model.link(name).inertial();
            w.linkPose(name, link);
            addWeight(link, in.mass(), in.origin().x(), in.origin().y(), in.origin().z(), hand, fw, tw);
        }
        addWeight(hand, toolMass, TOOL_COM[0], TOOL_COM[1], TOOL_COM[2], hand, fw, tw);
        double[] out = new double[6];
        for (int r = 0; r < 3; r++) {
            out[r] = hand[r] * fw[0] + hand[4 + r] * fw[1] + hand[8 + r] * fw[2] + BIAS[r];
            out[3 + r] = hand[r] * tw[0] + hand[4 + r] * tw[1] + hand[8 + r] * tw[2] + BIAS[3 + r];
        }
        return out;
    }

    private static void addWeight(double[] f, double m, double x, double y, double z, double[] sensor, double[] fw, double[] tw) {
        double[] c = {f[0] * x + f[1] * y + f[2] * z + f[3] - sensor[3], f[4] * x + f[5] * y + f[6] * z + f[7] - sensor[7],
            f[8] * x + f[9] * y + f[10] * z + f[11] - sensor[11]};
        double[] g = {0, 0, -9.81 * m};
        fw[2] += g[2];
        tw[0] += c[1] * g[2] - c[2] * g[1];
        tw[1] += c[2] * g[0] - c[0] * g[2];
        tw[2] += c[0] * g[1] - c[1] * g[0];
    }

    static double[] pose(Simulation s, double[] q) {
        if (q != null) return q.clone();
        double[] rest = new double[N];
        s.armPositions(rest);
        return rest;
    }

    @Test
    void atRestTheRawReadingIsBiasPlusTheWeightBeyondTheSensorAtEveryPose() throws Exception {
        RobotModel model = KinematicsTest.arm();
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.world().setWristSensorModel(WristSensorModel.raw(BIAS, 0, 0));
        s.reset(3);
        double[] w = new double[6];
        double totalMass = TOOL_MASS + 0.73 + 2 * 0.015;
        for (double[] q : POSES) {
            settle(s, pose(s, q));
            s.world().sensedWrench(w);
            double[] expected = expectedAtRest(s.world(), model, TOOL_MASS);
            assertArrayEquals(expected, w, 1e-9, "pose " + Arrays.toString(q) + ": " + Arrays.toString(w));
            double fx = w[0] - BIAS[0], fy = w[1] - BIAS[1], fz = w[2] - BIAS[2];
            assertEquals(9.81 * totalMass, Math.sqrt(fx * fx + fy * fy + fz * fz), 1e-9, "the weight of hand, fingers and tool");
        }
    }

    @Test
    void thePoseDecidesWhereTheWeightShowsInTheSensorFrame() throws Exception {
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.world().setWristSensorModel(WristSensorModel.raw(new double[6], 0, 0));
        s.reset(3);
        double[] w = new double[6], hand = new double[16];
        settle(s, handDown(s));
        s.world().linkPose("hand", hand);
        assertTrue(hand[10] < -0.99, "hand z along world z: " + hand[10]);
        s.world().sensedWrench(w);
        assertTrue(w[2] > 0.99 * 9.81 * 1.26, "pointing down, the weight pulls along the sensor's +z: " + Arrays.toString(w));
        double[] load = new double[4];
        s.world().wristLoad(load);
        assertEquals(1.26, load[0], 1e-12, "hand 0.73 + fingers 0.03 + tool 0.5 kg");
        // the fingers move symmetrically, so the centre of mass stays where the URDF puts it
        double cz = (0.73 * 0.03 + 0.03 * (0.0584 + 0.025) + TOOL_MASS * TOOL_COM[2]) / 1.26;
        assertArrayEquals(new double[] {TOOL_MASS * TOOL_COM[0] / 1.26, TOOL_MASS * TOOL_COM[1] / 1.26, cz},
                Arrays.copyOfRange(load, 1, 4), 1e-9, "centre of mass in the hand frame");
    }

    /** A pose near the rest pose with the hand pointing down (its z axis along world −z), found on a grid of joints 2, 4 and 6. */
    static double[] handDown(Simulation s) {
        double[] q = pose(s, null), best = q.clone(), tip = new double[16];
        double lowest = 2;
        for (double a = -1; a <= 1; a += 0.05) {
            for (double b = -1; b <= 1; b += 0.05) {
                for (double c = -1.5; c <= 1.5; c += 0.05) {
                    double[] t = q.clone();
                    t[1] += a;
                    t[3] = Math.max(s.chain().lower(3), Math.min(s.chain().upper(3), t[3] + b));
                    t[5] = Math.max(s.chain().lower(5), Math.min(s.chain().upper(5), t[5] + c));
                    s.chain().forward(t, tip);
                    if (tip[10] < lowest) {
                        lowest = tip[10];
                        best = t;
                    }
                }
            }
        }
        return best;
    }

    @Test
    void aPushOnTheHandShowsUpOnTopOfBiasAndWeight() throws Exception {
        RobotModel model = KinematicsTest.arm();
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.world().setWristSensorModel(WristSensorModel.raw(BIAS, 0, 0));
        s.reset(5);
        double[] q = pose(s, POSES[1]), w = new double[6];
        settle(s, q);
        s.world().setExternalWrench("hand", 4, -3, 2, 0, 0, 0.5);
        for (int k = 0; k < 50; k++) s.step(q, 0.04);   // the arm gives a little: the weight is read where it is now
        s.world().sensedWrench(w);
        double[] onTop = expectedAtRest(s.world(), model, TOOL_MASS);
        for (int i = 0; i < 6; i++) onTop[i] = w[i] - onTop[i];
        assertArrayEquals(new double[] {4, -3, 2, 0, 0, 0.5}, onTop, 1e-9, "the push, in the hand frame: " + Arrays.toString(onTop));
    }

    @Test
    void noiseHasItsStandardDeviationAndReplaysWithTheSeed() throws Exception {
        RobotModel model = KinematicsTest.arm();
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.world().setWristSensorModel(WristSensorModel.raw(BIAS, 0.5, 0.02));
        s.reset(11);
        double[] q = pose(s, null), w = new double[6];
        settle(s, q);
        int n = 20_000;
        double[] sum = new double[6], sq = new double[6], expected = expectedAtRest(s.world(), model, TOOL_MASS);
        for (int k = 0; k < n; k++) {
            s.world().sensedWrench(w);
            for (int i = 0; i < 6; i++) {
                double d = w[i] - expected[i];
                sum[i] += d;
                sq[i] += d * d;
            }
        }
        for (int i = 0; i < 6; i++) {
            double sd = i < 3 ? 0.5 : 0.02;
            assertEquals(0, sum[i] / n, 5 * sd / Math.sqrt(n), "axis " + i + ": noise has zero mean");
            assertEquals(sd, Math.sqrt(sq[i] / n), 0.03 * sd, "axis " + i + ": standard deviation");
        }
        double[] first = readings(s, 13, 5), again = readings(s, 13, 5), other = readings(s, 14, 5);
        assertArrayEquals(first, again, 0, "same seed, same noise");
        assertNotEquals(Arrays.toString(first), Arrays.toString(other), "another seed, other noise");
    }

    private static double[] readings(Simulation s, long seed, int steps) {
        s.reset(seed);
        double[] w = new double[6], out = new double[6 * steps];
        double[] q = new double[N];
        s.armPositions(q);
        for (int k = 0; k < steps; k++) {
            s.step(q, 0.04);
            s.world().sensedWrench(w);
            System.arraycopy(w, 0, out, 6 * k, 6);
        }
        return out;
    }

    @Test
    void theArmCarriesTheTool() throws Exception {
        // holding still, the joints supply the tool's weight: τ = Jᵀ (m g, r × m g), r from the tip to the tool
        double[] without = heldEfforts(0), with = heldEfforts(TOOL_MASS);
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.reset(3);
        double[] q = POSES[1].clone(), tip = new double[16], hand = new double[16];
        settle(s, q);
        s.armPositions(q);
        s.tcpPose(tip);
        s.world().linkPose("hand", hand);
        DMatrixRMaj j = new DMatrixRMaj(6, N);
        s.chain().jacobian(q, j);
        double mg = 9.81 * TOOL_MASS;
        double[] r = new double[3];
        for (int a = 0; a < 3; a++) r[a] = hand[4 * a] * TOOL_COM[0] + hand[4 * a + 1] * TOOL_COM[1] + hand[4 * a + 2] * TOOL_COM[2] + hand[4 * a + 3] - tip[4 * a + 3];
        double[] wrench = {0, 0, mg, r[1] * mg, -r[0] * mg, 0};   // what the arm must push up with, about the tip
        for (int i = 0; i < N; i++) {
            double tau = 0;
            for (int a = 0; a < 6; a++) tau += j.get(a, i) * wrench[a];
            assertEquals(tau, with[i] - without[i], 0.02 * Math.abs(tau) + 0.02, "joint " + (i + 1) + ": efforts " + Arrays.toString(with)
                    + " with the tool, " + Arrays.toString(without) + " without");
        }
    }

    private static double[] heldEfforts(double toolMass) throws Exception {
        Simulation s = sim(toolMass, ControlMode.POSITION);
        s.reset(3);
        settle(s, POSES[1].clone());
        for (int k = 0; k < 500; k++) s.step(POSES[1], 0.04);   // the integrators take the last of the load
        double[] e = new double[N];
        ArmWorld w = s.world();
        for (int i = 0; i < N; i++) e[i] = w.effort(w.jointIndex("arm_joint" + (i + 1)));
        return e;
    }

    @Test
    void theIdealSensorLeavesTheToolsWeightOut() throws Exception {
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.reset(3);
        double[] w = new double[6];
        settle(s, POSES[2].clone());
        s.world().sensedWrench(w);
        assertArrayEquals(new double[6], w, 1e-12, "ideal (the default): no bias, no weight: " + Arrays.toString(w));
    }

    @Test
    void aRawReadingAllocatesNothing() throws Exception {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Simulation s = sim(TOOL_MASS, ControlMode.POSITION);
        s.world().setWristSensorModel(WristSensorModel.raw(BIAS, 0.5, 0.02));
        s.reset(3);
        double[] w = new double[6];
        for (int k = 0; k < 20_000; k++) s.world().sensedWrench(w);
        int clean = 0;
        for (int k = 0; k < 1000; k++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            s.world().sensedWrench(w);
            if (mx.getCurrentThreadAllocatedBytes() == before) clean++;
        }
        assertTrue(clean > 990, "only " + clean + " of 1000 raw readings allocated nothing");
    }
}
