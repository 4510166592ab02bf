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

class BaseAxisTest {

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
