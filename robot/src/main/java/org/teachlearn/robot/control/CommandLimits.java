package org.teachlearn.robot.control;

import java.util.List;
import org.teachlearn.robot.urdf.Joint;

/**
 * The one clamp of joint commands to the URDF (docs/nodes.md §8), for every node that commands or
 * simulates an arm: position targets within [lower, upper], velocities within ±velocity, efforts
 * within ±effort, per the controller's mode; and, for position targets, a step limit per tick
 * from the last command sent. Allocation-free.
 */
public final class CommandLimits {

    private final Joint[] joints;
    private final ControlMode mode;
    private final double[] lo;
    private final double[] hi;

    public CommandLimits(List<Joint> joints, ControlMode mode) {
        this.joints = joints.toArray(new Joint[0]);
        this.mode = mode;
        lo = new double[this.joints.length];
        hi = new double[this.joints.length];
        for (int i = 0; i < lo.length; i++) {
            Joint j = this.joints[i];
            switch (mode) {
                case POSITION -> { lo[i] = j.lower(); hi[i] = j.upper(); }
                case VELOCITY -> { lo[i] = -j.velocity(); hi[i] = j.velocity(); }
                default -> { lo[i] = -j.effort(); hi[i] = j.effort(); }
            }
        }
    }

    /** True when every value is a finite number (NaN or infinity must never reach an arm). */
    public static boolean finite(double[] c, int n) {
        for (int i = 0; i < n; i++) if (!Double.isFinite(c[i])) return false;
        return true;
    }

    /** Clamps {@code c} into the limits; returns the index of the first joint clamped, or −1. */
    public int clamp(double[] c) {
        int first = -1;
        for (int i = 0; i < lo.length; i++) {
            if (c[i] < lo[i] || c[i] > hi[i]) {
                if (first < 0) first = i;
                c[i] = Math.max(lo[i], Math.min(hi[i], c[i]));
            }
        }
        return first;
    }

    /**
     * Limits each position target to within {@code maxStep[i]} of {@code previous[i]} (the last
     * command sent); returns the index of the first joint limited, or −1. Only for position mode.
     */
    public int limitStep(double[] c, double[] previous, double[] maxStep) {
        int first = -1;
        for (int i = 0; i < lo.length; i++) {
            double d = c[i] - previous[i];
            if (Math.abs(d) > maxStep[i]) {
                if (first < 0) first = i;
                c[i] = previous[i] + Math.copySign(maxStep[i], d);
            }
        }
        return first;
    }

    /** Text for a warning about joint {@code i}'s value {@code v}. */
    public String describe(int i, double v) {
        return joints[i].name() + " (" + v + ") is outside its URDF limits [" + lo[i] + ", " + hi[i] + "]";
    }

    public ControlMode mode() {
        return mode;
    }

    public Joint joint(int i) {
        return joints[i];
    }
}
