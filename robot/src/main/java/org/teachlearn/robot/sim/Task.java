package org.teachlearn.robot.sim;

import java.util.SplittableRandom;

/**
 * A task in the simulator: places its objects and goal at reset, and judges every state. The
 * goal vector is what {@code task/state.goal} carries and what a policy observes.
 */
public interface Task {

    String name();

    /** Length of the goal vector. */
    int goalSize();

    /**
     * Where in the goal the point starts to which the goal's first point (x, y, z) must be brought
     * (pick and place: the cube's target), or −1 when the first point is itself the end (reach).
     */
    default int destinationAt() {
        return -1;
    }

    /**
     * Where in the goal a second point for the hand starts (reach_via: the goal point after the via
     * point), or −1 when the hand has one point only.
     */
    default int secondPointAt() {
        return -1;
    }

    /**
     * Where the goal's points start, as (x, y) in the base frame (a z may follow; it stays), for a
     * scene that looks the same turned about the arm's vertical base axis: a table, and objects and
     * points the goal names. Turning the arm's first joint and these points together then gives
     * another state of the task (learn's BaseTurns). Null when something the goal does not name
     * fixes the scene, so no turn of it is valid.
     */
    int[] turningPoints();

    /** Where in the goal a yaw (rad, about z, {@link #foldYaw folded}: a cube's) starts, which a turn of the scene adds to; −1 for none. */
    default int yawAt() {
        return -1;
    }

    /** A yaw folded into [−π/4, π/4), as the goal carries it: a cube looks the same every quarter turn. */
    static double foldYaw(double yaw) {
        return yaw - Math.PI / 2 * Math.floor((yaw + Math.PI / 4) / (Math.PI / 2));
    }

    /** Episode length limit in seconds; reaching it truncates the episode. */
    double timeLimit();

    /**
     * The physics the task needs: what is in the world (objects) and how it is stepped. The one
     * place that knows it; sim_arm, the trainer and the benchmarks all ask the task.
     */
    default ArmWorld.Settings physics() {
        return ArmWorld.Settings.ARM_ONLY;
    }

    /** Places objects and draws a goal for a new episode. */
    void reset(Simulation sim, SplittableRandom rng);

    /** Writes the goal into {@code out}, read in the state being judged. */
    void goal(Simulation sim, double[] out);

    /** Judges the current state: reward for arriving in it, and whether the episode ends. */
    void judge(Simulation sim, Outcome out);

    /** What {@link #judge} says of one state; a mutable holder, so judging allocates nothing. */
    final class Outcome {
        public double reward;
        public boolean terminal;
        public boolean success;

        public void clear() {
            reward = 0;
            terminal = false;
            success = false;
        }
    }

    /** The task named by {@code ~task}: {@code reach}, {@code pick_place}, {@code reach_around}, {@code reach_via} or {@code none}. */
    static Task named(String name) {
        return switch (name) {
            case "reach" -> new ReachTask();
            case "pick_place" -> new PickPlaceTask();
            case "reach_around" -> new ReachAroundTask();
            case "reach_via" -> new ReachViaTask();
            case "none" -> new FreeTask();
            default -> throw new IllegalArgumentException("unknown task '" + name + "' (tasks are: reach, pick_place, reach_around, reach_via, none)");
        };
    }
}
