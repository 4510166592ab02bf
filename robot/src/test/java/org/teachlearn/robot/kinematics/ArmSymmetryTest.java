package org.teachlearn.robot.kinematics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

class ArmSymmetryTest {

    static final Path TEACH = Path.of("../urdf/teach_arm.urdf");
    static final Path LAB6 = Path.of("../urdf/lab6_arm.urdf");

    /** Turning the first joint by δ moves the hand as turning it by sign·δ about the axis: the same height, the same distance. */
    @Test
    void turningTheFirstJointTurnsTheHandAboutTheAxisOnBothShippedArms() throws Exception {
        check(new KinematicChain(UrdfParser.parse(TEACH), "arm_link0", "hand_tcp"));
        RobotModel lab6 = UrdfParser.parse(LAB6);
        check(new KinematicChain(lab6, "base_link", "gripper_tcp"));
    }

    private static void check(KinematicChain chain) {
        String[] why = new String[1];
        BaseAxis axis = BaseAxis.of(chain, why);
        assertNotNull(axis, () -> chain.jointNames()[0] + ": " + why[0]);
        Random r = new Random(4);
        double[] q = new double[chain.dof()], before = new double[16], after = new double[16], hand = new double[2];
        for (int n = 0; n < 50; n++) {
            for (int j = 0; j < q.length; j++) q[j] = chain.lower(j) + (chain.upper(j) - chain.lower(j)) * r.nextDouble();
            double delta = 0.6 * (2 * r.nextDouble() - 1);
            q[0] = Math.max(chain.lower(0), Math.min(chain.upper(0) - 0.6, q[0]));
            chain.forward(q, before);
            q[0] += delta;
            chain.forward(q, after);
            hand[0] = before[3];
            hand[1] = before[7];
            axis.turn(hand, 0, axis.sign() * delta);
            assertEquals(after[3], hand[0], 1e-9, "x");
            assertEquals(after[7], hand[1], 1e-9, "y");
            assertEquals(before[11], after[11], 1e-9, "z");
        }
    }

    /**
     * teach_arm (Franka's kinematics) mirrors with joints 1, 3, 5 and 7 negated and the last turned
     * a quarter turn (its hand sits 45° turned on the flange), at poses other than those the search
     * tried: the hand's position, approach axis and fingers' line mirrored.
     */
    @Test
    void theShippedArmsMirrorImageNegatesItsVerticalJoints() throws Exception {
        KinematicChain chain = new KinematicChain(UrdfParser.parse(TEACH), "arm_link0", "hand_tcp");
        String[] why = new String[1];
        ArmMirror mirror = ArmMirror.of(chain, BaseAxis.of(chain, why), why);
        assertNotNull(mirror, () -> why[0]);
        assertEquals(0, mirror.y());
        assertEquals("[true, false, true, false, true, false, true]", java.util.Arrays.toString(mirror.flips()));
        assertEquals(Math.PI / 2, Math.abs(mirror.lastOffset()), 1e-6);
        Random r = new Random(8);
        double[] q = new double[7], flipped = new double[7], a = new double[16], b = new double[16];
        for (int n = 0; n < 50; n++) {
            for (int j = 0; j < 7; j++) {
                q[j] = chain.lower(j) + (chain.upper(j) - chain.lower(j)) * r.nextDouble();
                flipped[j] = mirror.image(j, q[j]);
            }
            chain.forward(q, a);
            chain.forward(flipped, b);
            assertEquals(a[3], b[3], 1e-6);
            assertEquals(-a[7], b[7], 1e-6);
            assertEquals(a[11], b[11], 1e-6);
            assertEquals(a[10], b[10], 1e-6, "the hand's approach axis tilts alike");
            assertEquals(-a[6], b[6], 1e-6);
            assertEquals(1, Math.abs(a[1] * b[1] - a[5] * b[5] + a[9] * b[9]), 1e-6, "the fingers' line mirrored (either way along it)");
        }
        // with a fixed yaw of the hand (a tool mounted turned) the mirror image would need another tool: none is found
        String xml = Files.readString(TEACH).replace("<origin xyz=\"0 0 0.107\" rpy=\"0 0 0\"/>", "<origin xyz=\"0.02 0.03 0.107\" rpy=\"0 0 0\"/>");
        KinematicChain offset = new KinematicChain(UrdfParser.parse(xml), "arm_link0", "hand_tcp");
        assertNull(ArmMirror.of(offset, BaseAxis.of(offset, why), why));
        assertTrue(why[0].startsWith("no choice of joint signs mirrors"), why[0]);
    }

    @Test
    void anArmWhoseFirstJointIsNotVerticalHasNoBaseAxisAndSaysWhy() throws Exception {
        String xml = Files.readString(TEACH);
        String vertical = "<origin xyz=\"0 0 0.333\" rpy=\"0 0 0\"/>\n    <axis xyz=\"0 0 1\"/>";
        assertTrue(xml.contains(vertical), "the shipped arm's first joint as the test knows it");
        RobotModel tilted = UrdfParser.parse(xml.replace(vertical, "<origin xyz=\"0 0 0.333\" rpy=\"0.3 0 0\"/>\n    <axis xyz=\"0 0 1\"/>"));
        String[] why = new String[1];
        assertNull(BaseAxis.of(new KinematicChain(tilted, "arm_link0", "hand_tcp"), why));
        assertEquals("its first joint 'arm_joint1' turns about an axis 0.300 from vertical", why[0]);
        RobotModel sideways = UrdfParser.parse(xml.replace(vertical, "<origin xyz=\"0 0 0.333\" rpy=\"0 0 0\"/>\n    <axis xyz=\"1 0 0\"/>"));
        assertNull(BaseAxis.of(new KinematicChain(sideways, "arm_link0", "hand_tcp"), why));
        assertTrue(why[0].contains("1.571 from vertical"), why[0]);
        // upside down, the joint turns the world the other way
        RobotModel flipped = UrdfParser.parse(xml.replace(vertical, "<origin xyz=\"0.1 0.2 0.333\" rpy=\"0 0 0\"/>\n    <axis xyz=\"0 0 -1\"/>"));
        KinematicChain c = new KinematicChain(flipped, "arm_link0", "hand_tcp");
        BaseAxis axis = BaseAxis.of(c, why);
        assertEquals(new BaseAxis(0.1, 0.2, -1), axis);
        check(c);
    }
}
