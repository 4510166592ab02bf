package org.teachlearn.robot.dynamics;

import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.Inertial;

/**
 * Mass, centre of mass and inertia of several links lumped into one rigid body, in the frame the
 * links are placed in. Used once at construction (dynamics, simulator), never in a loop.
 */
public final class MassProperties {

    private double mass;
    private final double[] firstMoment = new double[3];
    private final double[] secondMoment = new double[9];   // about the frame origin

    /** Adds a link's inertial, the link placed at the row-major 4x4 transform {@code linkFrame}. */
    public void add(Inertial in, double[] linkFrame) {
        if (in.mass() <= 0) return;
        double[] o = new double[16];
        in.origin().toMatrix(o);
        double[] ci = new double[16];
        Transforms.multiply(linkFrame, o, ci);
        double m = in.mass();
        double[] p = {ci[3], ci[7], ci[11]};
        mass += m;
        for (int a = 0; a < 3; a++) firstMoment[a] += m * p[a];
        // R I Rᵀ + m (|p|² E − p pᵀ): the link's inertia moved to the frame origin
        double[] il = {in.ixx(), in.ixy(), in.ixz(), in.ixy(), in.iyy(), in.iyz(), in.ixz(), in.iyz(), in.izz()};
        double[] r = {ci[0], ci[1], ci[2], ci[4], ci[5], ci[6], ci[8], ci[9], ci[10]};
        double pp = p[0] * p[0] + p[1] * p[1] + p[2] * p[2];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) for (int l = 0; l < 3; l++) sum += r[3 * a + k] * il[3 * k + l] * r[3 * b + l];
                secondMoment[3 * a + b] += sum + m * ((a == b ? pp : 0) - p[a] * p[b]);
            }
        }
    }

    public double mass() {
        return mass;
    }

    /** The centre of mass, into {@code out[3]} (the origin when massless). */
    public void centreOfMass(double[] out) {
        for (int a = 0; a < 3; a++) out[a] = mass > 0 ? firstMoment[a] / mass : 0;
    }

    /** The inertia tensor about the centre of mass, row-major 3x3 into {@code out[9]}. */
    public void inertiaAboutCentre(double[] out) {
        double[] c = new double[3];
        centreOfMass(c);
        double cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) out[3 * a + b] = secondMoment[3 * a + b] - mass * ((a == b ? cc : 0) - c[a] * c[b]);
        }
    }
}
