package org.teachlearn.robot.teach;

import org.ejml.data.DMatrixRMaj;

/**
 * Joint velocities for a twist of the hand: q̇ = Jᵀ (J Jᵀ + λ² I)⁻¹ v, damped only near a
 * singularity (λ grows from 0 as the smallest singular value σ of J falls below a threshold, so
 * away from singularities the hand goes exactly where it is pushed), slowed down there as well
 * (the twist scaled by a factor that falls to a floor at σ = 0, so the hand can still be guided
 * out), plus a posture task (I − J⁺J) k (q_rest − q) in the null space. σ comes from a few
 * inverse-iteration steps on J Jᵀ, warm-started from the last tick. Its own 6×6 Cholesky on
 * preallocated arrays: nothing is allocated per call.
 */
public final class DampedJacobianInverse {

    private final int n;
    private final double[] a = new double[36];   // J Jᵀ (+ λ² I), then its Cholesky factor
    private final double[] l = new double[36];
    private final double[] y = new double[6], x = new double[6], w = new double[6];
    private final double[] eig = {1, 1, 1, 1, 1, 1};   // inverse iteration's vector, kept across ticks
    private final double[] posture;
    private double sigma = Double.NaN, speedFactor = 1;

    public DampedJacobianInverse(int dof) {
        n = dof;
        posture = new double[dof];
    }

    /**
     * {@code qd[n]} for twist {@code v[6]} at Jacobian {@code j} (6 × n, base frame), pulling the
     * redundancy toward {@code rest} from {@code q} with gain {@code postureGain} (1/s; 0 for none).
     */
    public void solve(DMatrixRMaj j, double[] v, double[] q, double[] rest, double postureGain, DragSettings s, double[] qd) {
        double[] d = j.data;
        gram(d);
        sigma = Math.sqrt(Math.max(0, smallestEigenvalue()));
        double s0 = s.singularityThreshold(), ratio = Math.min(1, sigma / s0);
        double lambda2 = ratio < 1 ? s.dlsDamping() * s.dlsDamping() * (1 - ratio * ratio) : 0;
        speedFactor = s.singularitySpeedFloor() + (1 - s.singularitySpeedFloor()) * ratio;
        gram(d);
        for (int i = 0; i < 6; i++) a[7 * i] += lambda2 + 1e-12;
        factor();
        for (int i = 0; i < 6; i++) w[i] = speedFactor * v[i];
        cholSolve(w, y);
        for (int c = 0; c < n; c++) {
            double sum = 0;
            for (int r = 0; r < 6; r++) sum += d[r * n + c] * y[r];
            qd[c] = sum;
        }
        if (postureGain > 0 && rest != null) {
            // (I − J⁺J) z: z minus Jᵀ (J Jᵀ + λ² I)⁻¹ J z
            for (int c = 0; c < n; c++) posture[c] = postureGain * (rest[c] - q[c]);
            for (int r = 0; r < 6; r++) {
                double sum = 0;
                for (int c = 0; c < n; c++) sum += d[r * n + c] * posture[c];
                w[r] = sum;
            }
            cholSolve(w, y);
            for (int c = 0; c < n; c++) {
                double sum = 0;
                for (int r = 0; r < 6; r++) sum += d[r * n + c] * y[r];
                qd[c] += posture[c] - sum;
            }
        }
    }

    /** The smallest singular value of the last Jacobian. */
    public double smallestSingularValue() {
        return sigma;
    }

    /** The speed factor the last solve applied (1 away from singularities). */
    public double speedFactor() {
        return speedFactor;
    }

    private void gram(double[] d) {
        for (int r = 0; r < 6; r++) {
            for (int c = r; c < 6; c++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += d[r * n + k] * d[c * n + k];
                a[6 * r + c] = sum;
                a[6 * c + r] = sum;
            }
        }
    }

    /** λ_min of the Gram matrix in {@code a} by inverse iteration (destroys {@code a}). */
    private double smallestEigenvalue() {
        for (int i = 0; i < 6; i++) a[7 * i] += 1e-12;
        factor();
        double norm = 0;
        for (int it = 0; it < 4; it++) {
            cholSolve(eig, x);
            norm = 0;
            for (int i = 0; i < 6; i++) norm += x[i] * x[i];
            norm = Math.sqrt(norm);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                java.util.Arrays.fill(eig, 1 / Math.sqrt(6));
                return 0;
            }
            for (int i = 0; i < 6; i++) eig[i] = x[i] / norm;
        }
        return 1 / norm - 1e-12;
    }

    /** Cholesky factor of {@code a} into {@code l} (lower). */
    private void factor() {
        for (int i = 0; i < 6; i++) {
            for (int k = 0; k <= i; k++) {
                double sum = a[6 * i + k];
                for (int m = 0; m < k; m++) sum -= l[6 * i + m] * l[6 * k + m];
                if (i == k) l[7 * i] = Math.sqrt(Math.max(sum, 1e-300));
                else l[6 * i + k] = sum / l[7 * k];
            }
        }
    }

    /** Solves (L Lᵀ) out = b. */
    private void cholSolve(double[] b, double[] out) {
        for (int i = 0; i < 6; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[6 * i + k] * out[k];
            out[i] = sum / l[7 * i];
        }
        for (int i = 5; i >= 0; i--) {
            double sum = out[i];
            for (int k = i + 1; k < 6; k++) sum -= l[6 * k + i] * out[k];
            out[i] = sum / l[7 * i];
        }
    }
}
