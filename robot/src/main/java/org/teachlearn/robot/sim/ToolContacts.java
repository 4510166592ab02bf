package org.teachlearn.robot.sim;

import org.ode4j.math.DVector3C;
import org.ode4j.ode.DJoint;

/**
 * The contact forces on the tool (the links behind the wrist sensor), for the sensor: each step's
 * contacts are recorded with ODE force feedback as they are made, read after the solve, and
 * summed about the sensor origin over a window (a control period), because quickStep's forces
 * carry the residual of an unconverged solve. Preallocated; nothing allocated per step.
 */
final class ToolContacts {

    private final DJoint.DJointFeedback[] feedback;
    private final int[] side;              // 1 or 2: which body of the contact joint is the tool
    private final double[] point;          // 3 per contact, world frame
    private final double[] sum = new double[6];
    private int count;
    private int steps;

    ToolContacts(int capacity) {
        feedback = new DJoint.DJointFeedback[capacity];
        side = new int[capacity];
        point = new double[3 * capacity];
        for (int k = 0; k < capacity; k++) feedback[k] = new DJoint.DJointFeedback();
    }

    /** Forgets the last step's contacts, before collision detection. */
    void beginStep() {
        count = 0;
    }

    /** A contact joint between the tool (body {@code toolSide} of the joint) and something else, at {@code at}. */
    void record(DJoint contact, int toolSide, DVector3C at) {
        int c = count++;
        contact.setFeedback(feedback[c]);
        side[c] = toolSide;
        point[3 * c] = at.get0();
        point[3 * c + 1] = at.get1();
        point[3 * c + 2] = at.get2();
    }

    /** Whether the tool touched anything in this step. */
    boolean any() {
        return count > 0;
    }

    /** Adds this step's forces after the solve, about the sensor origin (px, py, pz), world axes. */
    void accumulate(boolean quickStep, double px, double py, double pz) {
        steps++;
        for (int c = 0; c < count; c++) {
            DVector3C f;
            double sign = 1;
            if (quickStep) {
                // ode4j 0.5.3's quickStep leaves f1 at zero and writes body 1's force into f2
                // (measured); the force on body 2 is its opposite
                f = feedback[c].f2;
                if (side[c] == 2) sign = -1;
            } else {
                f = side[c] == 1 ? feedback[c].f1 : feedback[c].f2;
            }
            double cx = sign * f.get0(), cy = sign * f.get1(), cz = sign * f.get2();
            double rx = point[3 * c] - px, ry = point[3 * c + 1] - py, rz = point[3 * c + 2] - pz;
            sum[0] += cx;
            sum[1] += cy;
            sum[2] += cz;
            sum[3] += ry * cz - rz * cy;
            sum[4] += rz * cx - rx * cz;
            sum[5] += rx * cy - ry * cx;
        }
    }

    /** Starts a new averaging window. */
    void restart() {
        java.util.Arrays.fill(sum, 0);
        steps = 0;
    }

    /** The mean force and torque over the window, world axes, into {@code out[6]}. */
    void mean(double[] out) {
        double n = Math.max(1, steps);
        for (int k = 0; k < 6; k++) out[k] = sum[k] / n;
    }
}
