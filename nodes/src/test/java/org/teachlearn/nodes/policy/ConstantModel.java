package org.teachlearn.nodes.policy;

import org.teachlearn.learn.onnx.OnnxGraph;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Tests' models for teach_arm whose output does not depend on what they observe: every arm target
 * is one constant, so the commands a policy server sends say which model runs.
 */
public final class ConstantModel {

    public static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6",
        "arm_joint7"};
    public static final String GRIPPER = "finger_left_joint";

    private ConstantModel() {
    }

    /** A model in our format whose arm targets are {@code value} rad (gripper 0.02 m); {@code version} 0 writes none. */
    public static byte[] onnx(RobotModel robot, double value, long version) {
        double[] action = new double[8];
        java.util.Arrays.fill(action, value);
        action[7] = 0.02;
        OnnxGraph g = new OnnxGraph("constant");
        g.input("obs", -1, 18);
        String zero = g.node("MatMul", new String[] {"obs", g.constant("zero", new long[] {18, 8}, new double[18 * 8])});
        g.node("Add", new String[] {zero, g.constant("value", new long[] {8}, action)}, "action");
        g.output("action", -1, 8);
        StringBuilder low = new StringBuilder(), high = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            Joint j = robot.joint(i < 7 ? ARM[i] : GRIPPER);
            low.append(i > 0 ? "," : "").append(j.lower());
            high.append(i > 0 ? "," : "").append(j.upper());
        }
        g.metadata("format", PolicyExport.FORMAT);
        g.metadata("obs_dim", "18");
        g.metadata("act_dim", "8");
        g.metadata("joint_names", String.join(",", ARM));
        g.metadata("gripper_joint", GRIPPER);
        g.metadata("action_low", low.toString());
        g.metadata("action_high", high.toString());
        g.metadata("control_period", "0.01");
        if (version != 0) g.metadata("version", Long.toString(version));
        return g.toBytes("test", 1, "constant action");
    }

    /** The /policy/model message a trainer publishes for {@code onnx}. */
    public static ModelUpdate update(byte[] onnx, long version) {
        ModelUpdate u = new ModelUpdate();
        u.onnx = onnx;
        u.sha256 = PolicyExport.sha256(onnx);
        u.version = version;
        u.algorithm = "test";
        return u;
    }
}
