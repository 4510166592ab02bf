package org.teachlearn.robot.control;

import org.teachlearn.robot.dynamics.Dynamics;

/**
 * What "hold" means on each command interface (docs/nodes.md §8): the command that keeps an arm
 * where it was last measured. Position controllers get the measured positions, velocity
 * controllers zeros, effort controllers the gravity torques at the measured positions minus a
 * viscous damping of the measured velocities (an effort of zero would let the arm fall). Every
 * node that commands an arm holds through this. Allocation-free.
 */
public final class HoldCommand {

    private final ControlMode mode;
    private final Dynamics dynamics;
    private final double[] damping;

    /**
     * @param dynamics needed for {@link ControlMode#EFFORT} (gravity torques), else may be null
     * @param damping  N m s/rad per joint for {@link ControlMode#EFFORT}, else may be null
     */
    public HoldCommand(ControlMode mode, Dynamics dynamics, double[] damping) {
        if (mode == ControlMode.EFFORT && (dynamics == null || damping == null)) {
            throw new IllegalArgumentException("holding an effort-controlled arm needs its dynamics (gravity) and a damping per joint");
        }
        this.mode = mode;
        this.dynamics = dynamics;
        this.damping = damping == null ? null : damping.clone();
    }

    public ControlMode mode() {
        return mode;
    }

    /** Fills {@code out} (one value per arm joint) with the hold command at the measured {@code q}, {@code qd}. */
    public void fill(double[] q, double[] qd, double[] out) {
        fill(q, qd, damping, out);
    }

    /**
     * As {@link #fill(double[], double[], double[])} with the effort hold's damping per joint given
     * for this call (a node whose loop rate bounds what damping stays stable: drag_teach).
     */
    public void fill(double[] q, double[] qd, double[] dampingNow, double[] out) {
        int n = out.length;
        switch (mode) {
            case POSITION -> System.arraycopy(q, 0, out, 0, n);
            case VELOCITY -> java.util.Arrays.fill(out, 0, n, 0.0);
            case EFFORT -> {
                dynamics.gravity(q, out);
                for (int i = 0; i < n; i++) out[i] -= dampingNow[i] * qd[i];
            }
        }
    }
}
