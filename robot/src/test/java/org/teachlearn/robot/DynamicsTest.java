package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;

class DynamicsTest {

    static final int N = 7;

    static Dynamics dynamics() throws Exception {
        RobotModel m = KinematicsTest.arm();
        return new Dynamics(m, new KinematicChain(m, "arm_link0", "hand_tcp"));
    }

    static double[] randomQ(Random rng) {
        double[] q = new double[N];
        for (int i = 0; i < N; i++) q[i] = rng.nextDouble() * 3 - 1.5;
        return q;
    }

    @Test
    void gravityTorquesAreTheGradientOfPotentialEnergy() throws Exception {
        Dynamics d = dynamics();
        Random rng = new Random(1);
        double[] tau = new double[N], scratch = new double[N];
        for (int trial = 0; trial < 20; trial++) {
            double[] q = randomQ(rng);
            d.gravity(q, tau);
            for (int i = 0; i < N; i++) {
                double h = 1e-6;
                double[] qp = q.clone(), qm = q.clone();
                qp[i] += h;
                qm[i] -= h;
                double grad = (d.potentialEnergy(qp, scratch) - d.potentialEnergy(qm, scratch)) / (2 * h);
                assertEquals(grad, tau[i], 1e-5, "joint " + i);
            }
        }
        // the whole arm and hand weigh on joint 2 when stretched out horizontally
        double[] out = {0, Math.PI / 2, 0, -0.07, 0, 0, 0};
        d.gravity(out, tau);
        assertTrue(Math.abs(tau[1]) > 10, "shoulder torque " + tau[1]);
    }

    @Test
    void massMatrixIsSymmetricPositiveDefiniteAndCoriolisConservesEnergy() throws Exception {
        Dynamics d = dynamics();
        Random rng = new Random(2);
        double[] g = new double[N], tau = new double[N], zero = new double[N];
        for (int trial = 0; trial < 10; trial++) {
            double[] q = randomQ(rng);
            DMatrixRMaj mq = mass(d, q, g, tau, zero);
            for (int a = 0; a < N; a++) for (int b = 0; b < N; b++) assertEquals(mq.get(a, b), mq.get(b, a), 1e-9);
            assertTrue(DecompositionFactory_DDRM.chol(N, true).decompose(mq.copy()), "M is positive definite");
            double[] qd = new double[N];
            for (int i = 0; i < N; i++) qd[i] = rng.nextDouble() * 2 - 1;
            // q̇ᵀ (C q̇) = ½ q̇ᵀ Ṁ q̇, with Ṁ along q̇ by finite differences
            d.inverse(q, qd, zero, tau);
            d.gravity(q, g);
            double power = 0;
            for (int i = 0; i < N; i++) power += qd[i] * (tau[i] - g[i]);
            double h = 1e-6;
            double[] qp = q.clone(), qm = q.clone();
            for (int i = 0; i < N; i++) {
                qp[i] += h * qd[i];
                qm[i] -= h * qd[i];
            }
            DMatrixRMaj dm = new DMatrixRMaj(N, N);
            CommonOps_DDRM.subtract(mass(d, qp, g, tau, zero), mass(d, qm, g, tau, zero), dm);
            CommonOps_DDRM.scale(1 / (2 * h), dm);
            DMatrixRMaj v = new DMatrixRMaj(N, 1, true, qd);
            DMatrixRMaj mv = new DMatrixRMaj(N, 1);
            CommonOps_DDRM.mult(dm, v, mv);
            double expected = 0.5 * CommonOps_DDRM.dot(v, mv);
            assertEquals(expected, power, 1e-5 + 1e-4 * Math.abs(expected));
        }
    }

    private static DMatrixRMaj mass(Dynamics d, double[] q, double[] g, double[] tau, double[] zero) {
        DMatrixRMaj mq = new DMatrixRMaj(N, N);
        d.gravity(q, g);
        for (int col = 0; col < N; col++) {
            double[] e = new double[N];
            e[col] = 1;
            d.inverse(q, zero, e, tau);
            for (int r = 0; r < N; r++) mq.set(r, col, tau[r] - g[r]);
        }
        return mq;
    }

    @Test
    void inverseDynamicsAllocatesNothing() throws Exception {
        Dynamics d = dynamics();
        double[] q = {0, -0.5, 0, -2, 0, 1.5, 0.8}, qd = new double[N], qdd = new double[N], tau = new double[N];
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) d.inverse(q, qd, qdd, tau);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            qd[0] = i * 1e-4;
            d.inverse(q, qd, qdd, tau);
        }
        assertTrue(mx.getCurrentThreadAllocatedBytes() - before < 1024);
    }
}
