package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.kinematics.InverseKinematics;
import org.teachlearn.robot.kinematics.KinematicChain;

class InverseKinematicsTest {

    static final double[] READY = {0, -0.785, 0, -2.356, 0, 1.571, 0.785};

    @Test
    void roundTripsReachablePosesWithinLimits() throws Exception {
        KinematicChain c = new KinematicChain(KinematicsTest.arm(), "arm_link0", "hand_tcp");
        InverseKinematics ik = new InverseKinematics(c);
        Random rng = new Random(5);
        double[] target = new double[16], reached = new double[16];
        int solved = 0;
        for (int trial = 0; trial < 50; trial++) {
            double[] qTrue = new double[7];
            for (int i = 0; i < 7; i++) qTrue[i] = READY[i] + (rng.nextDouble() - 0.5) * 1.0;
            for (int i = 0; i < 7; i++) qTrue[i] = Math.max(c.lower(i), Math.min(c.upper(i), qTrue[i]));
            c.forward(qTrue, target);
            double[] q = READY.clone();
            boolean ok = ik.solve(target, q, READY, false);
            c.forward(q, reached);
            for (int i = 0; i < 7; i++) assertTrue(q[i] >= c.lower(i) && q[i] <= c.upper(i), "joint " + i + " in its limits");
            if (!ok) continue;
            solved++;
            for (int k : new int[] {3, 7, 11}) assertEquals(target[k], reached[k], 1e-4, "position");
            for (int k : new int[] {0, 1, 2, 4, 5, 6, 8, 9, 10}) assertEquals(target[k], reached[k], 5e-3, "orientation");
        }
        assertTrue(solved >= 48, "solved " + solved + " of 50 reachable poses");
    }

    @Test
    void solveAllocatesNothing() throws Exception {
        KinematicChain c = new KinematicChain(KinematicsTest.arm(), "arm_link0", "hand_tcp");
        InverseKinematics ik = new InverseKinematics(c);
        double[] target = new double[16];
        c.forward(new double[] {0.2, -0.6, 0.1, -2.2, 0.1, 1.7, 0.6}, target);
        double[] q = READY.clone();
        for (int i = 0; i < 200; i++) {
            System.arraycopy(READY, 0, q, 0, 7);
            ik.solve(target, q, READY, false);
        }
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200; i++) {
            System.arraycopy(READY, 0, q, 0, 7);
            ik.solve(target, q, READY, false);
        }
        assertTrue(mx.getCurrentThreadAllocatedBytes() - before < 1024);
    }
}
