package org.teachlearn.robot.sim;

import java.util.SplittableRandom;

/**
 * Reach through a via point and dwell there: the hand must stay within {@link #VIA_TOLERANCE} of a
 * via point for {@link #MIN_DWELL} s in all before it goes on to the goal point, as a person
 * demonstrating lets glue set or a measurement settle. Goal: the via point (x, y, z), then the
 * goal point (x, y, z). Success: the goal point within {@link ReachTask#TOLERANCE} after the
 * dwell, which ends the episode; reaching it before the dwell ends the episode as a failure.
 * Reward: minus the distance to the point the hand should head for (the via point until the dwell
 * is done, then the goal), plus 1 on success. The task of the non-Markovian demonstrator
 * (docs/design.md §6): how long the hand has dwelt is in no observation, so a policy that sees only
 * the present state cannot tell waiting from leaving.
 */
public final class ReachViaTask implements Task {

    public static final double VIA_TOLERANCE = 0.05;
    public static final double MIN_DWELL = 0.5;   // s within the via point's tolerance, in all
    static final double MIN_LEG = 0.15;           // start to via point and via point to goal, at least, m
    static final double[] LOW = {0.35, -0.30, 0.15};
    static final double[] HIGH = {0.65, 0.30, 0.50};

    private final double[] via = new double[3];
    private final double[] point = new double[3];
    private final double[] tcp = new double[16];
    private double dwelt;   // s the hand has spent within the via point's tolerance this episode

    @Override
    public String name() {
        return "reach_via";
    }

    @Override
    public int goalSize() {
        return 6;
    }

    @Override
    public int[] turningPoints() {
        return new int[] {0, 3};   // the via point and the goal point
    }

    @Override
    public int secondPointAt() {
        return 3;
    }

    @Override
    public double timeLimit() {
        return 5.0;
    }

    @Override
    public void reset(Simulation sim, SplittableRandom rng) {
        sim.tcpPose(tcp);
        do {
            draw(via, rng);
            draw(point, rng);
        } while (distance(via, tcp[3], tcp[7], tcp[11]) < MIN_LEG || distance(point, via[0], via[1], via[2]) < MIN_LEG);
        dwelt = 0;
    }

    @Override
    public void goal(Simulation sim, double[] out) {
        System.arraycopy(via, 0, out, 0, 3);
        System.arraycopy(point, 0, out, 3, 3);
    }

    @Override
    public void judge(Simulation sim, Outcome out) {
        out.clear();
        sim.tcpPose(tcp);
        boolean done = dwelt >= MIN_DWELL - 1e-9;   // before this period: a hand that arrives early fails, however long it stayed
        if (distance(via, tcp[3], tcp[7], tcp[11]) < VIA_TOLERANCE) dwelt += sim.settings().controlPeriod();
        double toPoint = distance(point, tcp[3], tcp[7], tcp[11]);
        out.reward = done ? ReachTask.reward(toPoint) : -distance(via, tcp[3], tcp[7], tcp[11]);
        if (ReachTask.reached(toPoint)) {
            out.success = done;   // too early: the dwell was cut short, a failure that ends the episode
            out.terminal = true;
        }
    }

    /** Seconds the hand has dwelt at the via point so far this episode. */
    public double dwelt() {
        return dwelt;
    }

    private static void draw(double[] p, SplittableRandom rng) {
        for (int a = 0; a < 3; a++) p[a] = LOW[a] + (HIGH[a] - LOW[a]) * rng.nextDouble();
    }

    private static double distance(double[] p, double x, double y, double z) {
        return Math.sqrt((p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y) + (p[2] - z) * (p[2] - z));
    }
}
