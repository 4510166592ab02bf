package org.teachlearn.robot.arm;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a user says about their arm, each part optional (null: not given): the arm's joints (as
 * {@code arm_controller/joints} lists them), the gripper's (an empty list: no gripper), base and
 * tip links, the link behind the wrist force/torque sensor ("" for none), the rest pose (joint
 * positions in the arm joints' order, or a named {@code group_state} of an SRDF), and a revolute
 * gripper's calibration. {@link ArmLayout#resolve} fills the rest from the URDF.
 *
 * @param keys how the caller spells each key in errors: {@code tip_link} → {@code ~tip_link} for a
 *        node's parameters, {@code --tip-link} for the command line
 */
public record ArmSpec(List<String> armJoints, List<String> gripperJoints, String baseLink, String tipLink, String sensorLink,
        double[] restPositions, String srdf, String srdfSource, String groupState, double gripperClosed, double gripperOpen,
        double gripperOpenWidth, UnaryOperator<String> keys) {

    /** Nothing given: everything from the URDF. */
    public static final ArmSpec NONE = new ArmSpec(null, null, null, null, null, null, null, null, null, Double.NaN, Double.NaN,
            Double.NaN, k -> k);

    /** Where the suite looks for an arm's SRDF when none is given: next to its URDF, same name ({@code X.urdf} → {@code X.srdf}). */
    public static java.nio.file.Path srdfNextTo(java.nio.file.Path urdf) {
        return urdf.resolveSibling(urdf.getFileName().toString().replaceFirst("\\.urdf$", "") + ".srdf");
    }

    /** The key {@code canonical} ({@code arm_joints}, {@code tip_link}, …) as the user spells it. */
    String key(String canonical) {
        return keys.apply(canonical);
    }

    public ArmSpec withArmJoints(List<String> joints) {
        return new ArmSpec(joints, gripperJoints, baseLink, tipLink, sensorLink, restPositions, srdf, srdfSource, groupState,
                gripperClosed, gripperOpen, gripperOpenWidth, keys);
    }

    public ArmSpec withGripperJoints(List<String> joints) {
        return new ArmSpec(armJoints, joints, baseLink, tipLink, sensorLink, restPositions, srdf, srdfSource, groupState,
                gripperClosed, gripperOpen, gripperOpenWidth, keys);
    }

    /** Base and tip links of the arm's chain (either may be null). */
    public ArmSpec withLinks(String base, String tip) {
        return new ArmSpec(armJoints, gripperJoints, base, tip, sensorLink, restPositions, srdf, srdfSource, groupState,
                gripperClosed, gripperOpen, gripperOpenWidth, keys);
    }

    /** The link right after the wrist force/torque sensor; "" for none. */
    public ArmSpec withSensorLink(String link) {
        return new ArmSpec(armJoints, gripperJoints, baseLink, tipLink, link, restPositions, srdf, srdfSource, groupState,
                gripperClosed, gripperOpen, gripperOpenWidth, keys);
    }

    public ArmSpec withRestPositions(double[] rest) {
        return new ArmSpec(armJoints, gripperJoints, baseLink, tipLink, sensorLink, rest, srdf, srdfSource, groupState,
                gripperClosed, gripperOpen, gripperOpenWidth, keys);
    }

    /** An SRDF's text, where it came from (for errors), and the group_state to rest at (null: "ready", else "home", else the only one). */
    public ArmSpec withSrdf(String text, String source, String state) {
        return new ArmSpec(armJoints, gripperJoints, baseLink, tipLink, sensorLink, restPositions, text, source, state,
                gripperClosed, gripperOpen, gripperOpenWidth, keys);
    }

    /** A revolute gripper's joint positions when closed and open, and each finger's opening (m) when open. */
    public ArmSpec withGripperCalibration(double closed, double open, double openWidth) {
        return new ArmSpec(armJoints, gripperJoints, baseLink, tipLink, sensorLink, restPositions, srdf, srdfSource, groupState,
                closed, open, openWidth, keys);
    }

    public ArmSpec withKeys(UnaryOperator<String> spelling) {
        return new ArmSpec(armJoints, gripperJoints, baseLink, tipLink, sensorLink, restPositions, srdf, srdfSource, groupState,
                gripperClosed, gripperOpen, gripperOpenWidth, spelling);
    }
}
