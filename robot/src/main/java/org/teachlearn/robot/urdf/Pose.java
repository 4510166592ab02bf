package org.teachlearn.robot.urdf;

/** An {@code <origin>}: translation in metres and roll-pitch-yaw in radians (fixed axes X, Y, Z). */
public record Pose(double x, double y, double z, double roll, double pitch, double yaw) {

    public static final Pose IDENTITY = new Pose(0, 0, 0, 0, 0, 0);

    /** Writes this pose as a row-major 4x4 homogeneous transform into {@code m[16]}. */
    public void toMatrix(double[] m) {
        double cr = Math.cos(roll), sr = Math.sin(roll);
        double cp = Math.cos(pitch), sp = Math.sin(pitch);
        double cy = Math.cos(yaw), sy = Math.sin(yaw);
        m[0] = cy * cp;  m[1] = cy * sp * sr - sy * cr;  m[2] = cy * sp * cr + sy * sr;  m[3] = x;
        m[4] = sy * cp;  m[5] = sy * sp * sr + cy * cr;  m[6] = sy * sp * cr - cy * sr;  m[7] = y;
        m[8] = -sp;      m[9] = cp * sr;                 m[10] = cp * cr;                m[11] = z;
        m[12] = 0;       m[13] = 0;                      m[14] = 0;                      m[15] = 1;
    }
}
