package org.teachlearn.robot.urdf;

/** Mass (kg), centre of mass frame, and inertia tensor (kg m²) about the centre of mass in that frame. */
public record Inertial(Pose origin, double mass, double ixx, double ixy, double ixz, double iyy, double iyz, double izz) {
    public static final Inertial NONE = new Inertial(Pose.IDENTITY, 0, 0, 0, 0, 0, 0, 0);
}
