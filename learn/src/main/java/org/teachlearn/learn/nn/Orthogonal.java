package org.teachlearn.learn.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.teachlearn.learn.Rng;

/**
 * Orthogonal initialisation (Saxe et al.), as {@code torch.nn.init.orthogonal_} does it: QR of a
 * Gaussian matrix, signs fixed by R's diagonal so the result is uniformly distributed, times a gain.
 */
public final class Orthogonal {

    private Orthogonal() {
    }

    /** Fills {@code w} ([in, out], the transpose of torch's [out, in] weight) with gain · an orthogonal matrix. */
    public static void fill(DMatrixRMaj w, double gain, Rng rng) {
        int in = w.numRows, out = w.numCols;
        // Work on the tall orientation, as torch does for a [out, in] weight with out < in.
        boolean tall = in >= out;
        int rows = tall ? in : out, cols = tall ? out : in;
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) a.data[i] = rng.nextGaussian();
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        if (!qr.decompose(a.copy())) throw new IllegalStateException("QR of a Gaussian matrix failed");
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        for (int c = 0; c < cols; c++) {
            double sign = Math.signum(r.get(c, c));
            if (sign == 0) sign = 1;
            for (int row = 0; row < rows; row++) q.set(row, c, q.get(row, c) * sign * gain);
        }
        if (tall) {
            w.setTo(q);
        } else {
            CommonOps_DDRM.transpose(q, w);
        }
    }
}
