package org.teachlearn.nodes.policy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.PolicyInfo;
import org.teachlearn.learn.serve.PolicySlot;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.ros.node.Node;

/**
 * Models for the policy server: from {@code ~model} at start or {@code /policy/model} at any time,
 * checked (sha256, layout, a log σ output when sampling), loaded and warmed on a side thread, then
 * swapped into the {@link PolicySlot} between ticks. The first model's layout configures the
 * server; later ones must share it. A model without teach_learn metadata takes its layout from
 * parameters (see {@link #layoutFromParameters}).
 */
final class ModelLoader {

    private final Node node;
    private final RobotModel robot;
    private final PolicySlot slot;
    private final Object lock;
    private final boolean needsLogStd;
    private final Consumer<PolicyInfo> configure;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "policy-loader");
        t.setDaemon(true);
        return t;
    });
    private PolicyInfo info;
    private volatile int version;

    /** @param configure called once, under {@code lock}, with the first model's layout */
    ModelLoader(Node node, RobotModel robot, PolicySlot slot, Object lock, boolean needsLogStd, Consumer<PolicyInfo> configure) {
        this.node = node;
        this.robot = robot;
        this.slot = slot;
        this.lock = lock;
        this.needsLogStd = needsLogStd;
        this.configure = configure;
    }

    /** The version of the model running (0 before the first, or for a model from a file without one). */
    int version() {
        return version;
    }

    /** A /policy/model message: checked here, loaded on the loader thread. */
    void onUpdate(ModelUpdate m) {
        byte[] onnx = m.onnx.clone();
        String sha = PolicyExport.sha256(onnx);
        if (!sha.equalsIgnoreCase(m.sha256)) {
            node.log().error("policy_server: /policy/model version " + m.version + " refused: sha256 " + sha + " does not match " + m.sha256);
            return;
        }
        String from = "/policy/model version " + m.version + " (" + m.algorithm + ")";
        loader.execute(() -> {
            try {
                install(onnx, from);
            } catch (Exception e) {
                node.log().error("policy_server: " + from + " refused: " + e.getMessage());
            } catch (Throwable e) {   // an OutOfMemoryError loading it, say: the next model must still be taken
                node.log().error("policy_server: " + from + " refused: " + e);
            }
        });
    }

    /** Loads, checks and warms a model off the control path, then swaps it in between ticks. */
    void install(byte[] onnx, String from) throws Exception {
        OnnxPolicy next = new OnnxPolicy(onnx, layoutFromParameters());
        try {
            if (needsLogStd && next.logStd() == null) throw new IllegalArgumentException("~stochastic needs a model with a log_std output");
            synchronized (lock) {
                if (info == null) {
                    configure.accept(next.info());
                    info = next.info();
                } else if (!compatible(info, next.info())) {
                    throw new IllegalArgumentException("its layout differs from the running model's");
                }
            }
            double[] warmObs = new double[next.info().obsDim()], warmAct = new double[next.chunk() * next.info().actDim()];
            for (int i = 0; i < 100; i++) next.act(warmObs, warmAct);   // first runs allocate and plan inside ORT
        } catch (Exception e) {
            next.close();
            throw e;
        }
        slot.swap(next);
        version = (int) next.info().version();
        node.log().info("policy_server: running " + from);
    }

    /**
     * The layout of a model without our metadata (exported by PyTorch, say), from parameters:
     * ~joint_names (the arm joints in the action's order), ~gripper_joint ("" for none), ~goal_size,
     * ~control_period; limits from the URDF. Null when ~joint_names is not set.
     */
    private PolicyInfo layoutFromParameters() {
        var p = node.params();
        List<String> names = p.getStringList("~joint_names", List.of());
        if (names.isEmpty()) return null;
        String gripper = p.getString("~gripper_joint", "");
        int act = names.size() + (gripper.isEmpty() ? 0 : 1);
        double[] low = new double[act], high = new double[act];
        for (int k = 0; k < act; k++) {
            Joint j = robot.joint(k < names.size() ? names.get(k) : gripper);
            low[k] = j.lower();
            high[k] = j.upper();
        }
        int obs = 2 * names.size() + (gripper.isEmpty() ? 0 : 1) + p.getInt("~goal_size", 3);
        return PolicyInfo.forArm(names.toArray(new String[0]), gripper).observationSize(obs).actionLimits(low, high)
                .controlPeriod(p.getDouble("~control_period", 0.01)).build();
    }

    private static boolean compatible(PolicyInfo a, PolicyInfo b) {
        return a.obsDim() == b.obsDim() && a.actDim() == b.actDim() && Arrays.equals(a.jointNames(), b.jointNames())
                && a.gripperJoint().equals(b.gripperJoint());
    }

    void close() {
        loader.shutdownNow();
    }
}
