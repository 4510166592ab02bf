package org.teachlearn.learn.policy;

import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Where the hand is relative to the goal, as three inputs computed from the joint positions by the
 * arm's forward kinematics: hand − goal, in metres, in the base frame. For a task whose goal is a
 * point for the hand (reach), the observation gives the joint angles and the goal, and a network
 * has to learn the forward kinematics to tell how far off the hand is; it learns it to about 2 cm,
 * and the reach tolerance is 2 cm, so cloned policies stopped 2–5 cm short. Given the offset, it
 * does not have to. The feature is computed inside the exported model from the observation the
 * contract defines (docs/messages.md §4), so the policy server feeds what it always fed.
 *
 * <p>A task whose goal also names where the object at the goal point must go (pick and place: the
 * cube, then its target) gets that offset too, object − destination, at the same scale: a cloned
 * policy carried the cube to within 1–3 cm of the target and hovered there, the expert lowering
 * only within 1.2 cm, a difference of two raw goal inputs it could not resolve. A task whose goal
 * names a second point for the hand (reach_via: the via point, then the goal point) gets hand −
 * that point instead.
 */
public final class HandFeature {

    /** Inputs of one offset; the feature adds one or two. */
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
    private final int destinationAt;   // index in the goal of where the goal point must go (x, y, z), or −1
    private final int secondPointAt;   // index in the goal of a second point for the hand, or −1
    // one chain per thread: its forward kinematics writes scratch buffers (the demonstration readers sample in parallel)
    private final ThreadLocal<Scratch> scratch;

    private record Scratch(KinematicChain chain, double[] pose) { }

    /** hand − goal only, for a goal that is a point for the hand (reach). */
    public HandFeature(RobotModel model, ArmLayout arm) {
        this(model, arm, -1);
    }

    /** hand − goal, then, if {@code destinationAt} ≥ 0, goal − the point at goal[destinationAt..+3] (pick and place: 4). */
    public HandFeature(RobotModel model, ArmLayout arm, int destinationAt) {
        this(model, arm, destinationAt, -1);
    }

    /** As above; with {@code secondPointAt} ≥ 0 (and no destination), hand − the point at goal[secondPointAt..+3] instead. */
    public HandFeature(RobotModel model, ArmLayout arm, int destinationAt, int secondPointAt) {
        if (destinationAt >= 0 && secondPointAt >= 0) throw new IllegalArgumentException("a hand feature has a destination or a second point, not both");
        this.model = model;
        this.arm = arm;
        this.destinationAt = destinationAt;
        this.secondPointAt = secondPointAt;
        scratch = ThreadLocal.withInitial(() -> new Scratch(arm.chain(model), new double[16]));
    }

    /** The feature for {@code task}: with the destination its goal names ({@link Task#destinationAt}), as pick_place's target. */
    public static HandFeature forTask(RobotModel model, ArmLayout arm, String task) {
        Task t = Task.named(task);
        return new HandFeature(model, arm, t.destinationAt(), t.secondPointAt());
    }

    /** Inputs the feature adds: 3, or 6 with a destination. */
    public int size() {
        return destinationAt < 0 && secondPointAt < 0 ? SIZE : 2 * SIZE;
    }

    /** Where in the goal the second point for the hand starts, −1 without one. */
    public int secondPointAt() {
        return secondPointAt;
    }

    /** Where in the goal the destination starts, −1 without one. */
    public int destinationAt() {
        return destinationAt;
    }

    /** The names of the inputs, as the ONNX metadata lists them. */
    public java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String axis : new String[] {"x", "y", "z"}) names.add("hand_minus_goal/" + axis);
        if (destinationAt >= 0) for (String axis : new String[] {"x", "y", "z"}) names.add("goal_minus_destination/" + axis);
        if (secondPointAt >= 0) for (String axis : new String[] {"x", "y", "z"}) names.add("hand_minus_second/" + axis);
        return names;
    }

    /** The chain from the base to the hand (a new one: for the exporter, which reads its joints). */
    public KinematicChain chain() {
        return arm.chain(model);
    }

    /** Writes hand − goal (and goal − destination) for joint positions {@code q} (chain order) and {@code goal} (x, y, z) into {@code out} from {@code offset}. */
    public void compute(double[] q, double[] goal, double[] out, int offset) {
        Scratch s = scratch.get();
        s.chain.forward(q, s.pose);
        out[offset] = Math.tanh((s.pose[3] - goal[0]) / SCALE);
        out[offset + 1] = Math.tanh((s.pose[7] - goal[1]) / SCALE);
        out[offset + 2] = Math.tanh((s.pose[11] - goal[2]) / SCALE);
        if (destinationAt >= 0) {
            for (int j = 0; j < SIZE; j++) out[offset + SIZE + j] = Math.tanh((goal[j] - goal[destinationAt + j]) / SCALE);
        }
        if (secondPointAt >= 0) {
            for (int j = 0; j < SIZE; j++) out[offset + SIZE + j] = Math.tanh((s.pose[4 * j + 3] - goal[secondPointAt + j]) / SCALE);
        }
    }
}
