package org.teachlearn.robot.control;

/**
 * Judges a gripper goal as ros_control's gripper_action_controller does: reached when the opening is
 * within {@code goalTolerance} of the goal; stalled when the fingers have not moved faster than
 * {@code stallVelocity} for {@code stallTimeout} seconds while still short of it (an object between
 * them: a grasp is a stall). Time is whatever clock the caller steps (simulated time in sim_arm).
 */
public final class GripperGoalMonitor {

    public enum Verdict { MOVING, REACHED, STALLED }

    private final double goalTolerance;
    private final double stallVelocity;
    private final double stallTimeout;
    private double goal;
    private double lastMovement;

    public GripperGoalMonitor(double goalTolerance, double stallVelocity, double stallTimeout) {
        if (!(goalTolerance > 0) || !(stallVelocity > 0) || !(stallTimeout > 0)) {
            throw new IllegalArgumentException("gripper goal_tolerance (" + goalTolerance + "), stall_velocity_threshold ("
                    + stallVelocity + ") and stall_timeout (" + stallTimeout + ") must be positive");
        }
        this.goalTolerance = goalTolerance;
        this.stallVelocity = stallVelocity;
        this.stallTimeout = stallTimeout;
    }

    /** A new goal opening, taken at time {@code now} (s): the stall clock starts then. */
    public void start(double goalOpening, double now) {
        goal = goalOpening;
        lastMovement = now;
    }

    /** The verdict at time {@code now} for the opening and its rate of change; NaN readings never succeed. */
    public Verdict update(double opening, double velocity, double now) {
        if (Math.abs(opening - goal) < goalTolerance) return Verdict.REACHED;
        if (!(Math.abs(velocity) <= stallVelocity)) {
            lastMovement = now;
            return Verdict.MOVING;
        }
        return now - lastMovement > stallTimeout ? Verdict.STALLED : Verdict.MOVING;
    }

    public double goal() {
        return goal;
    }
}
