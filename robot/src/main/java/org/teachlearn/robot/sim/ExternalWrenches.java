package org.teachlearn.robot.sim;

import java.util.Arrays;
import org.ode4j.ode.DBody;

/**
 * Forces and torques held on links from outside the arm (a person's hand, a push), each in its
 * link's frame and applied at its origin, until replaced. Applied to the bodies before every step;
 * the wrist sensor feels those on the tool. Preallocated per link.
 */
final class ExternalWrenches {

    private final LinkTree tree;
    final double[] force;           // per link: 3, in the link frame
    final double[] torque;          // per link: 3
    final boolean[] held;
    private final double[] t = new double[16];

    ExternalWrenches(LinkTree tree) {
        this.tree = tree;
        int nl = tree.linkCount();
        force = new double[3 * nl];
        torque = new double[3 * nl];
        held = new boolean[nl];
    }

    void set(int li, double fx, double fy, double fz, double tx, double ty, double tz) {
        force[3 * li] = fx; force[3 * li + 1] = fy; force[3 * li + 2] = fz;
        torque[3 * li] = tx; torque[3 * li + 1] = ty; torque[3 * li + 2] = tz;
        held[li] = fx != 0 || fy != 0 || fz != 0 || tx != 0 || ty != 0 || tz != 0;
    }

    void clear() {
        Arrays.fill(held, false);
    }

    /** Adds every held wrench to its link's body, in world axes, for the next step. */
    void apply(ArmBodies bodies) {
        for (int li = 0; li < held.length; li++) {
            if (!held[li]) continue;
            bodies.linkPose(li, t);
            double fx = force[3 * li], fy = force[3 * li + 1], fz = force[3 * li + 2];
            double tx = torque[3 * li], ty = torque[3 * li + 1], tz = torque[3 * li + 2];
            DBody b = bodies.bodyOf(li);
            ArmBodies.forceAt(b, t[0] * fx + t[1] * fy + t[2] * fz, t[4] * fx + t[5] * fy + t[6] * fz, t[8] * fx + t[9] * fy + t[10] * fz,
                    t[3], t[7], t[11]);
            b.addTorque(t[0] * tx + t[1] * ty + t[2] * tz, t[4] * tx + t[5] * ty + t[6] * tz, t[8] * tx + t[9] * ty + t[10] * tz);
        }
    }
}
