package org.teachlearn.robot.control;

/**
 * What a joint group's command means, as ros_control's JointGroup{Position,Velocity,Effort}Controller
 * take it: target positions (rad, m), velocities (rad/s, m/s) or efforts (N m, N).
 */
public enum ControlMode {
    POSITION, VELOCITY, EFFORT;

    /** The mode of a ros_control controller type such as {@code effort_controllers/JointGroupPositionController}. */
    public static ControlMode ofControllerType(String type) {
        String t = type.substring(type.lastIndexOf('/') + 1);
        if (t.contains("Position")) return POSITION;
        if (t.contains("Velocity")) return VELOCITY;
        if (t.contains("Effort")) return EFFORT;
        throw new IllegalArgumentException("controller type '" + type + "' is not a JointGroup{Position,Velocity,Effort}Controller");
    }
}
