package org.teachlearn.robot.expert;

import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * Reach through the via point of {@code ReachViaTask}: to the via point, a wait there, then to the
 * goal point; tool oriented as at rest, gripper open. The wait, between {@link #MIN_WAIT} and
 * {@link #MAX_WAIT} s of control periods with the hand within {@link #ARRIVED} of the via point,
 * is drawn from the goal's low-order bits: the same all episode, random to any learner. Unlike the
 * other experts this one is not Markovian: it counts the periods it has waited, which no
 * observation shows, so it must be asked once per control period along one episode (a new goal
 * starts a new count), and it cannot label states a learner visits (DAgger). A policy that sees
 * only the present state at the via point sees the expert stay there many times and leave once:
 * it learns to creep away early.
 */
final class ReachViaExpert implements Expert {

    static final double MIN_WAIT = 0.55, MAX_WAIT = 1.0;   // s: the task asks for 0.5 s within 0.05 m
    static final double ARRIVED = 0.04;                     // m: within this of the via point, the expert counts its wait

    private final CartesianMover mover;
    private final double open, controlPeriod;
    private final double[] qOut;
    private final double[] orientation;
    private final double[] tcp = new double[16];
    private final double[] episodeGoal = new double[6];
    private long waited, wait;   // control periods waited at the via point, and to wait this episode
    private boolean leaving;

    ReachViaExpert(KinematicChain chain, ArmLayout layout, double controlPeriod) {
        mover = new CartesianMover(chain, layout.restPose());
        open = layout.gripperOpen();
        this.controlPeriod = controlPeriod;
        qOut = new double[chain.dof()];
        orientation = mover.restOrientation();
        episodeGoal[0] = Double.NaN;
    }

    @Override
    public void act(double[] q, double gripper, double[] goal, double[] action) {
        if (!sameGoal(goal)) {   // a new episode
            System.arraycopy(goal, 0, episodeGoal, 0, 6);
            waited = 0;
            leaving = false;
            wait = Math.round((MIN_WAIT + (MAX_WAIT - MIN_WAIT) * unit(goal)) / controlPeriod);
        }
        mover.tcp(q, tcp);
        double d = Math.sqrt(sq(tcp[3] - goal[0]) + sq(tcp[7] - goal[1]) + sq(tcp[11] - goal[2]));
        if (!leaving && d < ARRIVED && ++waited >= wait) leaving = true;
        int at = leaving ? 3 : 0;
        mover.toward(q, goal[at], goal[at + 1], goal[at + 2], orientation, 0.05, qOut);
        System.arraycopy(qOut, 0, action, 0, qOut.length);
        action[qOut.length] = open;
    }

    private boolean sameGoal(double[] goal) {
        for (int i = 0; i < 6; i++) if (goal[i] != episodeGoal[i]) return false;
        return true;
    }

    /** A number in [0, 1) from the goal's low-order bits: the same all episode, unpredictable from the goal's value. */
    static double unit(double[] goal) {
        long h = Double.doubleToLongBits(goal[3]) * 0x9E3779B97F4A7C15L ^ Double.doubleToLongBits(goal[4]) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h >>> 11) * 0x1.0p-53;
    }

    private static double sq(double v) {
        return v * v;
    }
}
