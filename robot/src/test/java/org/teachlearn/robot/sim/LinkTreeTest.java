package org.teachlearn.robot.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/** Link ordering and body lumping of the shipped arm, without ODE. */
class LinkTreeTest {

    static RobotModel arm() throws Exception {
        return UrdfParser.parse(Path.of("../urdf/teach_arm.urdf"));
    }

    @Test
    void everyParentComesBeforeItsChildren() throws Exception {
        LinkTree t = new LinkTree(arm(), "hand", false);
        assertEquals("world", t.linkNames[0]);
        assertEquals(-1, t.linkParent[0]);
        for (int i = 1; i < t.linkCount(); i++) assertTrue(t.linkParent[i] < i, t.linkNames[i] + " comes before its parent");
        assertEquals(9, t.joints.length);
        for (int j = 0; j + 1 < 7; j++) assertEquals("arm_joint" + (j + 1), t.jointNames[j]);
    }

    @Test
    void armOnlyLumpsTheGripperIntoTheLastArmBody() throws Exception {
        RobotModel m = arm();
        LinkTree t = new LinkTree(m, "hand", false);
        assertEquals(7, t.bodyCount, "seven arm bodies; hand and fingers ride on the last");
        assertEquals(-1, body(t, "world"));
        assertEquals(-1, body(t, "arm_link0"));
        int last = body(t, "arm_link7");
        for (String l : new String[] {"arm_link8", "hand", "hand_tcp", "finger_left", "finger_right"}) assertEquals(last, body(t, l), l);
        assertTrue(t.kinematic[t.linkParentJoint[t.linkIndex.get("finger_left")]]);
        assertFalse(t.kinematic[t.linkParentJoint[t.linkIndex.get("arm_link7")]]);
        assertEquals(0.735522 + 0.73 + 2 * 0.015, t.bodyMass[last], 1e-12);
    }

    @Test
    void withObjectsTheFingersAreBodiesOfTheirOwn() throws Exception {
        LinkTree t = new LinkTree(arm(), "hand", true);
        assertEquals(9, t.bodyCount);
        assertEquals(0.015, t.bodyMass[body(t, "finger_left")], 1e-12);
        for (boolean k : t.kinematic) assertFalse(k);
    }

    @Test
    void toolIsTheSensorLinkAndWhatHangsFromIt() throws Exception {
        LinkTree t = new LinkTree(arm(), "hand", true);
        for (String l : new String[] {"hand", "hand_tcp", "finger_left", "finger_right"}) assertTrue(t.onTool[t.linkIndex.get(l)], l);
        for (String l : new String[] {"arm_link7", "arm_link8", "world"}) assertFalse(t.onTool[t.linkIndex.get(l)], l);
        LinkTree none = new LinkTree(arm(), null, false);
        assertEquals(-1, none.sensorLink);
        assertEquals(9, none.bodyCount, "no sensor, no tool: nothing moves kinematically");
    }

    @Test
    void eachLinkSitsInItsBodyWhereTheBuildPosePutsIt() throws Exception {
        LinkTree t = new LinkTree(arm(), "hand", false);
        double[] body = new double[16], link = new double[16];
        for (int i = 0; i < t.linkCount(); i++) {
            int b = t.linkBody[i];
            if (b < 0) continue;
            int owner = i;
            while (!t.ownsBody(owner)) owner = t.linkParent[owner];
            // the body's frame: its owning link's axes, at the centre of mass
            System.arraycopy(t.buildFrames[owner], 0, body, 0, 16);
            double[] f = t.buildFrames[owner], c = {t.bodyCom[3 * b], t.bodyCom[3 * b + 1], t.bodyCom[3 * b + 2]};
            for (int r = 0; r < 3; r++) body[4 * r + 3] = f[4 * r + 3] + f[4 * r] * c[0] + f[4 * r + 1] * c[1] + f[4 * r + 2] * c[2];
            Transforms.multiply(body, t.linkInBody[i], link);
            assertArrayEquals(t.buildFrames[i], link, 1e-12, t.linkNames[i]);
        }
    }

    @Test
    void framesAtFollowTheJoints() throws Exception {
        LinkTree t = new LinkTree(arm(), "hand", false);
        double[][] frames = new double[t.linkCount()][16];
        t.framesAt(t.buildPosition, frames);
        for (int i = 0; i < t.linkCount(); i++) assertArrayEquals(t.buildFrames[i], frames[i], 0.0);
        double[] q = t.buildPosition.clone();
        q[0] += 0.5;   // arm_joint1 turns about the base's z: link1's origin stays, its x axis turns
        t.framesAt(q, frames);
        int l1 = t.linkIndex.get("arm_link1");
        assertEquals(t.buildFrames[l1][11], frames[l1][11], 1e-12);
        assertEquals(Math.cos(0.5), frames[l1][0] * t.buildFrames[l1][0] + frames[l1][4] * t.buildFrames[l1][4], 1e-12);
    }

    @Test
    void sensorOnAMovingJointIsRefusedWithTheReason() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> new LinkTree(arm(), "finger_left", false));
        assertEquals("sensor link 'finger_left' must hang from a fixed joint", e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> new LinkTree(arm(), "wrist", false));
        assertEquals("sensor link 'wrist' is not in the URDF", missing.getMessage());
    }

    private static int body(LinkTree t, String link) {
        return t.linkBody[t.linkIndex.get(link)];
    }
}
