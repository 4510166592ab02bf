package org.teachlearn.robot.sim;

import java.util.Arrays;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DJoint;

/**
 * The wrist force/torque sensor: adds up what acts on the links beyond it (contact forces from
 * ODE's feedback, external wrenches), so it costs the solver nothing. It reports what a
 * bias-compensated sensor does: anything but gravity and the tool's own inertia. Preallocated;
 * nothing allocated per step.
 */
final class WristSensor {

    private final LinkTree tree;
    private final ToolContacts contacts;
    private final double[] contactWrench = new double[6];
    private final double[] sensorPose = new double[16], linkPose = new double[16];

    WristSensor(LinkTree tree, int contactCapacity) {
        this.tree = tree;
        contacts = new ToolContacts(contactCapacity);
    }

    boolean present() {
        return tree.sensorLink >= 0;
    }

    /** Forgets the last step's contacts, before collision detection. */
    void beginStep() {
        contacts.beginStep();
    }

    /** A contact joint between the tool (body {@code toolSide} of the joint) and something else, at {@code at}. */
    void touch(DJoint contact, int toolSide, DVector3C at) {
        contacts.record(contact, toolSide, at);
    }

    /** Whether the tool touched anything in this step. */
    boolean touching() {
        return contacts.any();
    }

    /** Adds this step's contact forces, after the solve. */
    void endStep(ArmBodies bodies, boolean quickStep) {
        if (!present()) return;
        bodies.linkPose(tree.sensorLink, sensorPose);
        contacts.accumulate(quickStep, sensorPose[3], sensorPose[7], sensorPose[11]);
    }

    /** Starts a new averaging window for the contact part of the reading (once per control period). */
    void restart() {
        contacts.restart();
    }

    /**
     * Force then torque, in the sensor link's frame, about its origin, into {@code out[6]};
     * contacts averaged since {@link #restart}. Zeros when there is no sensor.
     */
    void read(ArmBodies bodies, ExternalWrenches external, double[] out) {
        Arrays.fill(out, 0, 6, 0);
        if (!present()) return;
        double[] t = sensorPose, l = linkPose;
        bodies.linkPose(tree.sensorLink, t);
        double px = t[3], py = t[7], pz = t[11];
        contacts.mean(contactWrench);
        double fx = contactWrench[0], fy = contactWrench[1], fz = contactWrench[2];
        double tx = contactWrench[3], ty = contactWrench[4], tz = contactWrench[5];
        double[] ef = external.force, et = external.torque;
        for (int li = 0; li < external.held.length; li++) {
            if (!external.held[li] || !tree.onTool[li]) continue;
            bodies.linkPose(li, l);
            double ex = ef[3 * li], ey = ef[3 * li + 1], ez = ef[3 * li + 2];
            double wx = l[0] * ex + l[1] * ey + l[2] * ez, wy = l[4] * ex + l[5] * ey + l[6] * ez,
                    wz = l[8] * ex + l[9] * ey + l[10] * ez;
            double mx = et[3 * li], my = et[3 * li + 1], mz = et[3 * li + 2];
            double rx = l[3] - px, ry = l[7] - py, rz = l[11] - pz;
            fx += wx; fy += wy; fz += wz;
            tx += l[0] * mx + l[1] * my + l[2] * mz + ry * wz - rz * wy;
            ty += l[4] * mx + l[5] * my + l[6] * mz + rz * wx - rx * wz;
            tz += l[8] * mx + l[9] * my + l[10] * mz + rx * wy - ry * wx;
        }
        out[0] = t[0] * fx + t[4] * fy + t[8] * fz;
        out[1] = t[1] * fx + t[5] * fy + t[9] * fz;
        out[2] = t[2] * fx + t[6] * fy + t[10] * fz;
        out[3] = t[0] * tx + t[4] * ty + t[8] * tz;
        out[4] = t[1] * tx + t[5] * ty + t[9] * tz;
        out[5] = t[2] * tx + t[6] * ty + t[10] * tz;
    }
}
