package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfException;
import org.teachlearn.robot.urdf.UrdfParser;

class KinematicsTest {

    static RobotModel arm() throws Exception {
        return UrdfParser.parse(Path.of("../urdf/teach_arm.urdf"));
    }

    @Test
    void shippedArmParsesWithItsGripperAndTransmissions() throws Exception {
        RobotModel m = arm();
        assertEquals("world", m.rootLink());
        assertEquals(9, m.joints().values().stream().filter(Joint::isMovable).count());
        Joint j4 = m.joint("arm_joint4");
        assertEquals(-3.0718, j4.lower());
        assertEquals(87, j4.effort());
        assertEquals("finger_left_joint", m.joint("finger_right_joint").mimic().joint());
        assertEquals(8, m.transmissions().size());
        assertEquals(4.970684, m.link("arm_link1").inertial().mass());
        UrdfException e = assertThrows(UrdfException.class, () -> m.joint("panda_joint8"));
        assertTrue(e.getMessage().contains("arm_joint1"), e.getMessage());
    }

    @Test
    void knownPoseAtZero() throws Exception {
        KinematicChain c = new KinematicChain(arm(), "arm_link0", "hand_tcp");
        assertEquals(7, c.dof());
        double[] t = new double[16];
        c.forward(new double[7], t);
        // Joint 7 at 1.033 m; the flange 0.107 m and the fingertip centre 0.1034 m below it, pointing down.
        assertArrayEquals(new double[] {0.088, 0, 1.033 - 0.107 - 0.1034}, new double[] {t[3], t[7], t[11]}, 1e-9);
        assertEquals(-1, t[10], 1e-9);
    }

    @Test
    void jacobianMatchesFiniteDifferences() throws Exception {
        KinematicChain c = new KinematicChain(arm(), "arm_link0", "hand_tcp");
        Random rng = new Random(3);
        DMatrixRMaj j = new DMatrixRMaj(6, 7);
        double[] t0 = new double[16], t1 = new double[16];
        for (int trial = 0; trial < 20; trial++) {
            double[] q = new double[7];
            for (int i = 0; i < 7; i++) q[i] = c.lower(i) + rng.nextDouble() * (c.upper(i) - c.lower(i));
            c.jacobian(q, j);
            c.forward(q, t0);
            double h = 1e-7;
            for (int i = 0; i < 7; i++) {
                double[] qh = q.clone();
                qh[i] += h;
                c.forward(qh, t1);
                for (int r = 0; r < 3; r++) {
                    assertEquals((t1[4 * r + 3] - t0[4 * r + 3]) / h, j.get(r, i), 1e-5, "linear row " + r + " joint " + i);
                }
                // angular velocity from dR R^T (skew part)
                double wx = 0, wy = 0, wz = 0;
                for (int k = 0; k < 3; k++) {
                    wx += (t1[8 + k] - t0[8 + k]) / h * t0[4 + k];
                    wy += (t1[k] - t0[k]) / h * t0[8 + k];
                    wz += (t1[4 + k] - t0[4 + k]) / h * t0[k];
                }
                assertEquals(wx, j.get(3, i), 1e-5);
                assertEquals(wy, j.get(4, i), 1e-5);
                assertEquals(wz, j.get(5, i), 1e-5);
            }
        }
    }

    @Test
    void forwardAndJacobianAllocateNothing() throws Exception {
        KinematicChain c = new KinematicChain(arm(), "arm_link0", "hand_tcp");
        DMatrixRMaj j = new DMatrixRMaj(6, 7);
        double[] q = {0, -0.5, 0, -2, 0, 1.5, 0.8};
        double[] t = new double[16];
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            c.forward(q, t);
            c.jacobian(q, j);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            q[0] = i * 1e-4;
            c.forward(q, t);
            c.jacobian(q, j);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 10,000 calls");
    }

    @Test
    void badDescriptionsNameTheElement() {
        String head = "<robot name='r'><link name='a'/><link name='b'/>";
        UrdfException e = assertThrows(UrdfException.class, () -> UrdfParser.parse(head
                + "<joint name='j' type='revolute'><parent link='a'/><child link='b'/></joint></robot>"));
        assertTrue(e.getMessage().contains("joint 'j'") && e.getMessage().contains("<limit"), e.getMessage());
        e = assertThrows(UrdfException.class, () -> UrdfParser.parse(head
                + "<joint name='j' type='fixed'><parent link='a'/><child link='c'/></joint></robot>"));
        assertTrue(e.getMessage().contains("child link 'c' is not defined"), e.getMessage());
        e = assertThrows(UrdfException.class, () -> UrdfParser.parse("<robot name='r'><link name='a'><inertial><mass value='x'/>"
                + "<inertia ixx='1' ixy='0' ixz='0' iyy='1' iyz='0' izz='1'/></inertial></link></robot>"));
        assertTrue(e.getMessage().contains("link 'a' <inertial> <mass> value: 'x' is not a number"), e.getMessage());
        e = assertThrows(UrdfException.class, () -> UrdfParser.parse(head + "</robot>"));
        assertTrue(e.getMessage().contains("exactly one root"), e.getMessage());
        e = assertThrows(UrdfException.class, () -> UrdfParser.parse(
                "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><robot name='&x;'/>"));
        assertTrue(e.getMessage().contains("not well-formed"), e.getMessage());
    }
}
