package org.teachlearn.robot.teleop;

/**
 * Row-major 3x3 rotations and unit quaternions (x, y, z, w) in plain arrays written into buffers
 * the caller owns: what teleoperation needs to carry a controller's motion into the base frame.
 * Allocation-free.
 */
public final class Rotation3 {

    private Rotation3() {
    }

    /** The rotation of the unit quaternion (x, y, z, w) into {@code m[9]} (normalised first: a slightly off quaternion still rotates). */
    public static void fromQuaternion(double x, double y, double z, double w, double[] m) {
        double n = Math.sqrt(x * x + y * y + z * z + w * w);
        x /= n;
        y /= n;
        z /= n;
        w /= n;
        m[0] = 1 - 2 * (y * y + z * z);
        m[1] = 2 * (x * y - z * w);
        m[2] = 2 * (x * z + y * w);
        m[3] = 2 * (x * y + z * w);
        m[4] = 1 - 2 * (x * x + z * z);
        m[5] = 2 * (y * z - x * w);
        m[6] = 2 * (x * z - y * w);
        m[7] = 2 * (y * z + x * w);
        m[8] = 1 - 2 * (x * x + y * y);
    }

    /** The unit quaternion (x, y, z, w) of rotation {@code m[9]} into {@code q[4]}. */
    public static void toQuaternion(double[] m, double[] q) {
        double t = m[0] + m[4] + m[8];
        if (t > 0) {
            double s = 2 * Math.sqrt(1 + t);
            q[3] = s / 4;
            q[0] = (m[7] - m[5]) / s;
            q[1] = (m[2] - m[6]) / s;
            q[2] = (m[3] - m[1]) / s;
        } else if (m[0] > m[4] && m[0] > m[8]) {
            double s = 2 * Math.sqrt(1 + m[0] - m[4] - m[8]);
            q[3] = (m[7] - m[5]) / s;
            q[0] = s / 4;
            q[1] = (m[1] + m[3]) / s;
            q[2] = (m[2] + m[6]) / s;
        } else if (m[4] > m[8]) {
            double s = 2 * Math.sqrt(1 + m[4] - m[0] - m[8]);
            q[3] = (m[2] - m[6]) / s;
            q[0] = (m[1] + m[3]) / s;
            q[1] = s / 4;
            q[2] = (m[5] + m[7]) / s;
        } else {
            double s = 2 * Math.sqrt(1 + m[8] - m[0] - m[4]);
            q[3] = (m[3] - m[1]) / s;
            q[0] = (m[2] + m[6]) / s;
            q[1] = (m[5] + m[7]) / s;
            q[2] = s / 4;
        }
    }

    /** out = a b; {@code out} must be neither operand. */
    public static void multiply(double[] a, double[] b, double[] out) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
        }
    }

    /** out = a bᵀ; {@code out} must be neither operand. */
    public static void multiplyTransposed(double[] a, double[] b, double[] out) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) out[3 * r + c] = a[3 * r] * b[3 * c] + a[3 * r + 1] * b[3 * c + 1] + a[3 * r + 2] * b[3 * c + 2];
        }
    }

    /** out = m v (3 values); {@code out} must not be {@code v}. */
    public static void rotate(double[] m, double[] v, double[] out) {
        for (int r = 0; r < 3; r++) out[r] = m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2];
    }

    /** out = mᵀ v (3 values); {@code out} must not be {@code v}. */
    public static void rotateBack(double[] m, double[] v, double[] out) {
        for (int r = 0; r < 3; r++) out[r] = m[r] * v[0] + m[3 + r] * v[1] + m[6 + r] * v[2];
    }

    /** The rotation part of a row-major 4x4 transform into {@code m[9]}. */
    public static void ofTransform(double[] t, double[] m) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) m[3 * r + c] = t[4 * r + c];
        }
    }
}
