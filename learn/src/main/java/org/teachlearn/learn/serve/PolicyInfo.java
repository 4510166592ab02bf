package org.teachlearn.learn.serve;

import java.util.Arrays;
import java.util.Map;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GripperCommand;

/**
 * The layout a policy model runs with: observation and action sizes, the arm's joint names in the
 * action's order, the gripper joint ("" for none), action limits, the control period it was
 * trained at, where it came from, and whether its gripper output is sent as it is or as the nearer
 * of fully open and fully closed ({@link GripperCommand}). Read from the model's {@code metadata_props} (written by
 * {@link PolicyExport}); a model from elsewhere gets it from the caller (node parameters). Built by
 * name: {@code PolicyInfo.forArm(joints, "finger_left_joint").observationSize(18).actionLimits(low, high).build()}.
 */
public record PolicyInfo(int obsDim, int actDim, String[] jointNames, String gripperJoint, double[] low, double[] high,
        double controlPeriod, String algorithm, long version, GripperCommand gripperCommand) {

    public PolicyInfo {
        int expected = jointNames.length + (gripperJoint.isEmpty() ? 0 : 1);
        if (actDim != expected) {
            throw new IllegalArgumentException("the model's action has " + actDim + " values, but " + jointNames.length + " arm joints"
                    + (gripperJoint.isEmpty() ? "" : " and a gripper") + " make " + expected);
        }
        if (low.length != actDim || high.length != actDim) throw new IllegalArgumentException("action limits need " + actDim + " values each");
    }

    /** A layout whose action is one value per arm joint, in this order, then the gripper's ("" for none). */
    public static Builder forArm(String[] jointNames, String gripperJoint) {
        return new Builder(jointNames, gripperJoint);
    }

    /** The rest of a layout, by name; the control period defaults to 0.01 s, the source to "external", version 0. */
    public static final class Builder {
        private final String[] jointNames;
        private final String gripperJoint;
        private int obsDim = -1;
        private int actDim;
        private double[] low, high;
        private double controlPeriod = 0.01;
        private String algorithm = "external";
        private long version;
        private GripperCommand gripperCommand = GripperCommand.CONTINUOUS;

        private Builder(String[] jointNames, String gripperJoint) {
            this.jointNames = jointNames;
            this.gripperJoint = gripperJoint;
            actDim = jointNames.length + (gripperJoint.isEmpty() ? 0 : 1);
        }

        public Builder observationSize(int obsDim) {
            this.obsDim = obsDim;
            return this;
        }

        /** The action size a model declares, checked against the joints (it follows from them otherwise). */
        public Builder actionSize(int actDim) {
            this.actDim = actDim;
            return this;
        }

        /** Lowest and highest value of every action entry, in the action's order. */
        public Builder actionLimits(double[] low, double[] high) {
            this.low = low;
            this.high = high;
            return this;
        }

        /** Seconds per control step the policy was trained at. */
        public Builder controlPeriod(double controlPeriod) {
            this.controlPeriod = controlPeriod;
            return this;
        }

        /** Which algorithm made the model, and its version (training iteration). */
        public Builder source(String algorithm, long version) {
            this.algorithm = algorithm;
            this.version = version;
            return this;
        }

        /** How the gripper's output becomes its command; continuous unless the model says binary. */
        public Builder gripperCommand(GripperCommand gripperCommand) {
            this.gripperCommand = gripperCommand;
            return this;
        }

        public PolicyInfo build() {
            if (obsDim < 0) throw new IllegalArgumentException("a policy layout needs its observation size");
            if (low == null || high == null) throw new IllegalArgumentException("a policy layout needs its action limits");
            return new PolicyInfo(obsDim, actDim, jointNames, gripperJoint, low, high, controlPeriod, algorithm, version, gripperCommand);
        }
    }

    /** From metadata when it is ours, else {@code fallback} (an error naming what is missing when that is null). */
    static PolicyInfo of(Map<String, String> meta, PolicyInfo fallback) {
        if (!PolicyExport.FORMAT.equals(meta.get("format"))) {
            if (fallback == null) {
                throw new IllegalArgumentException("the model has no teach_learn metadata (format " + PolicyExport.FORMAT
                        + "); give its layout as parameters (~joint_names, ~gripper_joint, ~goal_size, ~control_period)");
            }
            return fallback;
        }
        try {
            return forArm(meta.get("joint_names").split(","), meta.getOrDefault("gripper_joint", ""))
                    .observationSize(Integer.parseInt(meta.get("obs_dim")))
                    .actionSize(Integer.parseInt(meta.get("act_dim")))
                    .actionLimits(doubles(meta.get("action_low")), doubles(meta.get("action_high")))
                    .controlPeriod(Double.parseDouble(meta.getOrDefault("control_period", "0.01")))
                    .source(meta.getOrDefault("algorithm", "?"), Long.parseLong(meta.getOrDefault("version", "0")))
                    .gripperCommand(GripperCommand.ofMetadata(meta.get("gripper_command")))
                    .build();
        } catch (NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException("the model's teach_learn metadata is incomplete or malformed: " + meta, e);
        }
    }

    private static double[] doubles(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
