package org.teachlearn.robot.sim;

import java.util.Arrays;
import org.ode4j.math.DMatrix3C;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DBody;
import org.ode4j.ode.DHingeJoint;
import org.ode4j.ode.DJoint;
import org.ode4j.ode.DSliderJoint;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeHelper;
import org.teachlearn.robot.urdf.Joint;

/**
 * The arm's movable joints: an ODE hinge or slider per joint with the URDF limits as stops
 * (shifted to the build pose, where ODE reads 0), or a kinematic joint for a tool in a world
 * without objects. Reads positions and velocities from the bodies' poses (ode4j's own readers
 * allocate), applies efforts and motors. The model (joints, axes, rest poses) is built once; the
 * state (efforts, turns of continuous joints, kinematic positions) is what a step changes.
 */
final class ArmJoints {

    private final DWorld world;
    private final LinkTree tree;
    private final Joint[] joints;
    private final DBody[] bodies;

    // model, built once
    private final DHingeJoint[] hinges;       // null where prismatic or kinematic
    private final DSliderJoint[] sliders;     // null where revolute or kinematic
    private final int[] childBody;            // per joint: the moving body
    private final int[] parentBody;           // per joint: the body it moves against, -1 for the world
    private final double[] axisInParent;      // per joint: 3, unit axis in the parent body's frame
    private final double[] restRelative;      // per joint: 9 (hinge: child rotation in the parent frame) or 3 (slider: child COM there), at the build pose

    // state, stepped
    private final double[] lastAngle;         // for unwrapping continuous joints
    private final double[] turns;
    private final double[] effort;            // applied this step, incl. damping, for joint_states
    private final double[] kinPosition;
    private final double[] kinVelocity;
    private final double[] kinCommand;        // velocity the motor asks for

    // scratch
    private final double[] rel = new double[9];
    private final double[] axis = new double[3];

    ArmJoints(DWorld world, LinkTree tree, ArmBodies armBodies) {
        this.world = world;
        this.tree = tree;
        this.joints = tree.joints;
        this.bodies = armBodies.bodies;
        int nj = joints.length;
        hinges = new DHingeJoint[nj];
        sliders = new DSliderJoint[nj];
        lastAngle = new double[nj];
        turns = new double[nj];
        childBody = new int[nj];
        parentBody = new int[nj];
        axisInParent = new double[3 * nj];
        restRelative = new double[9 * nj];
        effort = new double[nj];
        kinPosition = new double[nj];
        kinVelocity = new double[nj];
        kinCommand = new double[nj];
        for (int i = 0; i < nj; i++) {
            Joint j = joints[i];
            int child = tree.linkIndex.get(j.child());
            if (tree.kinematic[i]) continue;
            DBody cb = bodies[tree.linkBody[child]];
            int pb = tree.linkBody[tree.linkIndex.get(j.parent())];
            DBody pbody = pb < 0 ? null : bodies[pb];
            double[] f = tree.buildFrames[child];
            double[] a = j.axis();
            double ax = f[0] * a[0] + f[1] * a[1] + f[2] * a[2];
            double ay = f[4] * a[0] + f[5] * a[1] + f[6] * a[2];
            double az = f[8] * a[0] + f[9] * a[1] + f[10] * a[2];
            boolean bounded = Double.isFinite(j.lower()) && Double.isFinite(j.upper());
            double build = tree.buildPosition[i];
            childBody[i] = tree.linkBody[child];
            parentBody[i] = pb;
            recordRest(i, ax, ay, az);
            if (j.isPrismatic()) {
                DSliderJoint s = OdeHelper.createSliderJoint(world);
                s.attach(cb, pbody);
                s.setAxis(ax, ay, az);
                if (bounded) {
                    s.setParamLoStop(j.lower() - build);
                    s.setParamHiStop(j.upper() - build);
                }
                sliders[i] = s;
            } else {
                DHingeJoint h = OdeHelper.createHingeJoint(world);
                h.attach(cb, pbody);
                h.setAnchor(f[3], f[7], f[11]);
                h.setAxis(ax, ay, az);
                if (bounded) {
                    h.setParamLoStop(j.lower() - build);
                    h.setParamHiStop(j.upper() - build);
                }
                hinges[i] = h;
            }
        }
    }

    int count() {
        return joints.length;
    }

    /** After the bodies were teleported to q: kinematic joints at q, continuous joints' turns counted, efforts cleared. */
    void resetAt(double[] q) {
        for (int i = 0; i < joints.length; i++) {
            if (tree.kinematic[i]) {
                kinPosition[i] = joints[i].clampPosition(q[i]);
                kinVelocity[i] = 0;
                kinCommand[i] = 0;
                effort[i] = 0;
                continue;
            }
            turns[i] = 0;
            lastAngle[i] = hinges[i] != null ? hingeAngle(i) : 0;
            double read = position(i);
            if (joints[i].type() == Joint.Type.CONTINUOUS) turns[i] = Math.rint((q[i] - read) / (2 * Math.PI));
            effort[i] = 0;
        }
    }

    double position(int i) {
        if (tree.kinematic[i]) return kinPosition[i];
        if (sliders[i] != null) return sliderOffset(i) + tree.buildPosition[i];
        return hingeAngle(i) + 2 * Math.PI * turns[i] + tree.buildPosition[i];
    }

    double velocity(int i) {
        if (tree.kinematic[i]) return kinVelocity[i];
        DBody c = bodies[childBody[i]];
        DBody p = parentBody[i] < 0 ? null : bodies[parentBody[i]];
        worldAxis(i, p);
        double ax = axis[0], ay = axis[1], az = axis[2];
        if (sliders[i] == null) {
            DVector3C wc = c.getAngularVel();
            double wx = wc.get0(), wy = wc.get1(), wz = wc.get2();
            if (p != null) {
                DVector3C wp = p.getAngularVel();
                wx -= wp.get0(); wy -= wp.get1(); wz -= wp.get2();
            }
            return ax * wx + ay * wy + az * wz;
        }
        DVector3C vc = c.getLinearVel();
        double vx = vc.get0(), vy = vc.get1(), vz = vc.get2();
        if (p != null) {
            DVector3C vp = p.getLinearVel(), wp = p.getAngularVel(), pc = c.getPosition(), pp = p.getPosition();
            double dx = pc.get0() - pp.get0(), dy = pc.get1() - pp.get1(), dz = pc.get2() - pp.get2();
            vx -= vp.get0() + wp.get1() * dz - wp.get2() * dy;
            vy -= vp.get1() + wp.get2() * dx - wp.get0() * dz;
            vz -= vp.get2() + wp.get0() * dy - wp.get1() * dx;
        }
        return ax * vx + ay * vy + az * vz;
    }

    double effort(int i) {
        return effort[i];
    }

    void addEffort(int i, double e) {
        effort[i] += e;
        actuate(i, e);
    }

    void noteEffort(int i, double e) {
        effort[i] += e;
    }

    void clearEfforts() {
        Arrays.fill(effort, 0);
    }

    /** Passive joint friction, before a step: not the motor's effort, so not noted for joint_states. */
    void applyDamping() {
        for (int i = 0; i < joints.length; i++) {
            double d = joints[i].damping();
            if (d > 0) actuate(i, -d * velocity(i));
        }
    }

    void setMotor(int i, double velocity, double maxEffort, double damping) {
        if (tree.kinematic[i]) {
            kinCommand[i] = maxEffort > 0 ? velocity : 0;
            return;
        }
        DJoint j = sliders[i] != null ? sliders[i] : hinges[i];
        j.setParam(DJoint.PARAM_N.dParamVel1, velocity);
        j.setParam(DJoint.PARAM_N.dParamFMax1, maxEffort);
        j.setParam(DJoint.PARAM_N.dParamCFM1, damping > 0 ? 1 / damping : world.getCFM());
        // at a stop ODE would add the motor's full force explicitly ("fudge"), and a servo parked
        // on its limit (an open gripper) bounces off it; the stop holds the joint anyway
        j.setParam(DJoint.PARAM_N.dParamFudgeFactor1, 0);
    }

    /** After a step of {@code dt}: kinematic joints follow their motors, continuous joints count their turns. */
    void endStep(double dt) {
        for (int i = 0; i < joints.length; i++) {
            if (!tree.kinematic[i]) continue;
            double v = Math.max(-joints[i].velocity(), Math.min(joints[i].velocity(), kinCommand[i]));
            double q = kinPosition[i] + v * dt;
            double clamped = joints[i].clampPosition(q);
            kinVelocity[i] = clamped == q ? v : 0;
            kinPosition[i] = clamped;
        }
        for (int i = 0; i < joints.length; i++) {
            if (joints[i].type() != Joint.Type.CONTINUOUS) continue;
            double a = hingeAngle(i);
            if (a - lastAngle[i] > Math.PI) turns[i] -= 1;
            else if (a - lastAngle[i] < -Math.PI) turns[i] += 1;
            lastAngle[i] = a;
        }
    }

    /** Equal and opposite torque (hinge) or force along one line (slider) on the joint's two bodies. */
    private void actuate(int i, double e) {
        if (tree.kinematic[i]) return;   // a kinematic joint follows its motor only
        DBody c = bodies[childBody[i]];
        DBody p = parentBody[i] < 0 ? null : bodies[parentBody[i]];
        worldAxis(i, p);
        double ax = axis[0], ay = axis[1], az = axis[2];
        if (sliders[i] == null) {
            c.addTorque(e * ax, e * ay, e * az);
            if (p != null) p.addTorque(-e * ax, -e * ay, -e * az);
        } else {
            c.addForce(e * ax, e * ay, e * az);
            if (p != null) {
                DVector3C at = c.getPosition();
                ArmBodies.forceAt(p, -e * ax, -e * ay, -e * az, at.get0(), at.get1(), at.get2());
            }
        }
    }

    /** Joint i's axis in world coordinates, into {@link #axis}. */
    private void worldAxis(int i, DBody parent) {
        double ux = axisInParent[3 * i], uy = axisInParent[3 * i + 1], uz = axisInParent[3 * i + 2];
        if (parent == null) {
            axis[0] = ux; axis[1] = uy; axis[2] = uz;
            return;
        }
        DMatrix3C r = parent.getRotation();
        axis[0] = r.get00() * ux + r.get01() * uy + r.get02() * uz;
        axis[1] = r.get10() * ux + r.get11() * uy + r.get12() * uz;
        axis[2] = r.get20() * ux + r.get21() * uy + r.get22() * uz;
    }

    /** Notes the joint's axis and its bodies' relative pose at the build pose, where it reads 0. */
    private void recordRest(int i, double ax, double ay, double az) {
        int pb = parentBody[i];
        double[] rp = new double[9];
        if (pb < 0) {
            rp[0] = rp[4] = rp[8] = 1;
        } else {
            DMatrix3C r = bodies[pb].getRotation();
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) rp[3 * a + b] = r.get(a, b);
        }
        // axis in the parent frame: Rpᵀ a
        axisInParent[3 * i] = rp[0] * ax + rp[3] * ay + rp[6] * az;
        axisInParent[3 * i + 1] = rp[1] * ax + rp[4] * ay + rp[7] * az;
        axisInParent[3 * i + 2] = rp[2] * ax + rp[5] * ay + rp[8] * az;
        relativePose(i);
        System.arraycopy(rel, 0, restRelative, 9 * i, 9);
    }

    /**
     * Into {@link #rel}: for a hinge the child's rotation in the parent frame (Rpᵀ Rc, row-major);
     * for a slider the child's centre in the parent frame (first three values).
     */
    private void relativePose(int i) {
        DBody c = bodies[childBody[i]];
        DBody p = parentBody[i] < 0 ? null : bodies[parentBody[i]];
        if (!joints[i].isPrismatic()) {
            DMatrix3C rc = c.getRotation();
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double sum;
                    if (p == null) {
                        sum = rc.get(a, b);
                    } else {
                        DMatrix3C rp = p.getRotation();
                        sum = rp.get(0, a) * rc.get(0, b) + rp.get(1, a) * rc.get(1, b) + rp.get(2, a) * rc.get(2, b);
                    }
                    rel[3 * a + b] = sum;
                }
            }
        } else {
            DVector3C pc = c.getPosition();
            double dx = pc.get0(), dy = pc.get1(), dz = pc.get2();
            if (p == null) {
                rel[0] = dx; rel[1] = dy; rel[2] = dz;
            } else {
                DVector3C pp = p.getPosition();
                DMatrix3C rp = p.getRotation();
                dx -= pp.get0(); dy -= pp.get1(); dz -= pp.get2();
                rel[0] = rp.get00() * dx + rp.get10() * dy + rp.get20() * dz;
                rel[1] = rp.get01() * dx + rp.get11() * dy + rp.get21() * dz;
                rel[2] = rp.get02() * dx + rp.get12() * dy + rp.get22() * dz;
            }
        }
    }

    /** The hinge's turn from the build pose: the rotation R = Rrel Rrel₀ᵀ about its axis u, atan2(u·vee(R − Rᵀ)/2, (tr R − 1)/2). */
    private double hingeAngle(int i) {
        relativePose(i);
        int o = 9 * i;
        double[] r0 = restRelative;
        // R[a][b] = Σk rel[a][k] r0[b][k]
        double r00 = rel[0] * r0[o] + rel[1] * r0[o + 1] + rel[2] * r0[o + 2];
        double r11 = rel[3] * r0[o + 3] + rel[4] * r0[o + 4] + rel[5] * r0[o + 5];
        double r22 = rel[6] * r0[o + 6] + rel[7] * r0[o + 7] + rel[8] * r0[o + 8];
        double r21 = rel[6] * r0[o + 3] + rel[7] * r0[o + 4] + rel[8] * r0[o + 5];
        double r12 = rel[3] * r0[o + 6] + rel[4] * r0[o + 7] + rel[5] * r0[o + 8];
        double r02 = rel[0] * r0[o + 6] + rel[1] * r0[o + 7] + rel[2] * r0[o + 8];
        double r20 = rel[6] * r0[o] + rel[7] * r0[o + 1] + rel[8] * r0[o + 2];
        double r10 = rel[3] * r0[o] + rel[4] * r0[o + 1] + rel[5] * r0[o + 2];
        double r01 = rel[0] * r0[o + 3] + rel[1] * r0[o + 4] + rel[2] * r0[o + 5];
        double tr = r00 + r11 + r22;
        double sx = 0.5 * (r21 - r12), sy = 0.5 * (r02 - r20), sz = 0.5 * (r10 - r01);
        double sin = axisInParent[3 * i] * sx + axisInParent[3 * i + 1] * sy + axisInParent[3 * i + 2] * sz;
        return Math.atan2(sin, 0.5 * (tr - 1));
    }

    /** The slider's travel from the build pose along its axis. */
    private double sliderOffset(int i) {
        relativePose(i);
        int o = 9 * i;
        return axisInParent[3 * i] * (rel[0] - restRelative[o]) + axisInParent[3 * i + 1] * (rel[1] - restRelative[o + 1])
                + axisInParent[3 * i + 2] * (rel[2] - restRelative[o + 2]);
    }
}
