package org.teachlearn.robot.expert;

import org.teachlearn.robot.kinematics.InverseKinematics;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * Moves the arm toward a tool pose in joint space: inverse kinematics for the pose, always seeded
 * from the rest pose (so the answer depends on the pose alone, not on the path taken), then joint
 * targets at most {@code maxLead} radians ahead of the measured joints. The joint controllers see
 * a saturated step and settle on the solution without the overshoot that re-aiming in Cartesian
 * space from a lagging arm gives. Shared by the scripted experts.
 */
final class JointMover {

    private final KinematicChain chain;
    private final InverseKinematics ik;
    private final double[] rest;
    private final double maxLead;
    private final double[] target = new double[16];
    private final double[] solved;
    private final double[] last = new double[12];
    private boolean haveLast;

    JointMover(KinematicChain chain, double[] rest, double maxLead) {
        this.chain = chain;
        this.ik = new InverseKinematics(chain, new InverseKinematics.Settings(0.05, 0.2, 1e-4, 1e-3, 0.5, 0.1, 200));
        this.rest = rest.clone();
        this.maxLead = maxLead;
        this.solved = new double[chain.dof()];
    }

    /** The tool centre point's pose at {@code q}, into {@code out[16]}. */
    void tcp(double[] q, double[] out) {
        chain.forward(q, out);
    }

    /**
     * Writes into {@code qOut} the joint targets one step from {@code q} toward the tool at
     * (x, y, z) with orientation {@code rotation} (row-major 3x3).
     */
    void toward(double[] q, double x, double y, double z, double[] rotation, double[] qOut) {
        if (!sameTarget(x, y, z, rotation)) {
            for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) target[4 * r + c] = rotation[3 * r + c];
            target[3] = x;
            target[7] = y;
            target[11] = z;
            target[12] = 0; target[13] = 0; target[14] = 0; target[15] = 1;
            System.arraycopy(rest, 0, solved, 0, rest.length);
            ik.solve(target, solved, rest, false);
        }
        for (int i = 0; i < solved.length; i++) qOut[i] = q[i] + Math.max(-maxLead, Math.min(maxLead, solved[i] - q[i]));
    }

    /** True when the pose is within 0.5 mm and 1e-3 of the last one solved (then the solution is reused). */
    private boolean sameTarget(double x, double y, double z, double[] rotation) {
        boolean same = haveLast && Math.abs(last[0] - x) < 5e-4 && Math.abs(last[1] - y) < 5e-4 && Math.abs(last[2] - z) < 5e-4;
        for (int k = 0; k < 9 && same; k++) same = Math.abs(last[3 + k] - rotation[k]) < 1e-3;
        if (!same) {
            last[0] = x; last[1] = y; last[2] = z;
            System.arraycopy(rotation, 0, last, 3, 9);
            haveLast = true;
        }
        return same;
    }
}
