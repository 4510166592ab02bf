package org.teachlearn.learn.onnx;

import org.teachlearn.learn.policy.HandFeature;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.kinematics.Transforms;

/**
 * {@link HandFeature} as nodes of the policy's graph: the arm's forward kinematics on the
 * observation's joint positions, batched. Each movable joint contributes F·R(q), with F the fixed
 * transforms since the previous movable joint and R(q) = I + sin q·K + (1 − cos q)·K² (Rodrigues,
 * K the skew matrix of the joint's axis), so F·R(q) = F + sin q·(F·K) + (1 − cos q)·(F·K²): three
 * constants, and one MatMul per joint on the running [batch, 4, 4] transform. A prismatic joint
 * is F + q·(F·E), E moving along its axis.
 */
final class HandFeatureNodes {

    private HandFeatureNodes() {
    }

    /** {@code obs} [batch, contract size] with hand − goal appended: the name of a [batch, observation size] tensor. */
    static String append(OnnxGraph g, PolicyLayout layout, String obs) {
        KinematicChain chain = layout.hand().chain();
        int oc = layout.contractSize(), goalAt = oc - layout.goalSize();
        double[] fixed = Transforms.identity(new double[16]), origin = new double[16], next = new double[16];
        String pose = null;   // the running transform, [batch, 4, 4] once a joint moved it
        String qShape = g.int64Constant("hand_q_shape", new long[] {3}, new long[] {-1, 1, 1});
        String one = g.scalar("hand_one", 1);
        for (int i = 0; i < chain.pathLength(); i++) {
            chain.origin(i, origin);
            Transforms.multiply(fixed, origin, next);
            System.arraycopy(next, 0, fixed, 0, 16);
            int m = chain.coordinate(i);
            if (m < 0) continue;
            double[] select = new double[oc];
            select[m] = 1;   // the joint's position is the m-th entry of the observation
            String q = g.node("Reshape", new String[] {g.node("MatMul", new String[] {obs, g.constant("hand_select_" + m, new long[] {oc, 1}, select)}), qShape});
            double[] axis = chain.joint(m).axis();
            String motion;
            if (chain.joint(m).isPrismatic()) {
                double[] e = new double[16];
                e[3] = axis[0];
                e[7] = axis[1];
                e[11] = axis[2];
                String along = g.node("Mul", new String[] {q, matrix(g, "hand_fe_" + m, product(fixed, e))});
                motion = g.node("Add", new String[] {matrix(g, "hand_f_" + m, fixed), along});
            } else {
                double[] k = skew(axis);
                String sine = g.node("Mul", new String[] {g.node("Sin", new String[] {q}), matrix(g, "hand_fk_" + m, product(fixed, k))});
                String versine = g.node("Sub", new String[] {one, g.node("Cos", new String[] {q})});
                String second = g.node("Mul", new String[] {versine, matrix(g, "hand_fkk_" + m, product(fixed, product(k, k)))});
                motion = g.node("Add", new String[] {g.node("Add", new String[] {matrix(g, "hand_f_" + m, fixed), sine}), second});
            }
            pose = pose == null ? motion : g.node("MatMul", new String[] {pose, motion});
            Transforms.identity(fixed);
        }
        if (pose == null) throw new IllegalArgumentException("the hand feature needs an arm with a movable joint");
        // the tip's origin through the fixed joints after the last movable one, as a column
        double[] column = {fixed[3], fixed[7], fixed[11], 1};
        String hand4 = g.node("MatMul", new String[] {pose, g.constant("hand_tip", new long[] {4, 1}, column)});
        String hand = g.node("MatMul", new String[] {g.node("Reshape", new String[] {hand4, g.int64Constant("hand_rows", new long[] {2}, new long[] {-1, 4})}),
            g.constant("hand_xyz", new long[] {4, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0})});
        double[] goalSelect = new double[oc * 3];
        for (int j = 0; j < 3; j++) goalSelect[(goalAt + j) * 3 + j] = 1;
        String goal = g.node("MatMul", new String[] {obs, g.constant("hand_goal", new long[] {oc, 3}, goalSelect)});
        String offset = g.node("Sub", new String[] {hand, goal});
        String feature = g.node("Tanh", new String[] {g.node("Mul", new String[] {offset, g.scalar("hand_inv_scale", 1 / HandFeature.SCALE)})}, "hand_minus_goal");
        return g.node("Concat", new String[] {obs, feature}, "obs_with_hand", "axis", 1L);
    }

    private static String matrix(OnnxGraph g, String name, double[] m) {
        return g.constant(name, new long[] {4, 4}, m);
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
