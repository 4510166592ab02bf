package org.teachlearn.robot.kinematics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Inverse kinematics by damped least squares: each iteration moves the joints by
 * {@code Jᵀ(JJᵀ + λ²I)⁻¹ e} toward the target pose, plus a posture task projected into the null
 * space of the Jacobian until the target is near, and clamps to the joint limits. Buffers are preallocated; a solve
 * allocates nothing, so it can run at the control rate (vr_teleop, scripted experts).
 */
public final class InverseKinematics {

    /** Tuning, with defaults that suit a 7-joint arm at 1 kHz. */
    public record Settings(double damping, double maxStep, double positionTolerance, double orientationTolerance,
            double orientationWeight, double postureGain, int maxIterations) {
        public static final Settings DEFAULT = new Settings(0.05, 0.2, 1e-4, 1e-3, 0.5, 0.1, 100);
    }

    private final KinematicChain chain;
    private final Settings settings;
    private final int n;
    private final DMatrixRMaj j;
    private final DMatrixRMaj jjt = new DMatrixRMaj(6, 6);
    private final DMatrixRMaj err = new DMatrixRMaj(6, 1);
    private final DMatrixRMaj y = new DMatrixRMaj(6, 1);
    private final DMatrixRMaj dq;
    private final DMatrixRMaj jPinv;
    private final DMatrixRMaj nullProj;
    private final DMatrixRMaj posture;
    private final DMatrixRMaj postureStep;
    private final LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(6);
    private final DMatrixRMaj eye6 = CommonOps_DDRM.identity(6);
    private final DMatrixRMaj inv6 = new DMatrixRMaj(6, 6);
    private final double[] t = new double[16];

    public InverseKinematics(KinematicChain chain, Settings settings) {
        this.chain = chain;
        this.settings = settings;
        n = chain.dof();
        j = new DMatrixRMaj(6, n);
        dq = new DMatrixRMaj(n, 1);
        jPinv = new DMatrixRMaj(n, 6);
        nullProj = new DMatrixRMaj(n, n);
        posture = new DMatrixRMaj(n, 1);
        postureStep = new DMatrixRMaj(n, 1);
    }

    public InverseKinematics(KinematicChain chain) {
        this(chain, Settings.DEFAULT);
    }

    /**
     * Moves {@code q} (in place) toward the tip pose {@code target} (row-major 4x4 in the base
     * frame), pulling the redundant freedom toward {@code rest} (null for none). Orientation is
     * ignored when {@code positionOnly}. Returns true when within tolerance.
     */
    public boolean solve(double[] target, double[] q, double[] rest, boolean positionOnly) {
        for (int it = 0; it < settings.maxIterations(); it++) {
            chain.forward(q, t);
            double ex = target[3] - t[3], ey = target[7] - t[7], ez = target[11] - t[11];
            // orientation error: ½ Σ (r_i x r_i^target) over the columns of the rotations
            double ox = 0, oy = 0, oz = 0;
            if (!positionOnly) {
                for (int c = 0; c < 3; c++) {
                    double ax = t[c], ay = t[4 + c], az = t[8 + c];
                    double bx = target[c], by = target[4 + c], bz = target[8 + c];
                    ox += 0.5 * (ay * bz - az * by);
                    oy += 0.5 * (az * bx - ax * bz);
                    oz += 0.5 * (ax * by - ay * bx);
                }
            }
            double pe = Math.sqrt(ex * ex + ey * ey + ez * ez), oe = Math.sqrt(ox * ox + oy * oy + oz * oz);
            if (pe < settings.positionTolerance() && oe < settings.orientationTolerance()) return true;
            double wgt = positionOnly ? 0 : settings.orientationWeight();
            err.data[0] = ex; err.data[1] = ey; err.data[2] = ez;
            err.data[3] = wgt * ox; err.data[4] = wgt * oy; err.data[5] = wgt * oz;
            chain.jacobian(q, j);
            for (int c = 0; c < n; c++) {
                j.data[3 * n + c] *= wgt;
                j.data[4 * n + c] *= wgt;
                j.data[5 * n + c] *= wgt;
            }
            // J⁺ = Jᵀ (J Jᵀ + λ² I)⁻¹
            CommonOps_DDRM.multTransB(j, j, jjt);
            double l2 = settings.damping() * settings.damping();
            for (int d = 0; d < 6; d++) jjt.data[d * 7] += l2;
            if (!solver.setA(jjt)) return false;
            solver.solve(eye6, inv6);
            CommonOps_DDRM.multTransA(j, inv6, jPinv);
            CommonOps_DDRM.mult(jPinv, err, dq);
            boolean near = pe < 10 * settings.positionTolerance() && oe < 10 * settings.orientationTolerance();
            if (rest != null && !near) {
                // (I - J⁺J) k (rest - q); the damped J⁺J is not an exact projector, so the posture
                // task stops near the target and lets the primary task converge.
                CommonOps_DDRM.mult(jPinv, j, nullProj);
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) nullProj.data[a * n + b] = (a == b ? 1 : 0) - nullProj.data[a * n + b];
                    posture.data[a] = settings.postureGain() * (rest[a] - q[a]);
                }
                CommonOps_DDRM.mult(nullProj, posture, postureStep);
                CommonOps_DDRM.addEquals(dq, postureStep);
            }
            double norm = CommonOps_DDRM.elementMaxAbs(dq);
            double scale = norm > settings.maxStep() ? settings.maxStep() / norm : 1;
            for (int a = 0; a < n; a++) q[a] = Math.max(chain.lower(a), Math.min(chain.upper(a), q[a] + scale * dq.data[a]));
        }
        return false;
    }
}
