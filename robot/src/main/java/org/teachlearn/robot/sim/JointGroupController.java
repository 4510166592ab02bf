package org.teachlearn.robot.sim;

import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.urdf.Joint;

/**
 * A ros_control JointGroup{Position,Velocity,Effort}Controller on simulated joints, run every
 * physics step: position targets through a PID on effort (derivative from the joint velocity, as
 * effort_controllers do, so a step target gives no derivative kick), velocity targets through
 * ODE's joint motor, efforts applied directly; every effort clamped to the URDF limit.
 *
 * <p>The PID's damping is solved implicitly by ODE (the joint motor as a damper toward
 * (p e + i ∫e + feed-forward) / d): the same force law as gazebo_ros_control's explicit PID, but
 * stable at a 2 ms step, where the explicit form makes the arm chatter (joints 1 and 3 swing
 * against each other with little inertia; the shipped d = 30 meets about 0.01 kg m² there).
 * Joints that mimic one of the group's joints are driven to the mimicked target with the leader's
 * gains, as a mechanical coupling would (two fingers close symmetrically on what they grasp,
 * instead of the follower yielding to the leader's push). Allocation-free.
 */
public final class JointGroupController {


    /** PID gains; {@code iClamp} bounds the integral term's effort. */
    public record Gains(double p, double i, double d, double iClamp) { }

    /** Gains of a mimic joint whose leader has none (velocity and effort groups). */
    private static final Gains FOLLOWER = new Gains(100, 0, 2, 0);

    private final ArmWorld world;
    private final ControlMode mode;
    private final int[] joints;
    private final Gains[] gains;
    private final double[] target;
    private final double[] integral;
    private final int[] followers;       // world joint index of each mimic joint
    private final int[] leaderOf;        // its leader's position in this group
    private final double[] multiplier;
    private final double[] offset;

    public JointGroupController(ArmWorld world, String[] jointNames, ControlMode mode, Gains[] gains) {
        if (mode == ControlMode.POSITION && gains.length != jointNames.length) {
            throw new IllegalArgumentException("a position controller needs PID gains for each of its " + jointNames.length + " joints");
        }
        this.world = world;
        this.mode = mode;
        this.gains = gains.clone();
        joints = new int[jointNames.length];
        for (int k = 0; k < joints.length; k++) joints[k] = world.jointIndex(jointNames[k]);
        target = new double[joints.length];
        integral = new double[joints.length];
        int nf = 0;
        int[] fo = new int[world.jointCount()], lo = new int[world.jointCount()];
        double[] mu = new double[world.jointCount()], of = new double[world.jointCount()];
        for (int w = 0; w < world.jointCount(); w++) {
            Joint.Mimic m = world.joint(w).mimic();
            if (m == null) continue;
            for (int k = 0; k < jointNames.length; k++) {
                if (jointNames[k].equals(m.joint())) {
                    fo[nf] = w;
                    lo[nf] = k;
                    mu[nf] = m.multiplier();
                    of[nf] = m.offset();
                    nf++;
                }
            }
        }
        followers = java.util.Arrays.copyOf(fo, nf);
        leaderOf = java.util.Arrays.copyOf(lo, nf);
        multiplier = java.util.Arrays.copyOf(mu, nf);
        offset = java.util.Arrays.copyOf(of, nf);
    }

    public ControlMode mode() {
        return mode;
    }

    /** Sets the targets (rad, m, rad/s, m/s, N m or N by mode); values must be finite. */
    public void command(double[] values) {
        System.arraycopy(values, 0, target, 0, joints.length);
    }

    /** The current targets (do not modify): what a held or uncommanded arm keeps tracking. */
    public double[] targets() {
        return target;
    }

    /** Holds the joints where they are: position targets at the current positions, zero velocity or effort. */
    public void hold() {
        for (int k = 0; k < joints.length; k++) target[k] = mode == ControlMode.POSITION ? world.position(joints[k]) : 0;
        java.util.Arrays.fill(integral, 0);
    }

    /**
     * Applies one physics step of control, before {@link ArmWorld#step()}. {@code feedforward}
     * (one effort per joint, or null) is added to position control: the gravity compensation that
     * real arms' joint controllers run inside.
     */
    public void update(double dt, double[] feedforward) {
        for (int k = 0; k < joints.length; k++) {
            int j = joints[k];
            double limit = world.joint(j).effort();
            switch (mode) {
                case POSITION -> servo(j, pid(k, target[k] - world.position(j), dt) + (feedforward == null ? 0 : feedforward[k]),
                        gains[k].d(), limit);
                case VELOCITY -> world.setMotor(j, target[k], limit, 0);
                case EFFORT -> world.addEffort(j, clamp(target[k], limit));
            }
        }
        for (int f = 0; f < followers.length; f++) {
            int j = followers[f];
            int k = leaderOf[f];
            Gains g = gains.length > k ? gains[k] : FOLLOWER;
            double want = mode == ControlMode.POSITION ? multiplier[f] * target[k] + offset[f] : multiplier[f] * world.position(joints[k]) + offset[f];
            servo(j, want - world.position(j), g, world.joint(j).effort());
        }
    }

    private void servo(int j, double error, Gains g, double limit) {
        servo(j, g.p() * error, g.d(), limit);
    }

    /** Effort {@code spring} − d·velocity, the damping solved implicitly when d > 0. */
    private void servo(int j, double spring, double d, double limit) {
        if (d > 0) {
            world.setMotor(j, spring / d, limit > 0 ? limit : Double.POSITIVE_INFINITY, d);
            world.noteEffort(j, clamp(spring - d * world.velocity(j), limit));
        } else {
            world.addEffort(j, clamp(spring, limit));
        }
    }

    /** The proportional and integral effort; the derivative is the motor's damping. */
    private double pid(int k, double error, double dt) {
        Gains g = gains[k];
        double out = g.p() * error;
        if (g.i() != 0) {
            integral[k] += g.i() * error * dt;
            double c = g.iClamp();
            if (c > 0) integral[k] = Math.max(-c, Math.min(c, integral[k]));
            out += integral[k];
        }
        return out;
    }

    private static double clamp(double e, double limit) {
        return limit > 0 ? Math.max(-limit, Math.min(limit, e)) : e;
    }
}
