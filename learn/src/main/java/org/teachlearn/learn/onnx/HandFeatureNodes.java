package org.teachlearn.learn.onnx;

import org.teachlearn.learn.policy.HandFeature;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.kinematics.Transforms;

/**
 * {@link HandFeature} as nodes of the policy's graph: the arm's forward kinematics on the
 * observation's joint positions, batched. Each movable joint contributes F·R(q), with F the fixed
 * transforms since the previous movable joint and R(q) = I + sin q·K + (1 − cos q)·K² (Rodrigues,
 * K the skew matrix of the joint's axis), so F·R(q) = F + sin q·(F·K) + (1 − cos q)·(F·K²); a
 * prismatic joint is F + q·(F·E), E moving along its axis. All joints' matrices come from three
 * [dof, 4, 4] constants in a few nodes, then one Gather and one MatMul per joint chain them: ONNX
 * Runtime's cost is per node (a graph of ten nodes per joint added 19 µs to a 6 µs tick). The
 * goal point's offset from its destination (pick and place) costs no node of its own: it comes out
 * of the MatMul that picks the goal point.
 */
final class HandFeatureNodes {

    private HandFeatureNodes() {
    }

    /** {@code obs} [batch, contract size] with the hand feature appended: the name of a [batch, observation size] tensor. */
    static String append(OnnxGraph g, PolicyLayout layout, String obs) {
        KinematicChain chain = layout.hand().chain();
        int oc = layout.contractSize(), goalAt = oc - layout.goalSize(), dof = chain.dof();
        double[] a = new double[dof * 16], b = new double[dof * 16], c = new double[dof * 16];
        double[] revolute = new double[dof], prismatic = new double[dof], select = new double[oc * dof];
        double[] fixed = Transforms.identity(new double[16]), origin = new double[16], next = new double[16];
        for (int i = 0; i < chain.pathLength(); i++) {
            chain.origin(i, origin);
            Transforms.multiply(fixed, origin, next);
            System.arraycopy(next, 0, fixed, 0, 16);
            int m = chain.coordinate(i);
            if (m < 0) continue;
            select[m * dof + m] = 1;   // the joint's position is the m-th entry of the observation
            double[] axis = chain.joint(m).axis();
            System.arraycopy(fixed, 0, a, m * 16, 16);
            if (chain.joint(m).isPrismatic()) {
                prismatic[m] = 1;
                double[] e = new double[16];
                e[3] = axis[0];
                e[7] = axis[1];
                e[11] = axis[2];
                System.arraycopy(product(fixed, e), 0, b, m * 16, 16);
            } else {
                revolute[m] = 1;
                double[] k = skew(axis);
                System.arraycopy(product(fixed, k), 0, b, m * 16, 16);
                System.arraycopy(product(fixed, product(k, k)), 0, c, m * 16, 16);
            }
            Transforms.identity(fixed);
        }
        if (dof == 0) throw new IllegalArgumentException("the hand feature needs an arm with a movable joint");
        String q = g.node("MatMul", new String[] {obs, g.constant("hand_select", new long[] {oc, dof}, select)});
        String first = g.node("Sin", new String[] {q});   // sin q for a revolute joint, q itself for a prismatic one
        String second = g.node("Sub", new String[] {g.scalar("hand_one", 1), g.node("Cos", new String[] {q})});
        if (sum(prismatic) > 0) {
            String revolutes = g.constant("hand_revolute", new long[] {dof}, revolute);
            first = g.node("Add", new String[] {g.node("Mul", new String[] {first, revolutes}),
                g.node("Mul", new String[] {q, g.constant("hand_prismatic", new long[] {dof}, prismatic)})});
            second = g.node("Mul", new String[] {second, revolutes});
        }
        String perJoint = g.int64Constant("hand_per_joint", new long[] {4}, new long[] {-1, dof, 1, 1});
        long[] matrices = {dof, 4, 4};
        String scaled = g.node("Mul", new String[] {g.node("Reshape", new String[] {first, perJoint}), g.constant("hand_fk", matrices, b)});
        String squared = g.node("Mul", new String[] {g.node("Reshape", new String[] {second, perJoint}), g.constant("hand_fkk", matrices, c)});
        String motions = g.node("Add", new String[] {g.node("Add", new String[] {scaled, squared}), g.constant("hand_f", matrices, a)});   // [batch, dof, 4, 4]
        String pose = null;
        for (int m = 0; m < dof; m++) {
            String joint = g.node("Gather", new String[] {motions, g.int64Constant("hand_joint_" + m, new long[0], new long[] {m})}, "hand_motion_" + m, "axis", 1L);
            pose = pose == null ? joint : g.node("MatMul", new String[] {pose, joint});
        }
        // the tip's origin through the fixed joints after the last movable one, as a column
        String hand4 = g.node("MatMul", new String[] {pose, g.constant("hand_tip", new long[] {4, 1}, new double[] {fixed[3], fixed[7], fixed[11], 1})});
        // one MatMul picks the goal point, and the destination's offset from it, out of the observation: hand − that = the feature's offsets
        HandFeature feature = layout.hand();
        int width = feature.size(), to = feature.destinationAt(), secondAt = feature.secondPointAt();
        double[] goalSelect = new double[oc * width];
        double[] handSelect = new double[4 * width];
        for (int j = 0; j < 3; j++) {
            goalSelect[(goalAt + j) * width + j] = 1;
            handSelect[j * width + j] = 1;
            if (to >= 0) {   // 0 − (destination − goal point) = goal point − destination
                goalSelect[(goalAt + to + j) * width + 3 + j] = 1;
                goalSelect[(goalAt + j) * width + 3 + j] = -1;
            }
            if (secondAt >= 0) {   // hand − the second point
                goalSelect[(goalAt + secondAt + j) * width + 3 + j] = 1;
                handSelect[j * width + 3 + j] = 1;
            }
        }
        String hand = g.node("MatMul", new String[] {g.node("Reshape", new String[] {hand4, g.int64Constant("hand_rows", new long[] {2}, new long[] {-1, 4})}),
            g.constant("hand_xyz", new long[] {4, width}, handSelect)});
        String goal = g.node("MatMul", new String[] {obs, g.constant("hand_goal", new long[] {oc, width}, goalSelect)});
        String offset = g.node("Sub", new String[] {hand, goal});
        String features = g.node("Tanh", new String[] {g.node("Mul", new String[] {offset, g.scalar("hand_inv_scale", 1 / HandFeature.SCALE)})}, "hand_minus_goal");
        return g.node("Concat", new String[] {obs, features}, "obs_with_hand", "axis", 1L);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    /** The 4x4 product a·b (full: the operands need not be rigid transforms). */
    private static double[] product(double[] a, double[] b) {
        double[] out = new double[16];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) for (int k = 0; k < 4; k++) out[4 * r + c] += a[4 * r + k] * b[4 * k + c];
        return out;
    }

    /** The skew matrix of a unit axis in a 4x4's rotation block: K·v = axis × v. */
    private static double[] skew(double[] a) {
        return new double[] {0, -a[2], a[1], 0, a[2], 0, -a[0], 0, -a[1], a[0], 0, 0, 0, 0, 0, 0};
    }
}
