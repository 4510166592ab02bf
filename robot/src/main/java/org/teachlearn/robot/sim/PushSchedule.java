package org.teachlearn.robot.sim;

import java.util.SplittableRandom;

/**
 * One episode's {@link Pushes} on a {@link Simulation}: drawn from the episode's seed, so the same
 * seed is pushed the same way in process (ArmEnv) and in sim_arm, and applied before each control
 * period as an external wrench on the push link. Preallocated; a step allocates nothing.
 */
public final class PushSchedule {

    private final Pushes pushes;
    private final int[] startStep;
    private final double[] forces;
    private final int durationSteps;
    private final int episodeSteps;
    private boolean pushing;

    /** Pushes over episodes of {@code timeLimit} seconds stepped every {@code controlPeriod} seconds. */
    public PushSchedule(Pushes pushes, double timeLimit, double controlPeriod) {
        this.pushes = pushes;
        startStep = new int[pushes.count()];
        forces = new double[3 * pushes.count()];
        durationSteps = pushes.durationSteps(controlPeriod);
        episodeSteps = (int) Math.round(timeLimit / controlPeriod);
    }

    /** Draws the pushes of the episode from {@code seed} (call after {@link Simulation#reset}, which clears held wrenches). */
    public void reset(long seed) {
        if (pushes.any()) pushes.draw(new SplittableRandom(~seed), episodeSteps, startStep, forces);
        pushing = false;
    }

    /**
     * Before {@code sim} steps: holds the sum of the pushes on at its step on the push link, and
     * zeroes that link's wrench the step the last one ends (a sim/wrench held on the same link is
     * replaced while a push lasts).
     */
    public void apply(Simulation sim) {
        if (!pushes.any()) return;
        int s = sim.step();
        boolean on = false;
        double fx = 0, fy = 0, fz = 0;
        for (int p = 0; p < startStep.length; p++) {
            if (s >= startStep[p] && s < startStep[p] + durationSteps) {
                on = true;
                fx += forces[3 * p];
                fy += forces[3 * p + 1];
                fz += forces[3 * p + 2];
            }
        }
        if (on || pushing) sim.world().setExternalWrench(pushes.link(), fx, fy, fz, 0, 0, 0);
        pushing = on;
    }

    /** Whether a push is on the arm now (for tests and logs). */
    public boolean pushing() {
        return pushing;
    }
}
