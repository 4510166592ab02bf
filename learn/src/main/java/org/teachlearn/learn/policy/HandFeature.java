package org.teachlearn.learn.policy;

import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Where the hand is relative to the goal, as three inputs computed from the joint positions by the
 * arm's forward kinematics: hand − goal, in metres, in the base frame. For a task whose goal is a
 * point for the hand (reach), the observation gives the joint angles and the goal, and a network
 * has to learn the forward kinematics to tell how far off the hand is; it learns it to about 2 cm,
 * and the reach tolerance is 2 cm, so cloned policies stopped 2–5 cm short. Given the offset, it
 * does not have to. The feature is computed inside the exported model from the observation the
 * contract defines (docs/messages.md §4), so the policy server feeds what it always fed.
 */
public final class HandFeature {

    /** Inputs the feature adds. */
    public static final int SIZE = 3;

    /**
     * The feature is tanh((hand − goal) / SCALE) per axis: resolution where the last centimetres are
     * decided (1 cm → 0.2, 2 cm → 0.38, 5 cm → 0.76), saturating far away where the direction is all
     * that matters. Plain hand − goal is normalised by its spread over the workspace (~15 cm), and a
     * cloned policy then stopped 2–4 cm from the goal, commanding the pose it was in.
     */
    public static final double SCALE = 0.05;

    private final RobotModel model;
    private final ArmLayout arm;
    // one chain per thread: its forward kinematics writes scratch buffers (the demonstration readers sample in parallel)
    private final ThreadLocal<Scratch> scratch;

    private record Scratch(KinematicChain chain, double[] pose) { }

    public HandFeature(RobotModel model, ArmLayout arm) {
        this.model = model;
        this.arm = arm;
        scratch = ThreadLocal.withInitial(() -> new Scratch(arm.chain(model), new double[16]));
    }

    /** The chain from the base to the hand (a new one: for the exporter, which reads its joints). */
    public KinematicChain chain() {
        return arm.chain(model);
    }

    /** Writes hand − goal for joint positions {@code q} (chain order) and {@code goal} (x, y, z) into {@code out} from {@code offset}. */
    public void compute(double[] q, double[] goal, double[] out, int offset) {
        Scratch s = scratch.get();
        s.chain.forward(q, s.pose);
        out[offset] = Math.tanh((s.pose[3] - goal[0]) / SCALE);
        out[offset + 1] = Math.tanh((s.pose[7] - goal[1]) / SCALE);
        out[offset + 2] = Math.tanh((s.pose[11] - goal[2]) / SCALE);
    }
}
