package org.teachlearn.robot.expert;

import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.arm.ArmLayout;

/**
 * Reach: moves the arm to the joint positions that put the tool centre point on the goal, with the
 * tool oriented as at the rest pose (a position-only target leaves four redundant joints to wander),
 * gripper open.
 */
final class ReachExpert implements Expert {

    private final CartesianMover mover;
    private final double open;
    private final double[] qOut;
    private final double[] orientation;

    ReachExpert(KinematicChain chain, ArmLayout layout, double controlPeriod) {
        mover = new CartesianMover(chain, layout.restPose());
        open = layout.gripperOpen();
        qOut = new double[chain.dof()];
        orientation = mover.restOrientation();
    }

    @Override
    public void act(double[] q, double gripper, double[] goal, double[] action) {
        mover.toward(q, goal[0], goal[1], goal[2], orientation, 0.05, qOut);
        System.arraycopy(qOut, 0, action, 0, qOut.length);
        action[qOut.length] = open;
    }
}
