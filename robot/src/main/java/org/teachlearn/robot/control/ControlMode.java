package org.teachlearn.robot.control;

/**
 * What a joint group's command means, as ros_control's JointGroup{Position,Velocity,Effort}Controller
 * take it: target positions (rad, m), velocities (rad/s, m/s) or efforts (N m, N). A
 * JointTrajectoryController of any interface takes positions over time ({@link #isTrajectoryController}).
 */
public enum ControlMode {
    POSITION, VELOCITY, EFFORT;

    /**
     * The mode of a ros_control controller type such as {@code effort_controllers/JointGroupPositionController}.
     * A {@code GripperActionController} takes position goals over the joint interface its package names:
     * {@code position_controllers/} or {@code effort_controllers/}. A JointTrajectoryController
     * ({@code position_controllers/}, {@code velocity_controllers/} or {@code effort_controllers/}, and
     * ur_robot_driver's ScaledJointTrajectoryController) is commanded with positions, whatever interface
     * it then drives: {@link #POSITION}.
     */
    public static ControlMode ofControllerType(String type) {
        if (isTrajectoryController(type)) return POSITION;
        String t = type.substring(type.lastIndexOf('/') + 1);
        if (isGripperAction(type)) {
            if (type.startsWith("position_controllers/")) return POSITION;
            if (type.startsWith("effort_controllers/")) return EFFORT;
            throw new IllegalArgumentException("controller type '" + type + "': a GripperActionController is"
                    + " position_controllers/GripperActionController or effort_controllers/GripperActionController");
        }
        if (t.contains("Position")) return POSITION;
        if (t.contains("Velocity")) return VELOCITY;
        if (t.contains("Effort")) return EFFORT;
        throw new IllegalArgumentException("controller type '" + type + "' is not a JointGroup{Position,Velocity,Effort}Controller"
                + " or a JointTrajectoryController (or, for a gripper, a GripperActionController)");
    }

    /** ros_control's gripper_action_controller: the gripper takes control_msgs/GripperCommand goals, not a command topic. */
    public static boolean isGripperAction(String type) {
        return type.endsWith("/GripperActionController");
    }

    /** Whether a controller of this type takes trajectory_msgs/JointTrajectory on its command topic. */
    public static boolean isTrajectoryController(String type) {
        return type.substring(type.lastIndexOf('/') + 1).endsWith("JointTrajectoryController");
    }
}
