package org.teachlearn.robot.sim;

import static org.teachlearn.robot.kinematics.Transforms.multiply;

import org.ode4j.math.DMatrix3;
import org.ode4j.math.DMatrix3C;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DBody;
import org.ode4j.ode.DMass;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeHelper;

/**
 * The arm's rigid bodies in the ODE world, one per group of links that {@link LinkTree} lumped
 * together, with each body's frame at its centre of mass: placing them at joint positions, and
 * reading any link's world pose back from them. Built once; placing and reading allocate nothing.
 */
final class ArmBodies {

    private final LinkTree tree;
    final DBody[] bodies;
    private final double[][] linkFrames;      // scratch: every link's frame while placing
    private final double[] bodyPose = new double[16];
    private final DMatrix3 rot = new DMatrix3();

    ArmBodies(DWorld world, LinkTree tree) {
        this.tree = tree;
        bodies = new DBody[tree.bodyCount];
        for (int b = 0; b < tree.bodyCount; b++) {
            double[] in = tree.bodyInertia;
            int o = 9 * b;
            DBody body = OdeHelper.createBody(world);
            DMass m = OdeHelper.createMass();
            m.setParameters(tree.bodyMass[b], 0, 0, 0, in[o], in[o + 4], in[o + 8], in[o + 1], in[o + 2], in[o + 5]);
            body.setMass(m);
            body.setGyroscopicMode(true);
            bodies[b] = body;
        }
        linkFrames = new double[tree.linkCount()][16];
        placeAt(tree.buildFrames);
    }

    /** Teleports every body to joint positions q, at rest and with no force accumulated. */
    void placeAt(double[] q) {
        tree.framesAt(q, linkFrames);
        placeAt(linkFrames);
        for (DBody b : bodies) {
            b.setLinearVel(0, 0, 0);
            b.setAngularVel(0, 0, 0);
            b.setForce(0, 0, 0);
            b.setTorque(0, 0, 0);
        }
    }

    private void placeAt(double[][] frames) {
        for (int i = 0; i < tree.linkCount(); i++) {
            if (!tree.ownsBody(i)) continue;
            int b = tree.linkBody[i];
            double[] f = frames[i];
            double cx = tree.bodyCom[3 * b], cy = tree.bodyCom[3 * b + 1], cz = tree.bodyCom[3 * b + 2];
            bodies[b].setPosition(f[3] + f[0] * cx + f[1] * cy + f[2] * cz, f[7] + f[4] * cx + f[5] * cy + f[6] * cz,
                    f[11] + f[8] * cx + f[9] * cy + f[10] * cz);
            rot.set(f[0], f[1], f[2], f[4], f[5], f[6], f[8], f[9], f[10]);
            bodies[b].setRotation(rot);
        }
    }

    /** World pose of link li as a row-major 4x4 into {@code out[16]}, from the simulated bodies. */
    void linkPose(int li, double[] out) {
        int b = tree.linkBody[li];
        if (b < 0) {
            System.arraycopy(tree.buildFrames[li], 0, out, 0, 16);   // static: fixed to the world
            return;
        }
        pose(bodies[b], bodyPose);
        multiply(bodyPose, tree.linkInBody[li], out);
    }

    /** The body a link rides on, or null for a static link. */
    DBody bodyOf(int li) {
        int b = tree.linkBody[li];
        return b < 0 ? null : bodies[b];
    }

    /** A force at a world point, as a force and a torque about the body's centre (ode4j's addForceAtPos allocates). */
    static void forceAt(DBody b, double fx, double fy, double fz, double px, double py, double pz) {
        DVector3C c = b.getPosition();
        double rx = px - c.get0(), ry = py - c.get1(), rz = pz - c.get2();
        b.addForce(fx, fy, fz);
        b.addTorque(ry * fz - rz * fy, rz * fx - rx * fz, rx * fy - ry * fx);
    }

    private static void pose(DBody b, double[] out) {
        DVector3C p = b.getPosition();
        DMatrix3C r = b.getRotation();
        out[0] = r.get00(); out[1] = r.get01(); out[2] = r.get02(); out[3] = p.get0();
        out[4] = r.get10(); out[5] = r.get11(); out[6] = r.get12(); out[7] = p.get1();
        out[8] = r.get20(); out[9] = r.get21(); out[10] = r.get22(); out[11] = p.get2();
        out[12] = 0; out[13] = 0; out[14] = 0; out[15] = 1;
    }
}
