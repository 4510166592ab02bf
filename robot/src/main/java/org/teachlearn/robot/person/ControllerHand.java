package org.teachlearn.robot.person;

import java.util.SplittableRandom;
import org.teachlearn.robot.teleop.Rotation3;

/**
 * A simulated person's hand holding a VR controller, in the headset's tracking frame: it moves
 * in minimum-jerk strokes (Flash and Hogan) at a person's speeds, turns the controller along the
 * same profile, and trembles (8–12 Hz physiological tremor plus a little noise). What the hand
 * must do to move a teleoperated tool is worked out from the tool: the tool's wanted motion in the
 * base frame, carried back into the tracking frame ({@code trackingToBase}ᵀ) and divided by the
 * teleoperation scale. One {@link #stroke} per movement, then {@link #sample} per headset frame;
 * nothing allocates after construction. Seeded: the same seed moves the same way.
 */
public final class ControllerHand {

    private final SplittableRandom rng;
    private final double[] toBase;   // the tracking frame's rotation in the base frame
    private final double scale;
    private final double minSpeed, maxSpeed, tremor;
    private final MinimumJerk profile = new MinimumJerk();
    private final double[] unitFrom = new double[3], unitTo = {1, 0, 0}, s = new double[3], ds = new double[3];
    private final double[] pos = new double[3], from = new double[3], to = new double[3];
    private final double[] quat = {0, 0, 0, 1}, quatFrom = {0, 0, 0, 1}, quatTo = {0, 0, 0, 1};
    private final double[] phase = new double[3], d = new double[3], db = new double[3];
    private final double[] rc = new double[9], rt = new double[9], tmp = new double[9], tmp2 = new double[9];
    private double tremorHz = 10, start, duration = 1, time;

    /**
     * @param home      where the hand rests, x y z in the tracking frame (WebXR: about 1.1 m up, 0.3 m ahead)
     * @param scale     vr_teleop's {@code ~scale}
     * @param minSpeed  slowest average stroke speed of the hand, m/s
     * @param maxSpeed  fastest, m/s
     * @param tremor    the tremor's amplitude, m (people: 0.1–1 mm)
     */
    public ControllerHand(double[] home, double[] trackingToBase, double scale, double minSpeed, double maxSpeed, double tremor, long seed) {
        rng = new SplittableRandom(seed);
        toBase = trackingToBase.clone();
        this.scale = scale;
        this.minSpeed = minSpeed;
        this.maxSpeed = maxSpeed;
        this.tremor = tremor;
        System.arraycopy(home, 0, pos, 0, 3);
        System.arraycopy(home, 0, from, 0, 3);
        System.arraycopy(home, 0, to, 0, 3);
        for (int a = 0; a < 3; a++) phase[a] = rng.nextDouble() * 2 * Math.PI;
        tremorHz = 8 + 4 * rng.nextDouble();
        profile.plan(unitFrom, unitTo, 1);
    }

    /**
     * Plans a stroke starting at {@code now} (s): the hand moves by {@code delta} (tracking frame,
     * m) and turns to {@code turnTo} (a quaternion x y z w; null: keeps its orientation), at a
     * speed drawn between the person's slowest and fastest (at least {@code minDuration} s; at most
     * {@code maxDuration} s: a person who knows the task's time limit hurries over long distances).
     * Returns the stroke's duration.
     */
    public double stroke(double now, double[] delta, double[] turnTo, double minDuration, double maxDuration) {
        System.arraycopy(pos, 0, from, 0, 3);
        double dist = 0;
        for (int a = 0; a < 3; a++) {
            to[a] = pos[a] + delta[a];
            dist += delta[a] * delta[a];
        }
        dist = Math.sqrt(dist);
        double speed = minSpeed + (maxSpeed - minSpeed) * rng.nextDouble();
        duration = Math.max(minDuration, Math.min(maxDuration, dist / speed));
        System.arraycopy(quat, 0, quatFrom, 0, 4);
        if (turnTo != null) System.arraycopy(turnTo, 0, quatTo, 0, 4);
        else System.arraycopy(quat, 0, quatTo, 0, 4);
        profile.plan(unitFrom, unitTo, duration);
        start = now;
        return duration;
    }

    /** Whether the stroke is over at {@code now}. */
    public boolean still(double now) {
        return now - start >= duration;
    }

    /** The hand's pose at {@code now} (s) with tremor: x y z qx qy qz qw into {@code out[7]}. */
    public void sample(double now, double[] out) {
        time = now;
        profile.at(now - start, s, ds);
        double k = s[0];
        for (int a = 0; a < 3; a++) pos[a] = from[a] + k * (to[a] - from[a]);
        slerp(quatFrom, quatTo, k, quat);
        for (int a = 0; a < 3; a++) {
            double shake = tremor * Math.sin(2 * Math.PI * tremorHz * now + phase[a]) + 0.2 * tremor * (rng.nextDouble() * 2 - 1);
            out[a] = pos[a] + shake;
        }
        System.arraycopy(quat, 0, out, 3, 4);
    }

    /** The hand's pose without tremor (tracking frame), x y z into {@code p[3]}. */
    public void position(double[] p) {
        System.arraycopy(pos, 0, p, 0, 3);
    }

    /**
     * The hand motion (tracking frame) that moves the tool from {@code tool} to {@code target}
     * (base frame, m): Bᵀ (target − tool) / scale, into {@code delta}.
     */
    public void motionFor(double[] tool, double[] target, double[] delta) {
        for (int a = 0; a < 3; a++) d[a] = target[a] - tool[a];
        Rotation3.rotateBack(toBase, d, db);
        for (int a = 0; a < 3; a++) delta[a] = db[a] / scale;
    }

    /**
     * The controller orientation (a quaternion, into {@code out[4]}) that turns the tool from
     * {@code toolRot} to {@code targetRot} (row-major 3x3, base frame) when the clutch was pressed
     * with the controller as it is now: Bᵀ (R_target R_toolᵀ) B R_controller.
     */
    public void turnFor(double[] toolRot, double[] targetRot, double[] out) {
        Rotation3.multiplyTransposed(targetRot, toolRot, tmp);     // the tool's turn, base frame
        Rotation3.multiply(tmp, toBase, tmp2);
        // Bᵀ tmp2: B's columns as rows
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) tmp[3 * r + c] = toBase[r] * tmp2[c] + toBase[3 + r] * tmp2[3 + c] + toBase[6 + r] * tmp2[6 + c];
        }
        Rotation3.fromQuaternion(quat[0], quat[1], quat[2], quat[3], rc);
        Rotation3.multiply(tmp, rc, rt);
        Rotation3.toQuaternion(rt, out);
    }

    /** The draw for the person's other choices (latency, dropouts, re-grips), from the same seed. */
    public SplittableRandom random() {
        return rng;
    }

    private static void slerp(double[] a, double[] b, double t, double[] out) {
        double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
        double sign = dot < 0 ? -1 : 1;
        dot = Math.abs(dot);
        double wa, wb;
        if (dot > 0.9995) {
            wa = 1 - t;
            wb = t;
        } else {
            double th = Math.acos(dot), sn = Math.sin(th);
            wa = Math.sin((1 - t) * th) / sn;
            wb = Math.sin(t * th) / sn;
        }
        double n = 0;
        for (int i = 0; i < 4; i++) {
            out[i] = wa * a[i] + sign * wb * b[i];
            n += out[i] * out[i];
        }
        n = Math.sqrt(n);
        for (int i = 0; i < 4; i++) out[i] /= n;
    }
}
