package org.teachlearn.robot.sim;

import java.util.SplittableRandom;

/**
 * Pick and place: carry the cube from a random spot on the table to a random target on it and let
 * go. Goal: the cube's x, y, z and yaw, then the target's x, y, z (where the cube's centre rests).
 * Success, which ends the episode: the cube rests within {@link #TOLERANCE} of the target and the
 * fingers have let it go. A cube knocked off the table ends the episode as a failure. Reward:
 * minus the hand's distance to the cube and twice the cube's distance to the target, plus 5 on
 * success.
 */
public final class PickPlaceTask implements Task {

    public static final double TOLERANCE = 0.03;
    static final double[] LOW = {0.40, -0.20};
    static final double[] HIGH = {0.62, 0.20};
    static final double MIN_TRAVEL = 0.10;

    private final double[] target = new double[3];
    private final double[] cube = new double[4];
    private final double[] tcp = new double[16];

    @Override
    public String name() {
        return "pick_place";
    }

    /** A table and a cube, and quickStep while the hand touches them (the exact stepper blows up on the grasp). */
    @Override
    public ArmWorld.Settings physics() {
        return ArmWorld.Settings.WITH_OBJECTS;
    }

    @Override
    public int goalSize() {
        return 7;
    }

    @Override
    public int[] turningPoints() {
        return new int[] {0, 4};   // the cube and its target on the table
    }

    @Override
    public int yawAt() {
        return 3;
    }

    @Override
    public int destinationAt() {
        return 4;   // the target, after the cube's x, y, z and yaw
    }

    @Override
    public double timeLimit() {
        return 10.0;
    }

    @Override
    public void reset(Simulation sim, SplittableRandom rng) {
        ArmWorld w = sim.world();
        double half = w.settings().cubeSize() / 2, top = w.settings().tableHeight();
        double cx = uniform(rng, LOW[0], HIGH[0]), cy = uniform(rng, LOW[1], HIGH[1]);
        double tx, ty;
        do {
            tx = uniform(rng, LOW[0], HIGH[0]);
            ty = uniform(rng, LOW[1], HIGH[1]);
        } while (Math.hypot(tx - cx, ty - cy) < MIN_TRAVEL);
        w.placeCube(cx, cy, top + half, uniform(rng, -Math.PI / 4, Math.PI / 4));
        target[0] = tx;
        target[1] = ty;
        target[2] = top + half;
    }

    @Override
    public void goal(Simulation sim, double[] out) {
        sim.world().cubePose(cube);
        System.arraycopy(cube, 0, out, 0, 4);
        System.arraycopy(target, 0, out, 4, 3);
    }

    @Override
    public void judge(Simulation sim, Outcome out) {
        out.clear();
        ArmWorld w = sim.world();
        w.cubePose(cube);
        sim.tcpPose(tcp);
        double half = w.settings().cubeSize() / 2;
        double reach = Math.sqrt(sq(tcp[3] - cube[0]) + sq(tcp[7] - cube[1]) + sq(tcp[11] - cube[2]));
        double place = Math.sqrt(sq(cube[0] - target[0]) + sq(cube[1] - target[1]) + sq(cube[2] - target[2]));
        out.reward = -reach - 2 * place;
        if (cube[2] < w.settings().tableHeight() - 0.05) {
            out.terminal = true;
            return;
        }
        boolean resting = Math.hypot(cube[0] - target[0], cube[1] - target[1]) < TOLERANCE
                && Math.abs(cube[2] - target[2]) < 0.01 && w.cubeSpeed() < 0.05;
        boolean released = sim.gripperOpening() > half + 0.008;   // wider than any grip on it
        if (resting && released) {
            out.success = true;
            out.terminal = true;
            out.reward += 5;
        }
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static double sq(double v) {
        return v * v;
    }
}
