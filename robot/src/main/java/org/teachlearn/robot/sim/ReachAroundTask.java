package org.teachlearn.robot.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Reach around a pole: a vertical pole stands half-way (in x, y) between where the hand starts and
 * a random goal, so the hand must pass it on the left or on the right; both ways are equally good.
 * The pole is virtual (no body in the physics): touching it means the tool centre point coming
 * within {@link #POLE_RADIUS} of its axis, which ends the episode as a failure. Goal: the point
 * (x, y, z), then the pole's x, y. Reward: minus the distance to the point every step, plus 1 on
 * success (within {@link ReachTask#TOLERANCE}), which ends the episode. The task of the multimodal
 * demonstrator (docs/design.md §6): a policy that averages the two ways runs into the pole. The
 * goal lies within {@link #SPREAD} of one point, as when a person shows one task again and again:
 * with goals spread over the workspace every demonstration's goal was one no other came near, so
 * the way taken was a function of the goal that a network learnt (and interpolated between), and
 * the demonstrations were not multimodal where a policy acts.
 */
public final class ReachAroundTask implements Task {

    public static final double POLE_RADIUS = 0.04;
    static final double MIN_TRAVEL = 0.30;   // start to goal in x, y: room for the pole and a detour on either side
    static final double[] CENTRE = {0.64, 0.0, 0.35};   // straight ahead of the arm at rest: both ways alike for the arm
    static final double SPREAD = 0.015;                 // m on each axis
    private static final int MAX_DRAWS = 1000;

    private final double[] point = new double[3];
    private final double[] pole = new double[2];
    private final double[] tcp = new double[16];

    @Override
    public String name() {
        return "reach_around";
    }

    @Override
    public int goalSize() {
        return 5;
    }

    @Override
    public int[] turningPoints() {
        return new int[] {0, 3};   // the point and the pole (virtual: no body stands anywhere else)
    }

    @Override
    public double timeLimit() {
        return 4.0;
    }

    @Override
    public void reset(Simulation sim, SplittableRandom rng) {
        sim.tcpPose(tcp);
        double sx = tcp[3], sy = tcp[7];
        int draws = 0;
        do {
            // an arm whose hand starts near the goals (another arm's rest pose) would otherwise draw for ever
            if (++draws > MAX_DRAWS) {
                throw new IllegalStateException(String.format(Locale.ROOT, "reach_around: the hand starts at (%.3f, %.3f), within %.2f m of every goal"
                        + " around (%.2f, %.2f): this arm's rest pose leaves no room for the pole (the task is laid out for teach_arm)",
                        sx, sy, MIN_TRAVEL, CENTRE[0], CENTRE[1]));
            }
            for (int a = 0; a < 3; a++) point[a] = CENTRE[a] + SPREAD * (2 * rng.nextDouble() - 1);
        } while (Math.hypot(point[0] - sx, point[1] - sy) < MIN_TRAVEL);
        pole[0] = (sx + point[0]) / 2;
        pole[1] = (sy + point[1]) / 2;
    }

    @Override
    public void goal(Simulation sim, double[] out) {
        System.arraycopy(point, 0, out, 0, 3);
        System.arraycopy(pole, 0, out, 3, 2);
    }

    @Override
    public void judge(Simulation sim, Outcome out) {
        ReachTask.judgeReach(sim, point, tcp, out);   // fills tcp
        // the goal lies at least MIN_TRAVEL / 2 from the pole, so a touch is never also a success
        if (Math.hypot(tcp[3] - pole[0], tcp[7] - pole[1]) < POLE_RADIUS) out.terminal = true;
    }

}
