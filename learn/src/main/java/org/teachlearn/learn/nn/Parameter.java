package org.teachlearn.learn.nn;

import org.ejml.data.DMatrixRMaj;

/** A trainable matrix and the gradient accumulated for it. */
public record Parameter(String name, DMatrixRMaj value, DMatrixRMaj grad) {

    public static Parameter of(String name, int rows, int cols) {
        return new Parameter(name, new DMatrixRMaj(rows, cols), new DMatrixRMaj(rows, cols));
    }

    public int size() {
        return value.getNumElements();
    }
}
