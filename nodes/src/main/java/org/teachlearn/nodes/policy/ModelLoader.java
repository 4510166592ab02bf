package org.teachlearn.nodes.policy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.MixtureChoice;
import org.teachlearn.learn.serve.ModelHistory;
import org.teachlearn.learn.serve.ModelHistory.Model;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.PolicyInfo;
import org.teachlearn.learn.serve.PolicySlot;
import org.teachlearn.learn.serve.UpdateGate;
import org.teachlearn.msgs.std_msgs.UInt32;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * Models for the policy server: from {@code ~model} at start or {@code /policy/model} at any time,
 * checked (sha256, layout, a log σ output when sampling), loaded and warmed on a side thread, then
 * swapped into the {@link PolicySlot} between ticks. The first model's layout configures the
 * server; later ones must share it. Which published models go in is the {@link UpdateGate}'s call
 * ({@code ~accept_updates}, {@code ~version_pin}, the services {@code policy/accept_updates} and
 * {@code policy/rollback}); the running version goes out latched on {@code policy/version}. A model
 * without teach_learn metadata takes its layout from parameters (see {@link #layoutFromParameters}).
 * Everything that chooses or swaps a model runs on the one loader thread, in arrival order.
 */
final class ModelLoader {

    /** A service's answer. */
    record Answer(boolean success, String message) {
    }

    private final Node node;
    private final RobotModel robot;
    private final PolicySlot slot;
    private final Object lock;
    private final boolean needsLogStd;
    private final MixtureChoice mixture;   // null: every model acts on its own action (a mixture's most likely component)
    private final Rng mixtureRng;
    private final Consumer<PolicyInfo> configure;
    private final UpdateGate gate;
    private final ModelHistory history = new ModelHistory();   // loader thread only (and the constructor's ~model)
    private final Publisher<UInt32> versionOut;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "policy-loader");
        t.setDaemon(true);
        return t;
    });
    private PolicyInfo info;
    private volatile int version;

    /**
     * @param mixture   for mixture models, which component acts ({@code ~mixture}); null: the model's own action
     * @param configure called once, under {@code lock}, with the first model's layout
     */
    ModelLoader(Node node, RobotModel robot, PolicySlot slot, Object lock, boolean needsLogStd, MixtureChoice mixture, Rng mixtureRng,
            Consumer<PolicyInfo> configure) throws IOException {
        this.node = node;
        this.robot = robot;
        this.slot = slot;
        this.lock = lock;
        this.needsLogStd = needsLogStd;
        this.mixture = mixture;
        this.mixtureRng = mixtureRng;
        this.configure = configure;
        gate = new UpdateGate(node.params().getBool("~accept_updates", true), node.params().getInt("~version_pin", 0));
        versionOut = node.advertise("policy/version", UInt32.TYPE, 1, true);
    }

    /** The version of the model running (0 before the first, or for a model from a file without one). */
    int version() {
        return version;
    }

    /** What the gate lets in, for the start-up log line. */
    String updates() {
        return gate.describe();
    }

    /** {@code ~model}: installed whatever the gate says (the file is a deliberate choice); its version is its metadata's. */
    void installFile(byte[] onnx, String path) throws Exception {
        install(new Model(onnx, PolicyExport.sha256(onnx), 0, "file " + path));
    }

    /** A /policy/model message: its sha256 checked here; chosen, loaded and swapped in on the loader thread. */
    void onUpdate(ModelUpdate m) {
        byte[] onnx = m.onnx.clone();
        String sha = PolicyExport.sha256(onnx);
        if (!sha.equalsIgnoreCase(m.sha256)) {
            node.log().error("policy_server: /policy/model version " + m.version + " refused: sha256 " + sha + " does not match " + m.sha256);
            return;
        }
        Model model = new Model(onnx, sha, m.version, "/policy/model, " + m.algorithm);
        loader.execute(() -> offer(model));
    }

    /** Loader thread: installs a published model if the gate lets it in; otherwise it waits for policy/accept_updates. */
    private void offer(Model m) {
        if (history.isRunning(m)) {   // the latched model again, after the trainer reconnected: nothing to load
            history.noneWaiting();
            node.log().info("policy_server: " + m.describe() + " is already running");
            return;
        }
        String refusal = gate.refusal(m.version());
        if (refusal != null) {
            history.waiting(m);
            if (gate.firstRefusal(m.version())) {
                node.log().info("policy_server: " + m.describe() + " not installed: " + refusal + "; running version "
                        + version + " (policy/accept_updates true installs the newest one)");
            }
            return;
        }
        if (tryInstall(m) == null) history.noneWaiting();
    }

    /** Loader thread: null when {@code m} runs now, else why not (logged). */
    private String tryInstall(Model m) {
        try {
            install(m);
            return null;
        } catch (Exception e) {
            node.log().error("policy_server: " + m.describe() + " refused: " + e.getMessage());
            return e.getMessage();
        } catch (Throwable e) {   // an OutOfMemoryError loading it, say: the next model must still be taken
            node.log().error("policy_server: " + m.describe() + " refused: " + e);
            return e.toString();
        }
    }

    /** policy/rollback: back to the model that ran before this one; updates are then refused until switched on again. */
    Answer rollback() {
        return onLoader(() -> {
            Model now = history.running(), back = history.previous();
            if (now == null) return new Answer(false, "no model is running yet: nothing to roll back");
            if (back == null) {
                return new Answer(false, "no previous model to roll back to: " + now.describe() + " is the only model this server has run");
            }
            String error = tryInstall(back);
            if (error != null) {
                return new Answer(false, "rolling back to " + back.describe() + " failed (" + error + "): still running " + now.describe());
            }
            // else the same newer model, re-delivered or republished, would replace the rollback at once
            gate.accept(false, "updates are off since policy/rollback");
            String done = "rolled back from version " + now.version() + " to version " + back.version()
                    + "; /policy/model updates are now refused (policy/accept_updates true takes them again)";
            node.log().info("policy_server: " + done);
            return new Answer(true, done);
        });
    }

    /** policy/accept_updates: on installs every published model from now (and the newest one refused, now); off refuses them. */
    Answer acceptUpdates(boolean on) {
        return onLoader(() -> {
            gate.accept(on, "policy/accept_updates turned updates off");
            String running = "running version " + version;
            Answer a;
            Model w = history.waiting();
            if (!on) {
                a = new Answer(true, "refusing /policy/model updates; " + running);
            } else if (w == null || history.isRunning(w)) {
                a = new Answer(true, "accepting /policy/model updates; " + running);
            } else {
                String error = tryInstall(w);
                history.noneWaiting();
                a = error == null ? new Answer(true, "accepting /policy/model updates; installed the newest one received, " + w.describe())
                        : new Answer(false, "accepting /policy/model updates, but the newest one received, " + w.describe()
                                + ", could not be installed (" + error + "); " + running);
            }
            node.log().info("policy_server: " + a.message());
            return a;
        });
    }

    /** Runs a service's work in turn with the models arriving, and waits for it. */
    private Answer onLoader(Callable<Answer> work) {
        try {
            return loader.submit(work).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return new Answer(false, "the policy server is still loading a model after 60 s: try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, "interrupted");
        } catch (ExecutionException | RejectedExecutionException e) {
            return new Answer(false, "failed: " + (e.getCause() != null ? e.getCause() : e));
        }
    }

    /** Loads, checks and warms a model off the control path, then swaps it in between ticks. */
    private void install(Model m) throws Exception {
        OnnxPolicy next = new OnnxPolicy(m.onnx(), layoutFromParameters());
        long own = next.info().version();
        try {
            if (needsLogStd && next.logStd() == null) throw new IllegalArgumentException("~stochastic needs a model with a log_std output");
            // one version everywhere: experience carries it as policy_version, the trainer measures lag with it
            if (m.version() != 0 && own != 0 && own != m.version()) {
                throw new IllegalArgumentException("it is published as version " + m.version() + " but its metadata says version " + own
                        + ": publish a model under its own version");
            }
            synchronized (lock) {
                if (info == null) {
                    configure.accept(next.info());
                    info = next.info();
                } else if (!compatible(info, next.info())) {
                    throw new IllegalArgumentException("its layout differs from the running model's");
                }
            }
            // warmed up with a choice of its own: the server's is in use by the running model's ticks on another thread
            boolean choosing = mixture != null && next.chooseComponents(new MixtureChoice(mixture.mode()), new Rng(0));
            if (mixture != null && !choosing) {
                node.log().warn("policy_server: ~mixture " + mixture.mode().name().toLowerCase(java.util.Locale.ROOT) + " has nothing to choose from: "
                        + (next.components() == 0 ? "the model is not a mixture (no gmm_logits, gmm_mean)" : "the model acts in chunks")
                        + "; it runs on its action");
            }
            double[] warmObs = new double[next.history() * next.info().obsDim()], warmAct = new double[next.chunk() * next.info().actDim()];
            for (int i = 0; i < 100; i++) next.act(warmObs, warmAct);   // first runs allocate and plan inside ORT
            if (choosing) next.chooseComponents(mixture, mixtureRng);
        } catch (Exception e) {
            next.close();
            throw e;
        }
        if (mixture != null) mixture.reset();   // a new model's components are not the old one's: choose again
        slot.swap(next);
        Model ran = m.version() != 0 ? m : m.withVersion(own);   // 0: unset, the model's own (0 when it has none)
        history.ran(ran);
        version = (int) ran.version();
        UInt32 v = new UInt32();
        v.data = ran.version();
        versionOut.publish(v);
        node.log().info("policy_server: running " + ran.describe());
    }

    /**
     * The layout of a model without our metadata (exported by PyTorch, say), from parameters:
     * ~joint_names (the arm joints in the action's order), ~gripper_joint ("" for none), ~goal_size,
     * ~control_period, ~gripper_command (continuous | binary, as the metadata key); limits from the URDF. Null when ~joint_names is not set.
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
        String sent = p.getString("~gripper_command", "continuous");
        if (!sent.equals("continuous") && !sent.equals("binary")) {
            throw new IllegalArgumentException("~gripper_command must be continuous or binary, got '" + sent + "'");
        }
        return PolicyInfo.forArm(names.toArray(new String[0]), gripper).observationSize(obs).actionLimits(low, high)
                .controlPeriod(p.getDouble("~control_period", 0.01)).gripperCommand(GripperCommand.ofMetadata(sent)).build();
    }

    private static boolean compatible(PolicyInfo a, PolicyInfo b) {
        return a.obsDim() == b.obsDim() && a.actDim() == b.actDim() && Arrays.equals(a.jointNames(), b.jointNames())
                && a.gripperJoint().equals(b.gripperJoint());
    }

    void close() {
        loader.shutdownNow();
    }
}
