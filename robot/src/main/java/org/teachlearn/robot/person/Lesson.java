package org.teachlearn.robot.person;

import java.util.List;

/**
 * What a person does to demonstrate a task by guiding the arm: a few hand movements, each to a
 * point (and, for a grasp, an orientation), with a gripper button pressed at the end of some.
 * Planned from the task's goal as task/state gives it at the start of the demonstration.
 */
public final class Lesson {

    /** What the person does with the gripper button once a movement is over. */
    public enum Gripper { NONE, CLOSE, OPEN }

    /**
     * One hand movement: the tool centre point to {@code point} (x, y, z, base frame), the hand
     * turned to {@code rotation} (row-major 3x3, null: as it is), over when within {@code tolerance} m.
     */
    public record Move(double[] point, double[] rotation, double tolerance, Gripper then) {
    }

    static final double ABOVE = 0.08;           // approach height above the cube's centre, m
    static final double GRASP_BELOW_CENTRE = 0.005;
    static final double CARRY_HEIGHT = 0.15;    // tool centre point height while carrying, m
    static final double PLACE_ABOVE = 0.004;    // lower the cube until it nearly touches, then let go
    // the task takes the cube within 3 cm of the target (1 cm in height): a person lets go once it
    // is about there, not within the grasp's 6 mm, which cost a simulated operator a correction or
    // two near the end of the time limit
    static final double PLACE_TOLERANCE = 0.012;

    private Lesson() {
    }

    /** Reach: one movement to the goal point. */
    public static List<Move> reach(double[] goal) {
        return List.of(new Move(new double[] {goal[0], goal[1], goal[2]}, null, 0.01, Gripper.NONE));
    }

    /**
     * Pick and place ({@code goal}: cube x y z yaw, target x y z): over the cube with the hand
     * pointing down and square to its faces, down around it, close, up to carrying height, across,
     * down onto the target, open. {@code neutralYaw} is the hand's yaw at rest: of the four square
     * grasps the person takes the one nearest it, as the wrist is most comfortable there.
     */
    public static List<Move> pickPlace(double[] goal, double neutralYaw) {
        double cx = goal[0], cy = goal[1], cz = goal[2], yaw = goal[3], tx = goal[4], ty = goal[5], tz = goal[6];
        double[] down = pointingDown(yaw, neutralYaw);
        double grasp = cz - GRASP_BELOW_CENTRE;
        return List.of(
                new Move(new double[] {cx, cy, cz + ABOVE}, down, 0.01, Gripper.NONE),
                new Move(new double[] {cx, cy, grasp}, down, 0.006, Gripper.CLOSE),
                new Move(new double[] {cx, cy, CARRY_HEIGHT}, down, 0.015, Gripper.NONE),
                new Move(new double[] {tx, ty, CARRY_HEIGHT}, down, 0.01, Gripper.NONE),
                new Move(new double[] {tx, ty, tz - GRASP_BELOW_CENTRE + PLACE_ABOVE}, down, PLACE_TOLERANCE, Gripper.OPEN));
    }

    /** The hand pointing down (z = −z of the base), its fingers closing across the cube faces nearest {@code neutralYaw}. */
    static double[] pointingDown(double cubeYaw, double neutralYaw) {
        double quarter = Math.PI / 2;
        double psi = cubeYaw + quarter * Math.rint((neutralYaw - cubeYaw) / quarter);
        double c = Math.cos(psi), s = Math.sin(psi);
        // columns: x = (c, s, 0), y = (s, −c, 0), z = (0, 0, −1)
        return new double[] {c, s, 0, s, -c, 0, 0, 0, -1};
    }
}
