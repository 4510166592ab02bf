package org.teachlearn.robot.sim;

import java.util.SplittableRandom;

/** No task: the arm with no goal and no end, for drag teaching and free play. */
public final class FreeTask implements Task {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public int goalSize() {
        return 0;
    }

    @Override
    public int[] turningPoints() {
        return new int[0];   // no goal: the empty table turns as it is
    }

    @Override
    public double timeLimit() {
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public void reset(Simulation sim, SplittableRandom rng) {
    }

    @Override
    public void goal(Simulation sim, double[] out) {
    }

    @Override
    public void judge(Simulation sim, Outcome out) {
        out.clear();
    }
}
