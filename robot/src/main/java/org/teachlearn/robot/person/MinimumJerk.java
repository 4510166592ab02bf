package org.teachlearn.robot.person;

/**
 * A straight point-to-point hand movement with the minimum-jerk profile people use for reaching
 * (Flash and Hogan 1985): s(τ) = 10τ³ − 15τ⁴ + 6τ⁵ of the way at τ = t/T, at rest at both ends,
 * peak speed 1.875 × the average. Plain arrays, nothing allocated after construction.
 */
public final class MinimumJerk {

    private final double[] from = new double[3], to = new double[3];
    private double duration = 1;

    /** Plans a movement from {@code a} to {@code b} (3 values each) taking {@code seconds}. */
    public void plan(double[] a, double[] b, double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("a movement takes a positive time, not " + seconds + " s");
        System.arraycopy(a, 0, from, 0, 3);
        System.arraycopy(b, 0, to, 0, 3);
        duration = seconds;
    }

    public double duration() {
        return duration;
    }

    /** The point at time {@code t} (clamped to [0, duration]) into {@code p}, its velocity into {@code v}. */
    public void at(double t, double[] p, double[] v) {
        double tau = Math.max(0, Math.min(1, t / duration));
        double t2 = tau * tau, t3 = t2 * tau;
        double s = t3 * (10 - 15 * tau + 6 * t2);
        double ds = t < 0 || t > duration ? 0 : 30 * t2 * (1 - 2 * tau + t2) / duration;
        for (int a = 0; a < 3; a++) {
            double d = to[a] - from[a];
            p[a] = from[a] + s * d;
            v[a] = ds * d;
        }
    }

    /** Straight-line distance of the movement. */
    public double distance() {
        double dx = to[0] - from[0], dy = to[1] - from[1], dz = to[2] - from[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
