package org.teachlearn.robot.kinematics;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * The serial chain from a base link to a tip link: forward kinematics and the geometric Jacobian
 * in the base frame. Built once from the URDF; every query fills preallocated buffers and
 * allocates nothing, so it can run in the control loop. Not thread-safe: one chain per thread.
 */
public final class KinematicChain {

    private final String base;
    private final String tip;
    private final Joint[] joints;          // every joint of the path, fixed ones included
    private final double[][] origins;      // each joint's fixed origin transform, row-major 4x4
    private final int[] movableIndex;      // position in q of joint i, or -1 if fixed
    private final Joint[] movable;         // the joint behind each coordinate of q
    private final String[] names;
    private final double[] lower;
    private final double[] upper;
    private final double[] velocity;
    private final double[] effort;

    private final double[] t = new double[16];
    private final double[] tmp = new double[16];
    private final double[] motion = new double[16];
    private final double[] jointPos;       // 3 per movable joint, base frame
    private final double[] jointAxis;      // 3 per movable joint, base frame

    public KinematicChain(RobotModel model, String base, String tip) {
        this.base = base;
        this.tip = tip;
        List<Joint> path = model.chain(base, tip);
        joints = path.toArray(new Joint[0]);
        origins = new double[joints.length][16];
        movableIndex = new int[joints.length];
        List<Joint> moving = new ArrayList<>();
        for (int i = 0; i < joints.length; i++) {
            joints[i].origin().toMatrix(origins[i]);
            if (joints[i].isMovable() && joints[i].mimic() == null) {
                movableIndex[i] = moving.size();
                moving.add(joints[i]);
            } else if (joints[i].isMovable()) {
                throw new IllegalArgumentException("joint '" + joints[i].name() + "' between " + base + " and " + tip
                        + " mimics another joint; chains of independent joints only");
            } else {
                movableIndex[i] = -1;
            }
        }
        movable = moving.toArray(new Joint[0]);
        int n = movable.length;
        names = new String[n];
        lower = new double[n];
        upper = new double[n];
        velocity = new double[n];
        effort = new double[n];
        for (int i = 0; i < n; i++) {
            Joint j = movable[i];
            names[i] = j.name();
            lower[i] = j.lower();
            upper[i] = j.upper();
            velocity[i] = j.velocity();
            effort[i] = j.effort();
        }
        jointPos = new double[3 * n];
        jointAxis = new double[3 * n];
    }

    public int dof() {
        return names.length;
    }

    public String baseLink() {
        return base;
    }

    public String tipLink() {
        return tip;
    }

    public String[] jointNames() {
        return names.clone();
    }

    public double lower(int i) {
        return lower[i];
    }

    public double upper(int i) {
        return upper[i];
    }

    public double velocityLimit(int i) {
        return velocity[i];
    }

    public double effortLimit(int i) {
        return effort[i];
    }

    /** The URDF joint behind coordinate {@code i}. */
    public Joint joint(int i) {
        return movable[i];
    }

    /** Joints on the path from base to tip, fixed ones included (what {@link #origin} and {@link #coordinate} index). */
    public int pathLength() {
        return joints.length;
    }

    /** Path joint {@code i}'s fixed origin transform (row-major 4x4) into {@code out[16]}: for those who rebuild the chain (the ONNX export). */
    public void origin(int i, double[] out) {
        System.arraycopy(origins[i], 0, out, 0, 16);
    }

    /** Path joint {@code i}'s coordinate in q, or −1 for a fixed joint. */
    public int coordinate(int i) {
        return movableIndex[i];
    }

    /** The tip's pose in the base frame, as a row-major 4x4 transform written into {@code out[16]}. */
    public void forward(double[] q, double[] out) {
        walk(q);
        System.arraycopy(t, 0, out, 0, 16);
    }

    /**
     * The geometric Jacobian at {@code q}: rows 0–2 map joint velocities to the tip's linear
     * velocity, rows 3–5 to its angular velocity, both in the base frame. {@code j} must be 6 x dof.
     */
    public void jacobian(double[] q, DMatrixRMaj j) {
        if (j.numRows != 6 || j.numCols != dof()) {
            throw new IllegalArgumentException("Jacobian must be 6 x " + dof() + ", not " + j.numRows + " x " + j.numCols);
        }
        walk(q);
        double px = t[3], py = t[7], pz = t[11];
        int n = dof();
        double[] d = j.data;
        for (int c = 0; c < n; c++) {
            double zx = jointAxis[3 * c], zy = jointAxis[3 * c + 1], zz = jointAxis[3 * c + 2];
            if (movable[c].isPrismatic()) {
                d[c] = zx;
                d[n + c] = zy;
                d[2 * n + c] = zz;
                d[3 * n + c] = 0;
                d[4 * n + c] = 0;
                d[5 * n + c] = 0;
            } else {
                double rx = px - jointPos[3 * c], ry = py - jointPos[3 * c + 1], rz = pz - jointPos[3 * c + 2];
                d[c] = zy * rz - zz * ry;
                d[n + c] = zz * rx - zx * rz;
                d[2 * n + c] = zx * ry - zy * rx;
                d[3 * n + c] = zx;
                d[4 * n + c] = zy;
                d[5 * n + c] = zz;
            }
        }
    }

    /** Composes the chain at q into {@code t}, noting each movable joint's position and axis. */
    private void walk(double[] q) {
        if (q.length < dof()) throw new IllegalArgumentException("expected " + dof() + " joint values, got " + q.length);
        Transforms.identity(t);
        for (int i = 0; i < joints.length; i++) {
            Transforms.multiply(t, origins[i], tmp);
            System.arraycopy(tmp, 0, t, 0, 16);
            int m = movableIndex[i];
            if (m < 0) continue;
            double[] a = joints[i].axis();
            jointPos[3 * m] = t[3];
            jointPos[3 * m + 1] = t[7];
            jointPos[3 * m + 2] = t[11];
            for (int r = 0; r < 3; r++) jointAxis[3 * m + r] = t[4 * r] * a[0] + t[4 * r + 1] * a[1] + t[4 * r + 2] * a[2];
            if (joints[i].isPrismatic()) Transforms.translation(a, q[m], motion);
            else Transforms.rotation(a, 0, q[m], motion);
            Transforms.multiply(t, motion, tmp);
            System.arraycopy(tmp, 0, t, 0, 16);
        }
    }
}
