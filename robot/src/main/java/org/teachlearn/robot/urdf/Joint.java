package org.teachlearn.robot.urdf;

/**
 * A joint between two links. {@code axis} is a unit vector in the joint frame; limits are in
 * rad or m (and rad/s or m/s, N m or N); continuous joints have infinite position limits.
 */
public record Joint(String name, Type type, String parent, String child, Pose origin, double[] axis,
        double lower, double upper, double effort, double velocity, double damping, double friction,
        Mimic mimic) {

    public enum Type { REVOLUTE, CONTINUOUS, PRISMATIC, FIXED, FLOATING, PLANAR }

    /** This joint follows {@code joint}: position = multiplier * theirs + offset. */
    public record Mimic(String joint, double multiplier, double offset) { }

    public boolean isMovable() {
        return type == Type.REVOLUTE || type == Type.CONTINUOUS || type == Type.PRISMATIC;
    }

    public boolean isPrismatic() {
        return type == Type.PRISMATIC;
    }

    /** Clamps a position into the limits (continuous joints pass through). */
    public double clampPosition(double q) {
        return Math.max(lower, Math.min(upper, q));
    }
}
