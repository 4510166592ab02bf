package org.teachlearn.learn.policy;

import java.util.ArrayList;
import java.util.List;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * What a policy observes and commands (docs/nodes.md §4): the observation is the arm's joint
 * positions, its joint velocities, the gripper opening (if any), then the task goal; the action is
 * one position target per arm joint, then the gripper opening. This is the one observation
 * builder: the trainer, the policy server and the recorder all call {@link #observe}. A layout
 * {@link #withHand with a hand feature} appends {@link HandFeature}'s hand − goal to what it
 * observes: the model's graph computes the same from the contract's observation, whose size stays
 * {@link #contractSize}.
 */
public record PolicyLayout(String task, String[] armJoints, String gripperJoint, int goalSize, ActionMap actions, HandFeature hand) {

    /** Largest change of an arm joint's target per unit of policy output, in radians. */
    public static final double ARM_STEP = 0.1;

    /** The layout for {@code task} on the arm {@code layout} of {@code model}: relative arm targets, absolute gripper opening. */
    public static PolicyLayout of(RobotModel model, ArmLayout layout, String task, int goalSize) {
        String[] arm = layout.chain(model).jointNames();
        String gripper = layout.gripperJoint();
        int n = arm.length + (gripper != null ? 1 : 0);
        String[] names = new String[n];
        int[] source = new int[n];
        double[] offset = new double[n], scale = new double[n], low = new double[n], high = new double[n];
        for (int j = 0; j < arm.length; j++) {
            Joint joint = model.joint(arm[j]);
            names[j] = arm[j];
            source[j] = j;
            scale[j] = ARM_STEP;
            low[j] = joint.lower();
            high[j] = joint.upper();
        }
        if (gripper != null) {
            // each finger's opening in metres, whatever the joint (a revolute knuckle maps through its calibration)
            double open = layout.gripperOpen();
            int g = arm.length;
            names[g] = gripper;
            source[g] = -1;
            offset[g] = open / 2;
            scale[g] = open / 2;
            low[g] = 0;
            high[g] = open;
        }
        return new PolicyLayout(task, arm, gripper, goalSize, new ActionMap(names, source, offset, scale, low, high), null);
    }

    /**
     * The observation side of a layout, for a model whose action map lives inside its own graph
     * (the policy server): joint names and goal size are all {@link #observe} needs.
     */
    public static PolicyLayout forObservation(String[] armJoints, String gripperJoint, int goalSize) {
        return new PolicyLayout("", armJoints.clone(), gripperJoint == null || gripperJoint.isEmpty() ? null : gripperJoint, goalSize, null, null);
    }

    /** This layout observing also where the hand is relative to the goal (a goal that is a point for the hand: x, y, z first). */
    public PolicyLayout withHand(HandFeature feature) {
        if (goalSize < HandFeature.SIZE) throw new IllegalArgumentException("the hand feature needs a goal point (x, y, z); task '" + task + "' has " + goalSize + " goal values");
        if (feature.destinationAt() >= 0 && feature.destinationAt() + HandFeature.SIZE > goalSize) {
            throw new IllegalArgumentException("the hand feature's destination at goal/" + feature.destinationAt() + " is past task '" + task + "''s " + goalSize + " goal values");
        }
        if (feature.secondPointAt() >= 0 && feature.secondPointAt() + HandFeature.SIZE > goalSize) {
            throw new IllegalArgumentException("the hand feature's second point at goal/" + feature.secondPointAt() + " is past task '" + task + "''s " + goalSize + " goal values");
        }
        return new PolicyLayout(task, armJoints, gripperJoint, goalSize, actions, feature);
    }

    /** The observation as docs/nodes.md §4 defines it, what a policy server feeds the model: without the hand feature. */
    public int contractSize() {
        return 2 * armJoints.length + (gripperJoint != null ? 1 : 0) + goalSize;
    }

    /** What the learner's networks take: the contract's observation, then the hand feature if any. */
    public int observationSize() {
        return contractSize() + (hand != null ? hand.size() : 0);
    }

    public int actionSize() {
        return armJoints.length + (gripperJoint != null ? 1 : 0);
    }

    /** Writes the observation into {@code out} from {@code offset}; arrays in {@link #armJoints} order. */
    public void observe(double[] q, double[] dq, double gripperOpening, double[] goal, double[] out, int offset) {
        int n = armJoints.length, k = offset;
        for (int j = 0; j < n; j++) out[k++] = q[j];
        for (int j = 0; j < n; j++) out[k++] = dq[j];
        if (gripperJoint != null) out[k++] = gripperOpening;
        for (int j = 0; j < goalSize; j++) out[k++] = goal[j];
        if (hand != null) hand.compute(q, goal, out, k);
    }

    /** Names of the observation's entries, as the ONNX metadata lists them. */
    public List<String> observationNames() {
        List<String> names = new ArrayList<>();
        for (String j : armJoints) names.add("position/" + j);
        for (String j : armJoints) names.add("velocity/" + j);
        if (gripperJoint != null) names.add("gripper/" + gripperJoint);
        for (int j = 0; j < goalSize; j++) names.add("goal/" + j);
        if (hand != null) names.addAll(hand.names());
        return names;
    }
}
