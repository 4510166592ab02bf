package org.teachlearn.robot.teach;

/**
 * The virtual mass–damper (and optional spring to a rest pose) the hand feels, per axis of the
 * base frame at the tool centre point: M v̇ + D v + K e = F, integrated semi-implicitly (the
 * damping implicit, so any damping is stable at any tick), then limited to the hand's speed
 * limits as whole vectors (direction kept) and to the selected axes. The output is the hand's
 * twist (m/s, rad/s). Allocation-free.
 */
public final class Admittance {

    private final double[] v = new double[6];

    /**
     * One tick: the hand's wrench {@code wrench[6]} (N, N m), the pose error {@code error[6]} of
     * the commanded pose from the rest pose (m, rad; only read where a stiffness is set), {@code dt};
     * the twist into {@code twist[6]}.
     */
    public void update(double[] wrench, double[] error, double dt, DragSettings s, double[] twist) {
        for (int a = 0; a < 6; a++) {
            double m = s.mass(a), sel = s.selected(a);
            double f = sel * wrench[a] - s.stiffness(a) * error[a];
            v[a] = sel * (v[a] + dt * f / m) / (1 + dt * s.damping(a) / m);
        }
        limit(0, s.maxLinearSpeed());
        limit(3, s.maxAngularSpeed());
        System.arraycopy(v, 0, twist, 0, 6);
    }

    /** Scales the three components from {@code at} down to a magnitude of at most {@code max}. */
    private void limit(int at, double max) {
        double n = Math.sqrt(v[at] * v[at] + v[at + 1] * v[at + 1] + v[at + 2] * v[at + 2]);
        if (n > max) {
            double k = max / n;
            v[at] *= k;
            v[at + 1] *= k;
            v[at + 2] *= k;
        }
    }

    /**
     * The twist actually carried out (after joint, workspace and singularity limits): the state
     * follows it, so a limited motion does not wind up and leap when the limit lets go.
     */
    public void carriedOut(double[] twist) {
        System.arraycopy(twist, 0, v, 0, 6);
    }

    /** At rest (start-up, after a hold). */
    public void stop() {
        java.util.Arrays.fill(v, 0);
    }
}
