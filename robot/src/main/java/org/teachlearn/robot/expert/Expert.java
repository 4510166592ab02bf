package org.teachlearn.robot.expert;

import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.arm.ArmLayout;

/**
 * A scripted expert: from what a policy observes (arm joint positions, gripper opening, task
 * goal) it answers with position targets for the arm joints followed by the gripper opening. It
 * decides from the observation alone, so it can label any state a learner visits (DAgger); only
 * reach_via's, a non-Markovian demonstrator by design, also counts the control periods it waits.
 * Not thread-safe: one expert per thread.
 */
public interface Expert {

    /** Fills {@code action} (arm dof + 1 values) for the observed state. */
    void act(double[] q, double gripper, double[] goal, double[] action);

    /** The expert for a task of the simulator ({@code reach}, {@code pick_place}, {@code reach_around}, {@code reach_via}). */
    static Expert forTask(String task, KinematicChain chain, ArmLayout layout, double controlPeriod, double cubeSize) {
        return switch (task) {
            case "reach" -> new ReachExpert(chain, layout, controlPeriod);
            case "pick_place" -> new PickPlaceExpert(chain, layout, controlPeriod, cubeSize);
            case "reach_around" -> new ReachAroundExpert(chain, layout);
            case "reach_via" -> new ReachViaExpert(chain, layout, controlPeriod);
            default -> throw new IllegalArgumentException("no scripted expert for task '" + task + "' (experts: reach, pick_place, reach_around, reach_via)");
        };
    }
}
