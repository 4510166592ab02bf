package org.teachlearn.robot.arm;

import java.util.Arrays;
import java.util.List;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Which parts of a URDF are the arm, the tool and the gripper: the chain from {@code baseLink} to
 * the tool centre point {@code tcpLink}, the gripper's driven joint (null for none) and how its
 * position maps to an opening in metres, the link behind the wrist force/torque sensor (null for
 * none), the links that touch objects, and the arm's rest pose. {@link #resolve} builds it for any
 * arm from what the user said ({@link ArmSpec}) and the URDF ({@link ArmRules}).
 */
public record ArmLayout(String baseLink, String tcpLink, String gripperJoint, String sensorLink, List<String> contactLinks,
        double[] restPose, GripperScale gripper, String restSource) {

    /**
     * The shipped {@code urdf/teach_arm.urdf} as its {@code teach_arm.srdf} and {@code
     * controllers.yaml} describe it (what {@link #resolve} makes of them; a test holds the two
     * equal): rest at the SRDF's "ready" pose, the Panda's.
     */
    public static final ArmLayout TEACH_ARM = new ArmLayout("arm_link0", "hand_tcp", "finger_left_joint", "hand",
            List.of("hand", "finger_left", "finger_right"),
            new double[] {0, -Math.PI / 4, 0, -3 * Math.PI / 4, 0, Math.PI / 2, Math.PI / 4},
            new GripperScale(0, 0.04, 0.04), "group_state 'ready' of urdf/teach_arm.srdf");

    /** Each finger's opening (m) when the gripper is fully open; 0 without a gripper. */
    public double gripperOpen() {
        return gripper == null ? 0 : gripper.openWidth();
    }

    /** The arm's chain, checked against the URDF with errors that say what is missing. */
    public KinematicChain chain(RobotModel model) {
        KinematicChain chain = new KinematicChain(model, baseLink, tcpLink);
        if (restPose.length != chain.dof()) {
            throw new IllegalArgumentException("rest pose has " + restPose.length + " values but the chain " + baseLink + " → "
                    + tcpLink + " has " + chain.dof() + " joints");
        }
        return chain;
    }

    /**
     * The layout of {@code model} from what {@code spec} gives, the rest found in the URDF: the
     * arm's joints (else the chain from the base to the tip link), the tip (else the one link
     * reached from the last arm joint through fixed joints), the gripper (else the one movable
     * joint below the arm that mimics nothing; none if there is none), the sensor link (else the
     * first link with mass fixed below the arm), the rest pose (else an SRDF group_state, else the
     * middle of every joint's range). Errors name the key, what is wrong and what would be valid.
     *
     * @param urdf where the URDF came from, for errors
     */
    public static ArmLayout resolve(RobotModel model, ArmSpec spec, String urdf) {
        ArmRules rules = new ArmRules(model, spec, urdf);
        String[] chainLinks = rules.chainLinks();
        KinematicChain chain = new KinematicChain(model, chainLinks[0], chainLinks[1]);
        String last = model.joint(chain.jointNames()[chain.dof() - 1]).child();
        String gripper = rules.gripperJoint(last, Arrays.asList(chain.jointNames()));
        GripperScale scale = gripper == null ? null : rules.gripperScale(model.joint(gripper));
        String sensor = rules.sensorLink(last);
        List<String> contacts = rules.contactLinks(sensor != null ? sensor : last, sensor == null);
        ArmRules.Rest rest = rules.restPose(chain);
        return new ArmLayout(chainLinks[0], chainLinks[1], gripper, sensor, contacts, rest.positions(), scale, rest.source());
    }

    /** The arm joints' names in chain order. */
    public String[] armJoints(RobotModel model) {
        return chain(model).jointNames();
    }

    /** One line for a node's log: chain, gripper, sensor and where the rest pose came from. */
    public String describe(RobotModel model) {
        return "arm " + baseLink + " → " + tcpLink + " " + Arrays.toString(armJoints(model)) + ", gripper " + (gripperJoint == null ? "none" : gripperJoint)
                + ", F/T sensor " + (sensorLink == null ? "none" : sensorLink) + ", rest pose " + Arrays.toString(restPose) + " from "
                + restSource;
    }

    /** Records compare arrays by reference; layouts compare by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ArmLayout l && baseLink.equals(l.baseLink) && tcpLink.equals(l.tcpLink)
                && java.util.Objects.equals(gripperJoint, l.gripperJoint) && java.util.Objects.equals(sensorLink, l.sensorLink)
                && contactLinks.equals(l.contactLinks) && Arrays.equals(restPose, l.restPose) && java.util.Objects.equals(gripper, l.gripper);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(baseLink, tcpLink, gripperJoint, sensorLink, contactLinks, Arrays.hashCode(restPose), gripper);
    }
}
