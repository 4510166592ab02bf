package org.teachlearn.robot.sim;

import java.util.List;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Which parts of a URDF are the arm, the tool and the gripper: the chain from {@code baseLink} to
 * the tool centre point {@code tcpLink}, the gripper's driven joint (null for none), the link
 * behind the wrist force/torque sensor, the links that touch objects, and the arm's rest pose.
 */
public record ArmLayout(String baseLink, String tcpLink, String gripperJoint, String sensorLink, List<String> contactLinks,
        double[] restPose, double gripperOpen) {

    /** The shipped {@code urdf/teach_arm.urdf}; its rest pose is the Panda's "ready" pose. */
    public static final ArmLayout TEACH_ARM = new ArmLayout("arm_link0", "hand_tcp", "finger_left_joint", "hand",
            List.of("hand", "finger_left", "finger_right"),
            new double[] {0, -Math.PI / 4, 0, -3 * Math.PI / 4, 0, Math.PI / 2, Math.PI / 4}, 0.04);

    /** The arm's chain, checked against the URDF with errors that say what is missing. */
    public KinematicChain chain(RobotModel model) {
        KinematicChain chain = new KinematicChain(model, baseLink, tcpLink);
        if (restPose.length != chain.dof()) {
            throw new IllegalArgumentException("rest pose has " + restPose.length + " values but the chain " + baseLink + " → "
                    + tcpLink + " has " + chain.dof() + " joints");
        }
        return chain;
    }
}
