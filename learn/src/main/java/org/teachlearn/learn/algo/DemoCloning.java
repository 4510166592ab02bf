package org.teachlearn.learn.algo;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * A behaviour-cloning term on the demonstration rows of an off-policy learner's minibatch, DDPGfD's
 * idea for continuous actions (Večerík et al. 2017; Nair et al. 2018). The first n rows of every
 * minibatch are demonstrations (demonstration replay draws them first), and the actor's loss gains
 * <pre>
 *   L_bc = λ · (1/n) · Σ_{r &lt; n} m_r · ‖u_π(s_r) − u_r‖²
 * </pre>
 * where u_r is the demonstrated output and u_π the actor's: μ(s) for DDPG and TD3, the
 * reparameterised sample ũ for SAC (the squared error of the sample, which narrows σ where the
 * demonstrations are, rather than their negative log-likelihood: a demonstrated u clipped to ±1
 * has none under the tanh squashing). With the Q-filter m_r = 1 only where the critic values the
 * demonstrated output above the actor's, Q(s_r, u_r) &gt; Q(s_r, u_π(s_r)), else 0 (Nair et al.):
 * a demonstration pulls the actor only where it is still better than what the actor does, so a
 * learner that outgrows an imperfect demonstrator is not held back by it. Q is the value the
 * actor climbs: TD3's and DDPG's first critic, the smaller of SAC's two. Without the filter m_r = 1.
 * Nothing is allocated once the arrays fit the minibatch.
 */
public final class DemoCloning {

    private final double weight;
    private final boolean qFilter;
    private final int rows;
    private final DMatrixRMaj obs = new DMatrixRMaj(1, 1);
    private final double[] q0, q1;
    private double lossSum, keptSum;
    private long terms;
    private int lastKept;

    /** λ {@code weight} > 0 on the first {@code rows} rows of each minibatch, with or without the Q-filter. */
    public DemoCloning(double weight, boolean qFilter, int rows) {
        if (!(weight > 0) || !Double.isFinite(weight)) throw new IllegalArgumentException("--demo-bc must be a weight > 0 (0: no term), got " + weight);
        if (rows < 1) {
            throw new IllegalArgumentException("--demo-bc needs demonstrations in every minibatch (--demo-replay N or --bags, and --demo-ratio > 0)");
        }
        this.weight = weight;
        this.qFilter = qFilter;
        this.rows = rows;
        q0 = new double[rows];
        q1 = new double[rows];
    }

    public double weight() {
        return weight;
    }

    public boolean qFilter() {
        return qFilter;
    }

    /** Demonstration rows per minibatch. */
    public int rows() {
        return rows;
    }

    /** The demonstration rows of {@code obsN}, for the critics to value the demonstrated outputs (the filter). */
    DMatrixRMaj observations(DMatrixRMaj obsN) {
        if (obsN.numRows < rows) throw new IllegalArgumentException("a minibatch of " + obsN.numRows + " rows has no " + rows + " demonstration rows");
        obs.reshape(rows, obsN.numCols);
        System.arraycopy(obsN.data, 0, obs.data, 0, rows * obsN.numCols);
        return obs;
    }

    /** Where critic {@code i}'s values at the demonstrated outputs go (the filter). */
    double[] demoValues(int i) {
        return i == 0 ? q0 : q1;
    }

    /**
     * Adds ∂L_bc/∂u_π to {@code dU} and returns L_bc: {@code uPolicy} the actor's outputs, {@code
     * uDemo} the minibatch's, {@code qPolicy0} (and {@code qPolicy1} for twin critics, else null)
     * the critics' values at the actor's outputs, whose demonstration-row counterparts
     * {@link #demoValues} holds when the filter is on.
     */
    double add(double[] uPolicy, double[] uDemo, double[] qPolicy0, double[] qPolicy1, int actDim, double[] dU) {
        double loss = 0, scale = weight / rows;
        int kept = 0;
        for (int r = 0; r < rows; r++) {
            if (qFilter) {
                double demo = qPolicy1 == null ? q0[r] : Math.min(q0[r], q1[r]);
                double policy = qPolicy1 == null ? qPolicy0[r] : Math.min(qPolicy0[r], qPolicy1[r]);
                if (!(demo > policy)) continue;
            }
            kept++;
            for (int j = r * actDim; j < (r + 1) * actDim; j++) {
                double d = uPolicy[j] - uDemo[j];
                loss += d * d;
                dU[j] += 2 * scale * d;
            }
        }
        loss *= scale;
        lastKept = kept;
        lossSum += loss;
        keptSum += (double) kept / rows;
        terms++;
        return loss;
    }

    /** Demonstration rows the last term kept (all without the filter). */
    int lastKept() {
        return lastKept;
    }

    /** " bc 0.0123 (kept 64 %)": the mean term and share of demonstration rows kept by the filter since the last call; "" when none. */
    public String takeSummary() {
        if (terms == 0) return "";
        String s = String.format(Locale.ROOT, " bc %.3g", lossSum / terms) + (qFilter ? String.format(Locale.ROOT, " (kept %.0f%%)", 100 * keptSum / terms) : "");
        lossSum = keptSum = 0;
        terms = 0;
        return s;
    }
}
