package org.teachlearn.robot.arm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/** Any arm's layout from its URDF, SRDF and the user's keys; and the errors a wrong key gets. */
class ArmLayoutTest {

    static final Path TEACH = Path.of("../urdf/teach_arm.urdf");
    static final Path LAB6 = Path.of("../urdf/lab6_arm.urdf");

    static ArmSpec withSrdf(Path urdf) throws Exception {
        Path srdf = ArmSpec.srdfNextTo(urdf);
        return ArmSpec.NONE.withSrdf(Files.readString(srdf), srdf.toString(), null);
    }

    static ArmLayout resolve(Path urdf, ArmSpec spec) throws Exception {
        return ArmLayout.resolve(UrdfParser.parse(urdf), spec, urdf.toString());
    }

    @Test
    void theShippedArmResolvesToItsConstantFromItsSrdfOrItsControllers() throws Exception {
        ArmLayout fromSrdf = resolve(TEACH, withSrdf(TEACH));
        assertEquals(ArmLayout.TEACH_ARM, fromSrdf);
        assertEquals("group_state 'ready' of " + ArmSpec.srdfNextTo(TEACH), fromSrdf.restSource());
        List<String> joints = List.of("arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7");
        ArmLayout fromControllers = resolve(TEACH, withSrdf(TEACH).withArmJoints(joints).withGripperJoints(List.of("finger_left_joint")));
        assertEquals(ArmLayout.TEACH_ARM, fromControllers);
    }

    @Test
    void lab6IsFoundFromItsUrdfAndSrdf() throws Exception {
        ArmLayout l = resolve(LAB6, withSrdf(LAB6));
        assertEquals("base_link", l.baseLink());
        assertEquals("gripper_tcp", l.tcpLink());
        assertEquals("gripper_left_finger_joint", l.gripperJoint());
        assertEquals("gripper_base", l.sensorLink());
        assertEquals(List.of("gripper_base", "gripper_left_finger", "gripper_right_finger"), l.contactLinks());
        assertArrayEquals(new double[] {-0.28, -1.62, 1.69, -1.68, -1.55, 0}, l.restPose(), 0);
        assertEquals(0.0425, l.gripperOpen(), 1e-12);
        assertArrayEquals(new String[] {"shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint", "wrist_1_joint", "wrist_2_joint",
            "wrist_3_joint"}, l.armJoints(UrdfParser.parse(LAB6)));
        // the same from the controller's joints alone, in the controller's order, without an SRDF
        ArmLayout c = resolve(LAB6, ArmSpec.NONE.withArmJoints(List.of("wrist_3_joint", "shoulder_pan_joint", "shoulder_lift_joint",
                "elbow_joint", "wrist_1_joint", "wrist_2_joint")));
        assertEquals("base_link", c.baseLink());
        assertEquals("gripper_tcp", c.tcpLink());
        assertEquals("gripper_left_finger_joint", c.gripperJoint());
        assertTrue(c.restSource().startsWith("the middle of every joint's range"), c.restSource());
        ArmLayout none = resolve(LAB6, withSrdf(LAB6).withGripperJoints(List.of()).withSensorLink(""));
        assertNull(none.gripperJoint());
        assertNull(none.sensorLink());
        assertEquals(0, none.gripperOpen());
    }

    @Test
    void theRestPoseOfLab6PutsItsToolPointingDownInFrontOfTheBase() throws Exception {
        RobotModel m = UrdfParser.parse(LAB6);
        ArmLayout l = resolve(LAB6, withSrdf(LAB6));
        double[] tcp = new double[16];
        l.chain(m).forward(l.restPose(), tcp);
        assertEquals(0.5, tcp[3], 0.01);
        assertEquals(0.0, tcp[7], 0.01);
        assertEquals(0.35, tcp[11], 0.01);
        assertTrue(tcp[10] < -0.99, "tool z axis points down: " + tcp[10]);
    }

    @Test
    void aRevoluteGripperMapsToMetresThroughItsCalibration() {
        GripperScale knuckle = new GripperScale(0.8, 0.0, 0.0425);   // Robotiq-style: 0.8 rad closed, 0 open
        assertEquals(0.8, knuckle.toJoint(0), 1e-12);
        assertEquals(0.0, knuckle.toJoint(0.0425), 1e-12);
        assertEquals(0.4, knuckle.toJoint(0.02125), 1e-12);
        assertEquals(0.02125, knuckle.toWidth(0.4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new GripperScale(0.3, 0.3, 0.04));
    }

    @Test
    void badKeysGetErrorsThatNameTheKeyAndWhatWouldBeValid() throws Exception {
        ArmSpec ros = withSrdf(LAB6).withKeys(k -> k.equals("arm_joints") ? "/arm_controller/joints"
                : k.equals("gripper_joints") ? "/gripper_controller/joints" : "~" + k);
        assertMessage(() -> resolve(LAB6, ros.withArmJoints(List.of("shoulder_pan_joint", "arm_joint2"))),
                "/arm_controller/joints names 'arm_joint2'", "its movable joints: shoulder_pan_joint");
        assertMessage(() -> resolve(LAB6, ros.withArmJoints(List.of("shoulder_pan_joint", "shoulder_lift_joint"))),
                "must be the movable joints from base_link to gripper_tcp");
        assertMessage(() -> resolve(LAB6, ros.withGripperJoints(List.of("gripper_right_finger_joint"))),
                "/gripper_controller/joints [gripper_right_finger_joint] must name one movable joint", "candidates: gripper_left_finger_joint");
        assertMessage(() -> resolve(LAB6, ros.withRestPositions(new double[] {0, 0, 0})), "~rest_positions has 3 values; the arm has 6 joints");
        assertMessage(() -> resolve(LAB6, ros.withRestPositions(new double[] {0, 0, 4, 0, 0, 0})),
                "~rest_positions: 4.0 for joint 'elbow_joint' is outside its limits [-3.1, 3.1]");
        assertMessage(() -> resolve(LAB6, ros.withSrdf(ros.srdf(), ros.srdfSource(), "ready")), "~group_state 'ready' is not in",
                "it has: home, stretched");
        assertMessage(() -> resolve(LAB6, ros.withLinks(null, "gripper_tool")), "~tip_link 'gripper_tool' is not a link of");
        assertMessage(() -> resolve(LAB6, ros.withSensorLink("wrist_3_link")), "~ft_sensor_link 'wrist_3_link' must hang from a fixed joint");
        assertMessage(() -> resolve(LAB6, ArmSpec.NONE), "which joints are the arm?");
    }

    @Test
    void aRevoluteGripperWithoutCalibrationIsRefused() throws Exception {
        String knuckle = Files.readString(LAB6).replace(
                "<joint name=\"gripper_left_finger_joint\" type=\"prismatic\">", "<joint name=\"gripper_left_finger_joint\" type=\"revolute\">");
        RobotModel m = UrdfParser.parse(knuckle);
        ArmSpec spec = withSrdf(LAB6).withKeys(k -> "~" + k);
        assertMessage(() -> ArmLayout.resolve(m, spec, "knuckle.urdf"), "gripper joint 'gripper_left_finger_joint' of knuckle.urdf is revolute",
                "set ~gripper_closed_position and ~gripper_open_position");
        ArmLayout l = ArmLayout.resolve(m, spec.withGripperCalibration(0.04, 0.0, Double.NaN), "knuckle.urdf");
        assertEquals(0.04, l.gripper().toJoint(0), 1e-12);
        assertEquals(0.0425, l.gripperOpen(), 1e-12);
    }

    @Test
    void aFloatingJointInTheArmIsRefused() throws Exception {
        String floating = Files.readString(LAB6).replace("<joint name=\"elbow_joint\" type=\"revolute\">", "<joint name=\"elbow_joint\" type=\"floating\">");
        RobotModel m = UrdfParser.parse(floating);
        assertMessage(() -> ArmLayout.resolve(m, withSrdf(LAB6), "floating.urdf"), "floating.urdf: joint 'elbow_joint'", "is floating");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
    }
}
