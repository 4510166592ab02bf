package org.teachlearn.robot.expert;

import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * Reach around the pole of {@code ReachAroundTask}: straight at the pole until {@link #DECIDE}
 * before its axis, then diagonally to {@link #DETOUR} beside it, then forward past it, then to the
 * goal; tool oriented as at rest, gripper open. Which side: a coin the goal's low-order bits throw,
 * kept wherever the hand is until it is out beside the pole (a person who has decided to go left
 * goes left, even when pushed a little to the right). Pushed to the wrong side close to the pole,
 * its straight way back across can touch the pole: it does not go round it first. The coin is random to any learner (no smooth function of the goal predicts
 * it, and the task's goals lie so close together that demonstrations of both ways pass the same
 * states), yet one episode keeps one choice and the expert still decides from the observation
 * alone, so it can label any state (DAgger). At the turning point the two ways part sideways while
 * both go forward: their average heads into the pole. Goal layout as the task: point x, y, z,
 * pole x, y.
 */
final class ReachAroundExpert implements Expert {

    static final double DETOUR = 0.10;      // the detour's distance from the pole's axis, m
    static final double DECIDE = 0.08;      // the turn starts this far before the pole's axis, m
    static final double AT = 0.01;          // within this of the turning point, the hand turns, m
    static final double BESIDE = 0.01;      // within this of the detour's line, the hand goes forward, m
    static final double PAST = 0.03;        // beside the pole, the hand heads for this far past its axis, m

    private final CartesianMover mover;
    private final double open;
    private final double[] qOut;
    private final double[] orientation;
    private final double[] tcp = new double[16];

    ReachAroundExpert(KinematicChain chain, ArmLayout layout) {
        mover = new CartesianMover(chain, layout.restPose());
        open = layout.gripperOpen();
        qOut = new double[chain.dof()];
        orientation = mover.restOrientation();
    }

    @Override
    public void act(double[] q, double gripper, double[] goal, double[] action) {
        double gx = goal[0], gy = goal[1], gz = goal[2], px = goal[3], py = goal[4];
        mover.tcp(q, tcp);
        double ex = gx - px, ey = gy - py, len = Math.hypot(ex, ey);
        ex /= len;
        ey /= len;
        double hx = tcp[3] - px, hy = tcp[7] - py;
        double along = hx * ex + hy * ey, lateral = ex * hy - ey * hx;   // lateral > 0: left of the line pole → goal
        double ta = 0, tl = 0;   // the target in (along, lateral), unless it is the goal
        boolean toGoal = along >= 0;
        if (!toGoal) {
            double side = coin(goal);
            if (Math.abs(lateral) >= DETOUR - BESIDE) {
                ta = PAST;                 // out beside the pole: forward past it
                tl = Math.signum(lateral) * DETOUR;
            } else if (along < -DECIDE - AT) {
                ta = -DECIDE;              // straight at the pole, to where it turns
                tl = 0;
            } else {
                ta = 0;                    // diagonally to beside the pole: the average of the two ways heads into it
                tl = side * DETOUR;
            }
        }
        double tx = toGoal ? gx : px + ex * ta - ey * tl, ty = toGoal ? gy : py + ey * ta + ex * tl;
        mover.toward(q, tx, ty, gz, orientation, 0.05, qOut);
        System.arraycopy(qOut, 0, action, 0, qOut.length);
        action[qOut.length] = open;
    }

    /** ±1 from the goal's low-order bits: the same all episode, unpredictable from the goal's value. */
    static double coin(double[] goal) {
        long h = Double.doubleToLongBits(goal[0]) * 0x9E3779B97F4A7C15L ^ Double.doubleToLongBits(goal[1]) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h & 1) == 0 ? 1 : -1;
    }
}
