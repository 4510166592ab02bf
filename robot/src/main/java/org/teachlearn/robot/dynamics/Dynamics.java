package org.teachlearn.robot.dynamics;

import static org.teachlearn.robot.kinematics.Transforms.identity;
import static org.teachlearn.robot.kinematics.Transforms.multiply;
import static org.teachlearn.robot.kinematics.Transforms.rotation;

import java.util.ArrayList;
import java.util.List;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Inverse dynamics of a serial arm by the recursive Newton–Euler algorithm, in the base frame:
 * torques for given positions, velocities and accelerations under gravity, and gravity torques
 * alone (what drag teaching feeds forward). Each moving body is the link after a joint plus every
 * link fixed to it (and side branches such as gripper fingers, lumped at their zero position).
 * All buffers are preallocated; nothing is allocated per call. Revolute chains only.
 */
public final class Dynamics {

    public static final double GRAVITY = 9.81;

    private final int n;
    private final double[] jointOrigin;   // per body: 16, parent-body frame -> joint frame at q = 0
    private final double[] axis;          // per body: 3, in the joint frame
    private final double[] mass;          // per body
    private final double[] com;           // per body: 3, in the joint frame
    private final double[] inertia;       // per body: 9, about the com, in the joint frame

    // per-call scratch
    private final double[] rot;           // per body: 9, base-frame rotation of the joint frame
    private final double[] pos;           // per body: 3, joint origin in the base frame
    private final double[] z;             // per body: 3, axis in the base frame
    private final double[] c;             // per body: 3, com in the base frame
    private final double[] w;             // per body: 3, angular velocity
    private final double[] dw;            // per body: 3, angular acceleration
    private final double[] ac;            // per body: 3, com linear acceleration (gravity included)
    private final double[] f;             // per body: 3, force from the parent
    private final double[] nm;            // per body: 3, moment from the parent about its joint origin
    private final double[] t = new double[16], tmp = new double[16], m = new double[16];
    private final double[] zeros;
    private final double[] v3 = new double[3], u3 = new double[3], iw = new double[3];

    public Dynamics(RobotModel model, KinematicChain chain) {
        n = chain.dof();
        jointOrigin = new double[16 * n];
        axis = new double[3 * n];
        mass = new double[n];
        com = new double[3 * n];
        inertia = new double[9 * n];
        List<String> chainChildren = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Joint j = chain.joint(i);
            if (j.type() != Joint.Type.REVOLUTE && j.type() != Joint.Type.CONTINUOUS) {
                throw new IllegalArgumentException("joint '" + j.name() + "' is " + j.type() + "; dynamics handles revolute chains");
            }
            chainChildren.add(j.child());
        }
        // The fixed transform from body i-1's joint frame to joint i's frame: the fixed joints
        // between them composed with joint i's own origin.
        List<Joint> path = model.chain(chain.baseLink(), chain.tipLink());
        double[] acc = identity(new double[16]);
        int body = 0;
        for (Joint j : path) {
            double[] o = new double[16];
            j.origin().toMatrix(o);
            multiply(acc, o, tmp);
            System.arraycopy(tmp, 0, acc, 0, 16);
            if (body < n && j.name().equals(chain.joint(body).name())) {   // by name: the chain may come from another parse
                System.arraycopy(acc, 0, jointOrigin, 16 * body, 16);
                System.arraycopy(j.axis(), 0, axis, 3 * body, 3);
                identity(acc);
                body++;
            }
        }
        for (int i = 0; i < n; i++) {
            String next = i + 1 < n ? chainChildren.get(i + 1) : null;
            MassProperties lumped = new MassProperties();
            lump(model, chainChildren.get(i), identity(new double[16]), next, chainChildren, lumped);
            mass[i] = lumped.mass();
            double[] ci = new double[3], ii = new double[9];
            lumped.centreOfMass(ci);
            lumped.inertiaAboutCentre(ii);
            System.arraycopy(ci, 0, com, 3 * i, 3);
            System.arraycopy(ii, 0, inertia, 9 * i, 9);
        }
        rot = new double[9 * n];
        pos = new double[3 * n];
        z = new double[3 * n];
        c = new double[3 * n];
        w = new double[3 * n];
        dw = new double[3 * n];
        ac = new double[3 * n];
        f = new double[3 * n];
        nm = new double[3 * n];
        zeros = new double[n];
    }

    public int dof() {
        return n;
    }

    /** Adds a link and everything hanging from it, except the next chain body, to {@code body}. */
    private static void lump(RobotModel model, String linkName, double[] tf, String stopAt, List<String> chainChildren,
            MassProperties body) {
        body.add(model.link(linkName).inertial(), tf);
        for (Joint j : model.joints().values()) {
            if (!j.parent().equals(linkName) || j.child().equals(stopAt) || chainChildren.contains(j.child())) continue;
            double[] o = new double[16];
            j.origin().toMatrix(o);
            double[] child = new double[16];
            multiply(tf, o, child);
            lump(model, j.child(), child, stopAt, chainChildren, body);
        }
    }

    /** Potential energy of the moving bodies at {@code q}, zero at the base's height. */
    public double potentialEnergy(double[] q, double[] scratchTau) {
        gravity(q, scratchTau);
        double e = 0;
        for (int i = 0; i < n; i++) e += mass[i] * GRAVITY * c[3 * i + 2];
        return e;
    }

    /** Joint torques that hold the arm still against gravity at {@code q}. */
    public void gravity(double[] q, double[] tau) {
        inverse(q, zeros, zeros, tau);
    }

    /** Joint torques that produce accelerations {@code qdd} at (q, qd) under gravity. */
    public void inverse(double[] q, double[] qd, double[] qdd, double[] tau) {
        if (q.length < n || qd.length < n || qdd.length < n || tau.length < n) {
            throw new IllegalArgumentException("expected arrays of " + n + " values");
        }
        identity(t);
        double pwx = 0, pwy = 0, pwz = 0;          // previous angular velocity
        double pax = 0, pay = 0, paz = 0;          // previous angular acceleration
        double plx = 0, ply = 0, plz = GRAVITY;    // previous joint origin acceleration (gravity as an upward base acceleration)
        double ppx = 0, ppy = 0, ppz = 0;          // previous joint origin
        for (int i = 0; i < n; i++) {
            System.arraycopy(jointOrigin, 16 * i, m, 0, 16);
            multiply(t, m, tmp);
            // acceleration of this joint's origin, a point of the previous body
            double dx = tmp[3] - ppx, dy = tmp[7] - ppy, dz = tmp[11] - ppz;
            cross(pax, pay, paz, dx, dy, dz, v3);
            cross(pwx, pwy, pwz, dx, dy, dz, u3);
            double wux = pwy * u3[2] - pwz * u3[1], wuy = pwz * u3[0] - pwx * u3[2], wuz = pwx * u3[1] - pwy * u3[0];
            plx += v3[0] + wux;
            ply += v3[1] + wuy;
            plz += v3[2] + wuz;
            double ax = axis[3 * i], ay = axis[3 * i + 1], az = axis[3 * i + 2];
            double zx = tmp[0] * ax + tmp[1] * ay + tmp[2] * az;
            double zy = tmp[4] * ax + tmp[5] * ay + tmp[6] * az;
            double zz = tmp[8] * ax + tmp[9] * ay + tmp[10] * az;
            z[3 * i] = zx;
            z[3 * i + 1] = zy;
            z[3 * i + 2] = zz;
            // rotate by q about the axis, in the joint frame
            rotation(axis, 3 * i, q[i], m);
            multiply(tmp, m, t);
            for (int r = 0; r < 3; r++) for (int k = 0; k < 3; k++) rot[9 * i + 3 * r + k] = t[4 * r + k];
            pos[3 * i] = t[3];
            pos[3 * i + 1] = t[7];
            pos[3 * i + 2] = t[11];
            double wx = pwx + zx * qd[i], wy = pwy + zy * qd[i], wz = pwz + zz * qd[i];
            cross(pwx, pwy, pwz, zx * qd[i], zy * qd[i], zz * qd[i], v3);
            double dwx = pax + zx * qdd[i] + v3[0], dwy = pay + zy * qdd[i] + v3[1], dwz = paz + zz * qdd[i] + v3[2];
            w[3 * i] = wx; w[3 * i + 1] = wy; w[3 * i + 2] = wz;
            dw[3 * i] = dwx; dw[3 * i + 1] = dwy; dw[3 * i + 2] = dwz;
            // centre of mass in the base frame and its acceleration
            double lx = com[3 * i], ly = com[3 * i + 1], lz = com[3 * i + 2];
            double rx = t[0] * lx + t[1] * ly + t[2] * lz, ry = t[4] * lx + t[5] * ly + t[6] * lz, rz = t[8] * lx + t[9] * ly + t[10] * lz;
            c[3 * i] = t[3] + rx; c[3 * i + 1] = t[7] + ry; c[3 * i + 2] = t[11] + rz;
            cross(dwx, dwy, dwz, rx, ry, rz, v3);
            cross(wx, wy, wz, rx, ry, rz, u3);
            ac[3 * i] = plx + v3[0] + (wy * u3[2] - wz * u3[1]);
            ac[3 * i + 1] = ply + v3[1] + (wz * u3[0] - wx * u3[2]);
            ac[3 * i + 2] = plz + v3[2] + (wx * u3[1] - wy * u3[0]);
            pwx = wx; pwy = wy; pwz = wz;
            pax = dwx; pay = dwy; paz = dwz;
            ppx = t[3]; ppy = t[7]; ppz = t[11];
        }
        for (int i = n - 1; i >= 0; i--) {
            double mm = mass[i];
            double fx = mm * ac[3 * i], fy = mm * ac[3 * i + 1], fz = mm * ac[3 * i + 2];
            // I_w dw + w x (I_w w), with I_w = R I R^T
            worldInertiaTimes(i, dw, iw);
            double tx = iw[0], ty = iw[1], tz = iw[2];
            worldInertiaTimes(i, w, iw);
            cross(w[3 * i], w[3 * i + 1], w[3 * i + 2], iw[0], iw[1], iw[2], v3);
            tx += v3[0]; ty += v3[1]; tz += v3[2];
            // moment about this joint's origin: of the body's own force at its com ...
            cross(c[3 * i] - pos[3 * i], c[3 * i + 1] - pos[3 * i + 1], c[3 * i + 2] - pos[3 * i + 2], fx, fy, fz, v3);
            tx += v3[0]; ty += v3[1]; tz += v3[2];
            if (i + 1 < n) {
                // ... and of what the child needs, transmitted through the child's joint origin
                double cfx = f[3 * (i + 1)], cfy = f[3 * (i + 1) + 1], cfz = f[3 * (i + 1) + 2];
                cross(pos[3 * (i + 1)] - pos[3 * i], pos[3 * (i + 1) + 1] - pos[3 * i + 1], pos[3 * (i + 1) + 2] - pos[3 * i + 2],
                        cfx, cfy, cfz, v3);
                tx += nm[3 * (i + 1)] + v3[0];
                ty += nm[3 * (i + 1) + 1] + v3[1];
                tz += nm[3 * (i + 1) + 2] + v3[2];
                fx += cfx; fy += cfy; fz += cfz;
            }
            f[3 * i] = fx; f[3 * i + 1] = fy; f[3 * i + 2] = fz;
            nm[3 * i] = tx; nm[3 * i + 1] = ty; nm[3 * i + 2] = tz;
            tau[i] = z[3 * i] * tx + z[3 * i + 1] * ty + z[3 * i + 2] * tz;
        }
    }

    private void worldInertiaTimes(int i, double[] vec, double[] out) {
        // out = R I R^T v
        double vx = vec[3 * i], vy = vec[3 * i + 1], vz = vec[3 * i + 2];
        int r = 9 * i;
        double lx = rot[r] * vx + rot[r + 3] * vy + rot[r + 6] * vz;
        double ly = rot[r + 1] * vx + rot[r + 4] * vy + rot[r + 7] * vz;
        double lz = rot[r + 2] * vx + rot[r + 5] * vy + rot[r + 8] * vz;
        double ix = inertia[r] * lx + inertia[r + 1] * ly + inertia[r + 2] * lz;
        double iy = inertia[r + 3] * lx + inertia[r + 4] * ly + inertia[r + 5] * lz;
        double iz = inertia[r + 6] * lx + inertia[r + 7] * ly + inertia[r + 8] * lz;
        out[0] = rot[r] * ix + rot[r + 1] * iy + rot[r + 2] * iz;
        out[1] = rot[r + 3] * ix + rot[r + 4] * iy + rot[r + 5] * iz;
        out[2] = rot[r + 6] * ix + rot[r + 7] * iy + rot[r + 8] * iz;
    }

    private static void cross(double ax, double ay, double az, double bx, double by, double bz, double[] out) {
        out[0] = ay * bz - az * by;
        out[1] = az * bx - ax * bz;
        out[2] = ax * by - ay * bx;
    }
}
