package org.teachlearn.robot.expert;

import org.teachlearn.robot.kinematics.InverseKinematics;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * Moves the tool centre point toward a waypoint in a straight line: each control step it aims at
 * the point at most {@code lookahead} metres along the line from where the tool is, solves inverse
 * kinematics for it from the measured joints, and returns those joint targets. Because the aim is
 * re-taken from the measured pose every step, the joint controllers' lag sets the speed (a
 * Cartesian P controller), and the tool settles on the waypoint. Shared by the scripted experts.
 */
final class CartesianMover {

    private final KinematicChain chain;
    private final InverseKinematics ik;
    private final double[] rest;
    private final double[] tcp = new double[16];
    private final double[] target = new double[16];

    CartesianMover(KinematicChain chain, double[] rest) {
        this.chain = chain;
        this.ik = new InverseKinematics(chain, new InverseKinematics.Settings(0.05, 0.2, 1e-4, 1e-3, 0.5, 0.1, 100));
        this.rest = rest.clone();
    }

    /** The tool's orientation at the rest pose, row-major 3×3: what reaching keeps while the hand moves. */
    double[] restOrientation() {
        double[] pose = new double[16], rotation = new double[9];
        chain.forward(rest, pose);
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) rotation[3 * r + c] = pose[4 * r + c];
        return rotation;
    }

    /** The tool centre point's pose at {@code q}, into {@code out[16]}. */
    void tcp(double[] q, double[] out) {
        chain.forward(q, out);
    }

    /**
     * Writes into {@code qOut} (starting from {@code q}) the joint targets one step toward the
     * point (x, y, z); with {@code rotation} (row-major 3x3, or null for position only) the tool
     * also turns to that orientation. A shorter {@code lookahead} (m) moves more slowly and
     * overshoots less. Returns the remaining distance to the point.
     */
    double toward(double[] q, double x, double y, double z, double[] rotation, double lookahead, double[] qOut) {
        chain.forward(q, tcp);
        double dx = x - tcp[3], dy = y - tcp[7], dz = z - tcp[11];
        double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        double s = d > lookahead ? lookahead / d : 1;
        if (rotation != null) {
            for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) target[4 * r + c] = rotation[3 * r + c];
        } else {
            System.arraycopy(tcp, 0, target, 0, 16);
        }
        target[3] = tcp[3] + s * dx;
        target[7] = tcp[7] + s * dy;
        target[11] = tcp[11] + s * dz;
        target[12] = 0; target[13] = 0; target[14] = 0; target[15] = 1;
        System.arraycopy(q, 0, qOut, 0, chain.dof());
        ik.solve(target, qOut, rest, rotation == null);
        return d;
    }
}
