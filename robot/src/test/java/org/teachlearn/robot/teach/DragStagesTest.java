package org.teachlearn.robot.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/** Each stage of drag teaching on its own: deadband, tool compensation, tare, ramp, limits, the Jacobian inverse. */
class DragStagesTest {

    static RobotModel arm() throws Exception {
        return UrdfParser.parse(Path.of("../urdf/teach_arm.urdf"));
    }

    @Test
    void deadbandOutputAndItsSlopeAreContinuous() {
        double band = 1.0, onset = 1.0, h = 1e-4, last = 0, lastSlope = 0;
        for (double m = 0; m < 5; m += h) {
            double out = WrenchConditioning.shaped(m, band, onset) * m;
            double slope = (out - last) / h;
            if (m <= band) assertEquals(0, out, 0, "inside the deadband nothing comes out");
            assertTrue(Math.abs(out - last) <= h * (1 + 1e-9), "no step in the output at " + m);
            assertTrue(Math.abs(slope - lastSlope) <= 2 * h / onset + 1e-6 || m < 2 * h, "no kink in the output at " + m + ": slope "
                    + lastSlope + " → " + slope);
            assertTrue(slope <= 1 + 1e-6, "never steeper than the force itself");
            last = out;
            lastSlope = slope;
        }
        assertEquals(5 - band - onset / 2, WrenchConditioning.shaped(5, band, onset) * 5, 1e-12, "past the onset: force − band − onset/2");
    }

    /** A raw reading: bias + the tool's weight at {@code pose} + a hand's force {@code push} (sensor frame). */
    static double[] reading(double[] pose, double mass, double[] com, double[] bias, double[] push) {
        double[] r = new double[6], w = new double[6];
        DragSettings s = DragSettings.DEFAULTS.with("tool_mass", mass).with("tool_com_x", com[0]).with("tool_com_y", com[1]).with("tool_com_z", com[2]);
        WrenchConditioning.toolWrench(pose, s, w);
        for (int i = 0; i < 6; i++) r[i] = bias[i] + w[i] + push[i];
        return r;
    }

    static double[] randomPose(Random rng) {
        double[] p = new double[16], a = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
        double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        for (int i = 0; i < 3; i++) a[i] /= n;
        Transforms.rotation(a, 0, rng.nextDouble() * 2 * Math.PI, p);
        p[3] = rng.nextDouble();
        p[7] = rng.nextDouble();
        p[11] = rng.nextDouble();
        return p;
    }

    @Test
    void toolWeightIsRemovedAtEveryOrientationAfterATareAtAnother() {
        Random rng = new Random(4);
        double mass = 0.5;
        double[] com = {0.01, -0.02, 0.08}, bias = {2, -1.5, 3, 0.1, -0.05, 0.02}, none = new double[6];
        DragSettings s = DragSettings.DEFAULTS.with("tool_mass", mass).with("tool_com_x", com[0]).with("tool_com_y", com[1])
                .with("tool_com_z", com[2]).with("deadband_force", 0).with("deadband_torque", 0).with("deadband_onset_force", 0.01)
                .with("deadband_onset_torque", 0.001);
        WrenchConditioning c = new WrenchConditioning(10, SensorLoad.NONE);
        double[] tarePose = randomPose(rng), tcp = new double[3], out = new double[6];
        for (int i = 0; i < 10; i++) c.update(reading(tarePose, mass, com, bias, none), tarePose, tcp, 0.01, s, out);
        assertNull(c.tare(tarePose, s, 0.5, 0.05, 0, 0.01));
        for (int k = 0; k < 3; k++) assertEquals(bias[k], c.bias()[k], 1e-9, "the bias is found with the tool on");
        for (int trial = 0; trial < 20; trial++) {
            double[] pose = randomPose(rng);
            c.restart();
            tcp[0] = pose[3];
            tcp[1] = pose[7];
            tcp[2] = pose[11];
            c.update(reading(pose, mass, com, bias, none), pose, tcp, 0.01, s, out);
            for (int i = 0; i < 6; i++) assertEquals(0, out[i], 1e-9, "nobody touching, orientation " + trial + ", axis " + i);
            // a hand's 5 N along the sensor's x comes out as 5 N along that axis in the base frame
            c.restart();
            c.update(reading(pose, mass, com, bias, new double[] {5, 0, 0, 0, 0, 0}), pose, tcp, 0.01, s, out);
            for (int i = 0; i < 3; i++) assertEquals(5 * pose[4 * i], out[i] / WrenchConditioning.shaped(5, 0, 0.01), 1e-6);
        }
    }

    @Test
    void theSensorsLoadIsTheHandAndFingersOfTheUrdf() throws Exception {
        SensorLoad load = SensorLoad.of(arm(), "hand");
        assertEquals(0.76, load.mass(), 0.005, "teach_arm's hand and two fingers");
        assertTrue(load.com()[2] > 0, "below the sensor, along the hand's z: " + java.util.Arrays.toString(load.com()));
        double[] withTool = new double[4];
        load.plus(0.5, 0, 0, 0.08, withTool);
        assertEquals(1.26, withTool[0], 0.005);
        assertEquals((load.mass() * load.com()[2] + 0.5 * 0.08) / withTool[0], withTool[3], 1e-12);
    }

    @Test
    void tareIsRefusedWhilePushedOrMovedAndSaysWhy() {
        DragSettings s = DragSettings.DEFAULTS;
        double[] pose = new double[16], tcp = new double[3], out = new double[6];
        Transforms.identity(pose);
        WrenchConditioning c = new WrenchConditioning(20, SensorLoad.NONE);
        assertTrue(c.tare(pose, s, 0.5, 0.05, 0, 0.01).contains("not enough readings"));
        Random rng = new Random(1);
        for (int i = 0; i < 20; i++) c.update(new double[] {3 + 2 * rng.nextDouble(), 0, 0, 0, 0, 0}, pose, tcp, 0.01, s, out);
        String refused = c.tare(pose, s, 0.5, 0.05, 0, 0.01);
        assertTrue(refused.contains("not steady") && refused.contains("force x"), refused);
        for (int i = 0; i < 20; i++) c.update(new double[] {3, 0, 0, 0, 0, 0}, pose, tcp, 0.01, s, out);
        refused = c.tare(pose, s, 0.5, 0.05, 0.2, 0.01);
        assertTrue(refused.contains("moving"), refused);
        assertEquals(0, c.bias()[0], "a refused tare changes nothing");
        assertNull(c.tare(pose, s, 0.5, 0.05, 0.0, 0.01));
        assertEquals(3, c.bias()[0], 1e-12);
    }

    @Test
    void aRampMovesEveryValueWithoutAStepAndEndsOnTheTarget() {
        SettingsRamp ramp = new SettingsRamp(DragSettings.DEFAULTS);
        DragSettings next = DragSettings.DEFAULTS.with("damping_x", 100).with("tool_mass", 2).with("select_rz", 0);
        ramp.set(next);
        double dt = 0.001, last = ramp.live().damping(0), lastMass = 0, lastStep = 0;
        for (int i = 0; i < 600; i++) {
            ramp.advance(dt);
            double d = ramp.live().damping(0), step = d - last;
            assertTrue(step >= 0 && step <= 1.5 * 75 * dt / 0.5 + 1e-9, "the damping moves at most the smooth step's 1.5× mean rate");
            assertTrue(Math.abs(step - lastStep) < 0.01, "and its rate changes smoothly (no kink): " + lastStep + " → " + step);
            assertTrue(ramp.live().toolMass() >= lastMass, "every value moves toward its target");
            last = d;
            lastStep = step;
            lastMass = ramp.live().toolMass();
        }
        assertEquals(next, ramp.target());
        assertEquals(100, ramp.live().damping(0), 0);
        assertEquals(2, ramp.live().toolMass(), 0);
        assertEquals(0, ramp.live().selected(5), 0);
    }

    @Test
    void jointLimitsSlowTheMotionAndAreNeverPassed() {
        double[] lower = {-1, -1}, upper = {1, 0.5}, vel = {2, 2};
        MotionLimits limits = new MotionLimits(lower, upper, vel);
        DragSettings s = DragSettings.DEFAULTS;
        double dt = 0.01, amax = s.maxJointAcceleration();
        double[] q = {0, 0}, qd = new double[2], prev = new double[2];
        for (int i = 0; i < 300; i++) {
            qd[0] = 5;   // asks for far more than the limits allow, toward the upper limit
            qd[1] = 5;
            limits.joints(q, qd, dt, s);
            for (int j = 0; j < 2; j++) {
                assertTrue(Math.abs(qd[j] - prev[j]) <= amax * dt + 1e-9, "the velocity never jumps (tick " + i + ")");
                assertTrue(Math.abs(qd[j]) <= s.jointVelocityScale() * vel[j] + 1e-12, "within the velocity limit");
                q[j] += qd[j] * dt;
                assertTrue(q[j] <= upper[j] + 1e-12, "the limit is never passed: " + q[j]);
            }
            System.arraycopy(qd, 0, prev, 0, 2);
        }
        assertTrue(upper[1] - q[1] < 0.01, "it gets close to the limit: " + q[1]);
        // and may always leave it
        qd[1] = -1;
        limits.joints(q, qd, dt, s);
        assertTrue(qd[1] < 0, "moving away from a limit is allowed");
    }

    @Test
    void workspaceFacesSlowTheHandToAStop() {
        DragSettings s = DragSettings.DEFAULTS.with("workspace_max_x", 0.5);
        double[] tcp = {0.3, 0, 0.3}, twist = new double[6];
        double lastV = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 2000; i++) {
            twist[0] = 0.4;
            MotionLimits.workspace(tcp, s, twist);
            assertTrue(twist[0] <= lastV + 1e-12 || tcp[0] < 0.45, "slows down approaching the face");
            tcp[0] += twist[0] * 0.001;
            lastV = twist[0];
            assertTrue(tcp[0] <= 0.5, "never passes the face: " + tcp[0]);
        }
        twist[0] = -0.2;
        MotionLimits.workspace(tcp, s, twist);
        assertEquals(-0.2, twist[0], 0, "and may leave it at full speed");
    }

    @Test
    void theInverseIsExactAwayFromSingularitiesAndSlowsNearThem() throws Exception {
        RobotModel model = arm();
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(model);
        DampedJacobianInverse inv = new DampedJacobianInverse(7);
        DMatrixRMaj j = new DMatrixRMaj(6, 7);
        DragSettings s = DragSettings.DEFAULTS;
        double[] v = {0.1, -0.05, 0.08, 0.1, 0, -0.2}, qd = new double[7];
        double[] rest = ArmLayout.TEACH_ARM.restPose();
        chain.jacobian(rest, j);
        inv.solve(j, v, rest, rest, 0, s, qd);
        assertEquals(1, inv.speedFactor(), 0, "at the rest pose: far from singular (σ " + inv.smallestSingularValue() + ")");
        double[] back = times(j, qd);
        for (int r = 0; r < 6; r++) assertEquals(v[r], back[r], 1e-9, "J q̇ = v exactly, away from singularities");

        // the elbow stretched out to its limit and the wrist straight: nearly singular
        double[] stretched = {0, 0.3, 0, -0.0698, 0, 0.0, 0};
        chain.jacobian(stretched, j);
        for (int it = 0; it < 10; it++) inv.solve(j, v, stretched, rest, 0, s, qd);   // the σ estimate warms up over ticks
        assertTrue(inv.smallestSingularValue() < s.singularityThreshold(), "stretched: σ " + inv.smallestSingularValue());
        assertTrue(inv.speedFactor() < 1, "slowed down near the singularity: " + inv.speedFactor());
        double norm = 0;
        for (double x : qd) norm = Math.max(norm, Math.abs(x));
        assertTrue(norm < 5, "damped: no joint runs away near the singularity (" + norm + " rad/s)");

        // the posture pulls the elbow without moving the hand
        double[] q = rest.clone();
        q[2] += 0.3;
        chain.jacobian(q, j);
        double[] zero = new double[6];
        inv.solve(j, zero, q, rest, 1.0, s, qd);
        assertTrue(Math.abs(qd[2]) > 0.01, "the null space moves joint 3 toward its rest");
        back = times(j, qd);
        for (int r = 0; r < 6; r++) assertEquals(0, back[r], 1e-9, "and the hand stays");
    }

    static double[] times(DMatrixRMaj j, double[] qd) {
        double[] out = new double[6];
        for (int r = 0; r < 6; r++) for (int c = 0; c < qd.length; c++) out[r] += j.get(r, c) * qd[c];
        return out;
    }
}
