package org.teachlearn.robot.expert;

import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.arm.ArmLayout;

/**
 * Pick and place, decided afresh from every observation: if the cube is between closed fingers,
 * carry it (up, across above the target, down) and let go once it rests; otherwise go above the
 * cube with the fingers open and square to its faces, descend, and close. Both descents go down a
 * funnel: the closer the hand (the cube) to the cube's (the target's) axis, the lower and slower it
 * may go, so that what the expert does is a continuous function of where things are, which a
 * cloned policy can learn; with switches at 1.2 cm, clones stalled at the switch. Goal layout as
 * {@code PickPlaceTask}: cube x y z yaw, target x y z.
 */
final class PickPlaceExpert implements Expert {

    static final double CARRY_HEIGHT = 0.15;   // above the table, tool centre point
    static final double GRASP_BELOW_CENTRE = 0.005;
    static final double ALIGNED = 0.012;
    static final double LOWEST = 0.012;               // tool centre point height that keeps the finger tips off the table
    static final double TRAVEL = 0.04;                // lookahead between waypoints, m
    static final double FINE = 0.01;                  // lookahead near the table
    static final double RELEASE = 0.02;               // lets go of a resting cube this close to the target (the task takes 3 cm)
    static final double HOVER = 0.08;                 // above the cube's centre, where the hand goes first
    static final double FUNNEL = 0.03;                // within this of the cube's axis the hand descends ...
    static final double FUNNEL_BOTTOM = 0.004;        // ... all the way to the grasp within this

    private final CartesianMover mover;
    private final double open;
    private final double half;
    private final double neutralYaw;
    private final double[] qOut;
    private final double[] tcp = new double[16];
    private final double[] down = new double[9];

    PickPlaceExpert(KinematicChain chain, ArmLayout layout, double controlPeriod, double cubeSize) {
        mover = new CartesianMover(chain, layout.restPose());
        open = layout.gripperOpen();
        half = cubeSize / 2;
        qOut = new double[chain.dof()];
        chain.forward(layout.restPose(), tcp);
        neutralYaw = Math.atan2(tcp[4], tcp[0]);
    }

    @Override
    public void act(double[] q, double gripper, double[] goal, double[] action) {
        double cx = goal[0], cy = goal[1], cz = goal[2], yaw = goal[3], tx = goal[4], ty = goal[5], tz = goal[6];
        mover.tcp(q, tcp);
        double px = tcp[3], py = tcp[7], pz = tcp[11];
        double graspZ = cz - GRASP_BELOW_CENTRE;
        boolean between = Math.hypot(px - cx, py - cy) < 0.02 && Math.abs(pz - graspZ) < 0.025;
        boolean closedOnCube = gripper < half + 0.006 && gripper > half - 0.012;   // fingers stopped by something cube-wide
        // over the target and resting, or as low as the fingers may go (a cube held high in the grip drops the last cm)
        boolean atTarget = Math.hypot(cx - tx, cy - ty) < RELEASE && (cz < tz + 0.01 || pz < LOWEST + 0.004);
        double finger;
        double wx, wy, wz;
        double lookahead = TRAVEL;
        squareTo(yaw);
        if (between && closedOnCube && !atTarget) {
            // carrying: lift, cross at carry height, lower onto the target down a funnel as on the way to the cube
            finger = 0;
            double off = Math.hypot(cx - tx, cy - ty);
            if (off >= FUNNEL && pz < CARRY_HEIGHT - 0.02) {
                wx = px; wy = py; wz = CARRY_HEIGHT;
            } else if (off >= FUNNEL) {
                wx = px + (tx - cx); wy = py + (ty - cy); wz = CARRY_HEIGHT;
            } else {
                double open01 = smoothstep((off - FUNNEL_BOTTOM) / (FUNNEL - FUNNEL_BOTTOM));
                double down = Math.max(LOWEST, pz + (tz - cz) + 0.002);   // until the cube rests, wherever it sits in the grip
                // no lower than the funnel allows, but never back up: a cube that sways off on the way down is steered back where it is
                double funnel = down + (Math.max(down, CARRY_HEIGHT) - down) * open01;
                wx = px + (tx - cx); wy = py + (ty - cy); wz = Math.max(down, Math.min(pz, funnel));
                lookahead = FINE + (TRAVEL - FINE) * open01;
            }
        } else if (atTarget && between) {
            finger = open;                                // let go, stay put
            wx = px; wy = py; wz = pz;
        } else {
            double err = Math.hypot(px - cx, py - cy);
            boolean fingersOpen = gripper > half + 0.005;
            if ((!fingersOpen && !between) || err >= FUNNEL) {
                finger = open;                            // above the cube, fingers open
                wx = cx; wy = cy; wz = Math.max(pz, cz + HOVER);
                if (err < FUNNEL) wz = cz + HOVER;
            } else if (fingersOpen && (pz > graspZ + 0.004 || err > ALIGNED)) {
                // down a funnel around the cube, centring on the way: as low as the alignment allows, so
                // that the descent, its height and speed, is a continuous function of where the hand is
                // (a cloned policy learns that; it stalled at a hover point where the expert switched on 1.2 cm)
                double open01 = smoothstep((err - FUNNEL_BOTTOM) / (FUNNEL - FUNNEL_BOTTOM));
                finger = open;
                wx = cx; wy = cy; wz = graspZ + (cz + HOVER - graspZ) * open01;
                lookahead = FINE + (TRAVEL - FINE) * open01;
            } else {
                finger = 0;                               // close
                wx = cx; wy = cy; wz = graspZ;
                lookahead = FINE;
            }
        }
        mover.toward(q, wx, wy, wz, down, lookahead, qOut);
        System.arraycopy(qOut, 0, action, 0, qOut.length);
        action[qOut.length] = finger;
    }

    /** 0 at or below 0, 1 at or above 1, smooth between (3x² − 2x³). */
    private static double smoothstep(double x) {
        double t = Math.max(0, Math.min(1, x));
        return t * t * (3 - 2 * t);
    }

    /** The tool pointing down, its fingers closing across the cube faces nearest the neutral wrist. */
    private void squareTo(double cubeYaw) {
        double quarter = Math.PI / 2;
        double psi = cubeYaw + quarter * Math.rint((neutralYaw - cubeYaw) / quarter);
        double c = Math.cos(psi), s = Math.sin(psi);
        // Rz(psi) Rx(pi): x = (c, s, 0), y = (s, -c, 0), z = (0, 0, -1)
        down[0] = c; down[1] = s; down[2] = 0;
        down[3] = s; down[4] = -c; down[5] = 0;
        down[6] = 0; down[7] = 0; down[8] = -1;
    }
}
