package org.teachlearn.robot.teach;

/**
 * Limits that slow the motion down before it reaches them instead of clipping the position at
 * them, so no limit ever makes the command jump (cartesian_controllers' complaint): the hand's
 * speed toward a face of the workspace box falls linearly to zero over {@code workspace_margin};
 * each joint's speed toward a position limit falls linearly to zero over {@code joint_limit_margin}
 * (the command never passes the limit and always may move away from it); joint speeds are scaled
 * together (the hand keeps its direction) under {@code joint_velocity_scale} × the URDF limits, and
 * change at most {@code max_joint_acceleration} per second. Allocation-free.
 */
public final class MotionLimits {

    private final int n;
    private final double[] lower, upper, velocity;
    private final double[] previous;

    /** Per joint, in chain order: position limits (rad or m) and URDF velocity limits. */
    public MotionLimits(double[] lower, double[] upper, double[] velocity) {
        n = lower.length;
        this.lower = lower.clone();
        this.upper = upper.clone();
        this.velocity = velocity.clone();
        previous = new double[n];
    }

    /** The hand at {@code tcp} (x y z, base frame): the linear part of {@code twist} toward a face of the box slowed. */
    public static void workspace(double[] tcp, DragSettings s, double[] twist) {
        double margin = s.workspaceMargin();
        for (int a = 0; a < 3; a++) {
            double v = twist[a];
            if (v > 0) twist[a] = Math.min(v, s.maxLinearSpeed() * ramp((s.workspaceMax(a) - tcp[a]) / margin));
            else if (v < 0) twist[a] = Math.max(v, -s.maxLinearSpeed() * ramp((tcp[a] - s.workspaceMin(a)) / margin));
        }
    }

    /** Joint velocities {@code qd} (in place) for the command at {@code q}, over {@code dt}. */
    public void joints(double[] q, double[] qd, double dt, DragSettings s) {
        // the velocity limits, all joints scaled by one factor
        double scale = 1;
        for (int i = 0; i < n; i++) {
            double max = s.jointVelocityScale() * velocity[i];
            if (Math.abs(qd[i]) * scale > max) scale = max / Math.abs(qd[i]);
        }
        double dv = s.maxJointAcceleration() * dt, margin = s.jointLimitMargin();
        for (int i = 0; i < n; i++) {
            double v = qd[i] * scale;
            v = Math.max(previous[i] - dv, Math.min(previous[i] + dv, v));
            double max = s.jointVelocityScale() * velocity[i];
            // toward a limit: at most max × distance / margin, and never so far in one tick that it is passed
            if (v > 0) v = Math.min(v, Math.min(max * ramp((upper[i] - q[i]) / margin), Math.max(0, upper[i] - q[i]) / dt));
            else if (v < 0) v = Math.max(v, -Math.min(max * ramp((q[i] - lower[i]) / margin), Math.max(0, q[i] - lower[i]) / dt));
            qd[i] = v;
            previous[i] = v;
        }
    }

    /** At rest (start-up, after a hold): the acceleration limit starts from zero. */
    public void stop() {
        java.util.Arrays.fill(previous, 0);
    }

    private static double ramp(double x) {
        return x <= 0 ? 0 : x >= 1 ? 1 : x;
    }
}
