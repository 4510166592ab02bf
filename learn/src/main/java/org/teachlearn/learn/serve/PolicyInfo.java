package org.teachlearn.learn.serve;

import java.util.Arrays;
import java.util.Map;
import org.teachlearn.learn.onnx.PolicyExport;

/**
 * The layout a policy model runs with: observation and action sizes, the arm's joint names in the
 * action's order, the gripper joint ("" for none), action limits, the control period it was
 * trained at, and where it came from. Read from the model's {@code metadata_props} (written by
 * {@link PolicyExport}); a model from elsewhere gets it from the caller (node parameters).
 */
public record PolicyInfo(int obsDim, int actDim, String[] jointNames, String gripperJoint, double[] low, double[] high,
        double controlPeriod, String algorithm, long version) {

    public PolicyInfo {
        int expected = jointNames.length + (gripperJoint.isEmpty() ? 0 : 1);
        if (actDim != expected) {
            throw new IllegalArgumentException("the model's action has " + actDim + " values, but " + jointNames.length + " arm joints"
                    + (gripperJoint.isEmpty() ? "" : " and a gripper") + " make " + expected);
        }
        if (low.length != actDim || high.length != actDim) throw new IllegalArgumentException("action limits need " + actDim + " values each");
    }

    /** From metadata when it is ours, else {@code fallback} (an error naming what is missing when that is null). */
    static PolicyInfo of(Map<String, String> meta, PolicyInfo fallback) {
        if (!PolicyExport.FORMAT.equals(meta.get("format"))) {
            if (fallback == null) {
                throw new IllegalArgumentException("the model has no teach_learn metadata (format " + PolicyExport.FORMAT
                        + "); give its layout as parameters (~joint_names, ~gripper_joint, ~obs_dim, ~control_period)");
            }
            return fallback;
        }
        try {
            return new PolicyInfo(Integer.parseInt(meta.get("obs_dim")), Integer.parseInt(meta.get("act_dim")), meta.get("joint_names").split(","),
                    meta.getOrDefault("gripper_joint", ""), doubles(meta.get("action_low")), doubles(meta.get("action_high")),
                    Double.parseDouble(meta.getOrDefault("control_period", "0.01")), meta.getOrDefault("algorithm", "?"),
                    Long.parseLong(meta.getOrDefault("version", "0")));
        } catch (NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException("the model's teach_learn metadata is incomplete or malformed: " + meta, e);
        }
    }

    private static double[] doubles(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
