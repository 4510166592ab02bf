package org.teachlearn.robot.kinematics;

/** Row-major 4x4 homogeneous transforms in plain arrays, written into buffers the caller owns. */
public final class Transforms {

    private Transforms() {
    }

    public static double[] identity(double[] m) {
        java.util.Arrays.fill(m, 0);
        m[0] = m[5] = m[10] = m[15] = 1;
        return m;
    }

    /** A rotation by {@code angle} about the unit axis {@code axis[off..off+2]}. */
    public static void rotation(double[] axis, int off, double angle, double[] m) {
        double c = Math.cos(angle), s = Math.sin(angle), v = 1 - c;
        double x = axis[off], y = axis[off + 1], z = axis[off + 2];
        m[0] = c + x * x * v;      m[1] = x * y * v - z * s;  m[2] = x * z * v + y * s;  m[3] = 0;
        m[4] = y * x * v + z * s;  m[5] = c + y * y * v;      m[6] = y * z * v - x * s;  m[7] = 0;
        m[8] = z * x * v - y * s;  m[9] = z * y * v + x * s;  m[10] = c + z * z * v;     m[11] = 0;
        m[12] = 0;                 m[13] = 0;                 m[14] = 0;                 m[15] = 1;
    }

    /** A translation by {@code d} along the unit axis. */
    public static void translation(double[] axis, double d, double[] m) {
        identity(m);
        m[3] = axis[0] * d;
        m[7] = axis[1] * d;
        m[11] = axis[2] * d;
    }

    /** out = a * b; {@code out} must be neither operand. */
    public static void multiply(double[] a, double[] b, double[] out) {
        for (int r = 0; r < 3; r++) {
            double a0 = a[4 * r], a1 = a[4 * r + 1], a2 = a[4 * r + 2], a3 = a[4 * r + 3];
            out[4 * r] = a0 * b[0] + a1 * b[4] + a2 * b[8];
            out[4 * r + 1] = a0 * b[1] + a1 * b[5] + a2 * b[9];
            out[4 * r + 2] = a0 * b[2] + a1 * b[6] + a2 * b[10];
            out[4 * r + 3] = a0 * b[3] + a1 * b[7] + a2 * b[11] + a3;
        }
        out[12] = 0;
        out[13] = 0;
        out[14] = 0;
        out[15] = 1;
    }
}
