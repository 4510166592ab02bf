package org.teachlearn.learn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.Rng;

/** The blocked products equal EJML's within rounding for every shape the blocking can leave a remainder of. */
class GemmTest {

    @Test
    void productsEqualEjmlsForEveryRemainderOfTheBlocking() {
        Rng rng = new Rng(5);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 18, 33};
        for (int n : sizes) {
            for (int m : sizes) {
                for (int p : new int[] {1, 3, 8, 17}) {
                    DMatrixRMaj a = random(n, m, rng), b = random(m, p, rng), ours = new DMatrixRMaj(1, 1), theirs = new DMatrixRMaj(n, p);
                    Gemm.mult(a, b, ours);
                    CommonOps_DDRM.mult(a, b, theirs);
                    close(theirs, ours, "A·B " + n + "x" + m + "·" + m + "x" + p);

                    DMatrixRMaj c = random(n, p, rng), expected = c.copy();
                    Gemm.multAdd(a, b, c);
                    CommonOps_DDRM.multAdd(a, b, expected);
                    close(expected, c, "C += A·B " + n + "x" + m + "·" + m + "x" + p);

                    DMatrixRMaj at = random(m, n, rng), g = random(n, p, rng), bt = random(m, p, rng), gExpected = g.copy();
                    Gemm.multAddTransA(at, bt, g);
                    CommonOps_DDRM.multAddTransA(at, bt, gExpected);
                    close(gExpected, g, "C += Aᵀ·B " + m + "x" + n + "ᵀ·" + m + "x" + p);
                }
            }
        }
    }

    @Test
    void mismatchedShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Gemm.mult(new DMatrixRMaj(2, 3), new DMatrixRMaj(4, 2), new DMatrixRMaj(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Gemm.multAdd(new DMatrixRMaj(2, 3), new DMatrixRMaj(3, 2), new DMatrixRMaj(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Gemm.multAddTransA(new DMatrixRMaj(2, 3), new DMatrixRMaj(3, 2), new DMatrixRMaj(3, 2)));
    }

    private static DMatrixRMaj random(int rows, int cols, Rng rng) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) m.data[i] = rng.nextGaussian();
        return m;
    }

    private static void close(DMatrixRMaj expected, DMatrixRMaj actual, String what) {
        assertEquals(expected.numRows, actual.numRows, what + ": rows");
        assertEquals(expected.numCols, actual.numCols, what + ": columns");
        for (int i = 0; i < expected.getNumElements(); i++) assertEquals(expected.data[i], actual.data[i], 1e-12, what + ": element " + i);
    }
}
