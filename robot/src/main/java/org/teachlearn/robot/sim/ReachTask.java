package org.teachlearn.robot.sim;

import java.util.SplittableRandom;

/**
 * Reach: bring the tool centre point within {@link #TOLERANCE} of a random point in the workspace
 * in front of the arm. Goal: the point (x, y, z) in the base frame. Reward: minus the distance in
 * metres every step, plus 1 on success, which ends the episode.
 */
public final class ReachTask implements Task {

    public static final double TOLERANCE = 0.02;
    static final double[] LOW = {0.35, -0.30, 0.15};
    static final double[] HIGH = {0.65, 0.30, 0.55};

    private final double[] point = new double[3];
    private final double[] tcp = new double[16];

    @Override
    public String name() {
        return "reach";
    }

    @Override
    public int goalSize() {
        return 3;
    }

    @Override
    public int[] turningPoints() {
        return new int[] {0};
    }

    @Override
    public double timeLimit() {
        return 3.0;
    }

    @Override
    public void reset(Simulation sim, SplittableRandom rng) {
        for (int a = 0; a < 3; a++) point[a] = LOW[a] + (HIGH[a] - LOW[a]) * rng.nextDouble();
    }

    @Override
    public void goal(Simulation sim, double[] out) {
        System.arraycopy(point, 0, out, 0, 3);
    }

    @Override
    public void judge(Simulation sim, Outcome out) {
        judgeReach(sim, point, tcp, out);
    }

    /**
     * Reach's judgement of the hand ({@code tcp}, filled) against {@code point}: minus the distance,
     * plus 1 and the end of the episode within {@link #TOLERANCE}.
     */
    static void judgeReach(Simulation sim, double[] point, double[] tcp, Outcome out) {
        out.clear();
        sim.tcpPose(tcp);
        double d = Math.sqrt(sq(tcp[3] - point[0]) + sq(tcp[7] - point[1]) + sq(tcp[11] - point[2]));
        out.reward = reward(d);
        if (reached(d)) {
            out.success = true;
            out.terminal = true;
        }
    }

    /** Reach's reward with the hand {@code distance} metres from the point: minus the distance, plus 1 within {@link #TOLERANCE}. */
    public static double reward(double distance) {
        return reached(distance) ? 1 - distance : -distance;
    }

    /** Whether a hand {@code distance} metres from the point has reached it (and ends the episode). */
    public static boolean reached(double distance) {
        return distance < TOLERANCE;
    }

    private static double sq(double v) {
        return v * v;
    }
}
