package org.teachlearn.learn.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.teachlearn.learn.nn.Mlp;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.policy.GaussianMixture;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * Writes a policy as the ONNX model of docs/messages.md §4: input {@code obs} [batch, obs_dim] of raw
 * observations; outputs {@code action} [batch, act_dim] (the mean command, in the controller's
 * units, inside the joint limits), {@code log_std} [act_dim] (of the Gaussian over commands) and,
 * on request, {@code value} [batch, 1]. Normalisation, the action map and the clamp to limits are nodes of the
 * graph, and the layout rides along in {@code metadata_props}, so the file is all a robot needs.
 */
public final class PolicyExport {

    public static final String FORMAT = "teach_learn.policy/1";

    private PolicyExport() {
    }

    /** The model of {@code policy} without its value head: what a robot runs. */
    public static byte[] toOnnx(GaussianPolicy policy, String algorithm, long version, double controlPeriod) {
        return toOnnx(policy, algorithm, version, controlPeriod, false);
    }

    /**
     * The model of {@code policy}, trained by {@code algorithm} to be run every {@code controlPeriod}
     * seconds; with {@code withValue} also the critic's {@code value} output. ONNX Runtime runs every
     * node of a graph whatever outputs are asked for, so a value head doubles the policy tick.
     */
    public static byte[] toOnnx(GaussianPolicy policy, String algorithm, long version, double controlPeriod, boolean withValue) {
        return toOnnx(policy, algorithm, version, controlPeriod, withValue, GripperCommand.CONTINUOUS);
    }

    /** As above, the gripper's output sent as {@code gripper} says (metadata {@code gripper_command}). */
    public static byte[] toOnnx(GaussianPolicy policy, String algorithm, long version, double controlPeriod, boolean withValue,
            GripperCommand gripper) {
        PolicyLayout layout = policy.layout();
        ActionMap map = layout.actions();
        int ad = layout.actionSize();
        OnnxGraph g = new OnnxGraph("teach_learn_policy");
        String x = normalisedInput(g, layout, policy.norm());
        // The action map's scale and offset are folded into the actor's last layer (every node costs
        // time on the tick): step = scale·u + offset = h·(W·diag(scale)) + (b·scale + offset).
        String step = mlp(g, "actor", policy.actor(), ad, x, map.scale(), map.offset());
        command(g, layout, step);
        double[] logStd = new double[ad];
        for (int j = 0; j < ad; j++) logStd[j] = policy.logStd().value().data[j] + Math.log(map.scale()[j]);
        logStd(g, logStd);
        if (withValue) {
            g.node("Identity", new String[] {mlp(g, "critic", policy.critic(), 1, x, null, null)}, "value");
            g.output("value", -1, 1);
        }
        metadata(g, layout, policy.norm(), policy.actor(), algorithm, version, controlPeriod, gripper);
        return g.toBytes(version(), version, "Gaussian policy for task '" + layout.task() + "' trained by " + algorithm
                + "; action = clip(obs[source] + offset + scale * actor(normalised obs), low, high), scale and offset folded into the last layer");
    }

    /**
     * The model of an off-policy learner's actor: {@code action} = clip(obs[source] + offset + scale ·
     * tanh(net(normalised obs)), low, high) from the net's first act_dim outputs (SAC's actor also
     * outputs log σ), the Tanh a node of the graph; {@code log_std} = {@code commandLogStd}, what
     * the learner explores with around that action in command units (for servers that sample,
     * {@code ~stochastic}).
     */
    public static byte[] toOnnxSquashed(PolicyLayout layout, RunningNorm norm, Mlp net, double[] commandLogStd, String algorithm, long version,
            double controlPeriod) {
        ActionMap map = layout.actions();
        int ad = layout.actionSize();
        OnnxGraph g = new OnnxGraph("teach_learn_policy");
        String x = normalisedInput(g, layout, norm);
        String squashed = g.node("Tanh", new String[] {mlp(g, "actor", net, ad, x, null, null)});
        String scaled = g.node("Mul", new String[] {squashed, g.constant("action_scale", new long[] {ad}, map.scale())});
        String step = g.node("Add", new String[] {scaled, g.constant("action_offset", new long[] {ad}, map.offset())});
        command(g, layout, step);
        logStd(g, commandLogStd);
        metadata(g, layout, norm, net, algorithm, version, controlPeriod, GripperCommand.CONTINUOUS);
        g.metadata("squash", "tanh");
        return g.toBytes(version(), version, "squashed policy for task '" + layout.task() + "' trained by " + algorithm
                + "; action = clip(obs[source] + offset + scale * tanh(actor(normalised obs)), low, high)");
    }

    /**
     * The model of a mixture policy (docs/messages.md §4): {@code gmm_logits} [batch, K],
     * {@code gmm_mean} [batch, K, act_dim] (each component's mean command, clamped to the limits)
     * and {@code gmm_log_std} [batch, K, act_dim] (in command units); {@code action} and
     * {@code log_std} [batch, act_dim] are the most likely component's, so a server that knows
     * nothing of mixtures runs it as a Gaussian policy.
     */
    public static byte[] toOnnxMixture(MixturePolicy policy, String algorithm, long version, double controlPeriod) {
        return toOnnxMixture(policy, algorithm, version, controlPeriod, GripperCommand.CONTINUOUS);
    }

    /** As above, the gripper's output sent as {@code gripper} says (metadata {@code gripper_command}). */
    public static byte[] toOnnxMixture(MixturePolicy policy, String algorithm, long version, double controlPeriod, GripperCommand gripper) {
        PolicyLayout layout = policy.layout();
        ActionMap map = layout.actions();
        GaussianMixture mixture = policy.mixture();
        int ad = layout.actionSize(), od = layout.contractSize(), k = mixture.components(), width = k * ad;
        OnnxGraph g = new OnnxGraph("teach_learn_policy");
        String x = normalisedInput(g, layout, policy.norm());
        String h = hidden(g, "mixture", policy.net(), x);
        g.node("Identity", new String[] {lastLayer(g, "mixture.logits", policy.net(), h, 0, k, null, null)}, "gmm_logits");
        g.output("gmm_logits", -1, k);
        double[] scale = tile(map.scale(), k);
        String steps = lastLayer(g, "mixture.means", policy.net(), h, k, width, scale, tile(map.offset(), k));
        double[] select = new double[od * width];
        for (int c = 0; c < k; c++) for (int j = 0; j < ad; j++) if (map.source()[j] >= 0) select[map.source()[j] * width + c * ad + j] = 1;
        String base = g.node("MatMul", new String[] {"obs", g.constant("gmm_action_source", new long[] {od, width}, select)});
        String command = g.node("Add", new String[] {base, steps});
        String low = g.node("Max", new String[] {command, g.constant("gmm_action_low", new long[] {width}, tile(finite(map.low()), k))});
        String clamped = g.node("Min", new String[] {low, g.constant("gmm_action_high", new long[] {width}, tile(finite(map.high()), k))});
        String shape = g.int64Constant("gmm_shape", new long[] {3}, new long[] {-1, k, ad});
        g.node("Reshape", new String[] {clamped, shape}, "gmm_mean");
        g.output("gmm_mean", -1, k, ad);
        String raw = lastLayer(g, "mixture.std", policy.net(), h, k + width, width, null, null);
        String sigma = g.node("Add", new String[] {g.node("Softplus", new String[] {raw}), g.scalar("gmm_min_std", GaussianMixture.MIN_STD)});
        String logSigma = g.node("Log", new String[] {g.node("Mul", new String[] {sigma, g.constant("gmm_std_scale", new long[] {width}, scale)})});
        g.node("Reshape", new String[] {logSigma, shape}, "gmm_log_std");
        g.output("gmm_log_std", -1, k, ad);
        // the most likely component as a one-hot [batch, K, 1], then a sum over K picks its row
        String best = g.node("ArgMax", new String[] {"gmm_logits"}, "gmm_best", "axis", 1L, "keepdims", 1L);
        String oneHot = g.node("OneHot", new String[] {best, g.scalar("gmm_components", k), g.constant("gmm_one_hot_values", new long[] {2}, new double[] {0, 1})},
                "gmm_one_hot", "axis", 1L);
        String axis = g.int64Constant("gmm_component_axis", new long[] {1}, new long[] {1});
        g.node("ReduceSum", new String[] {g.node("Mul", new String[] {oneHot, "gmm_mean"}), axis}, "action", "keepdims", 0L);
        g.output("action", -1, ad);
        g.node("ReduceSum", new String[] {g.node("Mul", new String[] {oneHot, "gmm_log_std"}), axis}, "log_std", "keepdims", 0L);
        g.output("log_std", -1, ad);
        metadata(g, layout, policy.norm(), policy.net(), algorithm, version, controlPeriod, gripper);
        g.metadata("head", "mixture");
        g.metadata("components", Integer.toString(k));
        return g.toBytes(version(), version, "mixture of " + k + " Gaussians for task '" + layout.task() + "' trained by " + algorithm
                + "; gmm_mean[k] = clip(obs[source] + offset + scale * mean_k(normalised obs), low, high); action = the most likely component's");
    }

    /**
     * The model of a policy of action chunks (docs/messages.md §4): {@code action} [batch, K, act_dim],
     * the next K commands, each clip(obs[source] + offset + scale · u_k, low, high) from the
     * observation the chunk is predicted in; {@code log_std} [act_dim] the policy's fixed σ in
     * command units. policy_server plays the chunk open loop or ensembles it ({@code ~chunk_mode}).
     */
    public static byte[] toOnnxChunk(ChunkPolicy policy, String algorithm, long version, double controlPeriod) {
        return toOnnxChunk(policy, algorithm, version, controlPeriod, GripperCommand.CONTINUOUS);
    }

    /** As above, the gripper's output sent as {@code gripper} says (metadata {@code gripper_command}). */
    public static byte[] toOnnxChunk(ChunkPolicy policy, String algorithm, long version, double controlPeriod, GripperCommand gripper) {
        return toOnnxChunk(java.util.List.of(policy), algorithm, version, controlPeriod, gripper);
    }

    /**
     * The mean of several chunk policies trained on the same samples ({@code train bc --models N}):
     * one model whose chunk is the average of theirs, each network's output scaled by 1/N before a
     * Sum (metadata {@code models}). They share the first one's normaliser, which all were fitted to
     * alike; policy_server runs it as any chunk model.
     */
    public static byte[] toOnnxChunk(java.util.List<ChunkPolicy> policies, String algorithm, long version, double controlPeriod, GripperCommand gripper) {
        ChunkPolicy policy = policies.get(0);
        PolicyLayout layout = policy.layout();
        ActionMap map = layout.actions();
        int ad = layout.actionSize(), od = layout.contractSize(), k = policy.chunk(), width = k * ad, frames = policy.history();
        int n = policies.size();
        OnnxGraph g = new OnnxGraph("teach_learn_policy");
        String x = frames == 1 ? normalisedInput(g, layout, policy.norm()) : stackedInput(g, layout, frames, policy.norm());
        double[] scale = tile(map.scale(), k), offset = tile(map.offset(), k);
        for (int c = 0; c < width; c++) {
            scale[c] /= n;
            offset[c] /= n;
        }
        String[] each = new String[n];
        for (int m = 0; m < n; m++) each[m] = mlp(g, m == 0 ? "actor" : "actor_" + m, policies.get(m).net(), width, x, scale, offset);
        String steps = n == 1 ? each[0] : g.node("Sum", each);
        // the command is relative to the present observation: the stack's first frame
        double[] select = new double[frames * od * width];
        for (int c = 0; c < k; c++) for (int j = 0; j < ad; j++) if (map.source()[j] >= 0) select[map.source()[j] * width + c * ad + j] = 1;
        String base = g.node("MatMul", new String[] {"obs", g.constant("chunk_action_source", new long[] {frames * od, width}, select)});
        String command = g.node("Add", new String[] {base, steps});
        String low = g.node("Max", new String[] {command, g.constant("chunk_action_low", new long[] {width}, tile(finite(map.low()), k))});
        String clamped = g.node("Min", new String[] {low, g.constant("chunk_action_high", new long[] {width}, tile(finite(map.high()), k))});
        g.node("Reshape", new String[] {clamped, g.int64Constant("chunk_shape", new long[] {3}, new long[] {-1, k, ad})}, "action");
        g.output("action", -1, k, ad);
        double[] logStd = new double[ad];
        for (int j = 0; j < ad; j++) logStd[j] = policy.logStd() + Math.log(map.scale()[j]);
        logStd(g, logStd);
        metadata(g, layout, policy.norm(), policy.net(), algorithm, version, controlPeriod, gripper);
        g.metadata("chunk", Integer.toString(k));
        if (n > 1) g.metadata("models", Integer.toString(n));   // informational: the networks averaged
        if (frames > 1) {   // obs is [batch, history · obs_dim]: the last observations, newest first, the first repeated before it
            g.metadata("history", Integer.toString(frames));
            g.metadata("history_stride", Integer.toString(policy.historyStride()));
        }
        return g.toBytes(version(), version, (n > 1 ? "mean of " + n + " policies" : "policy") + " of " + k + "-action chunks" + (frames > 1 ? " from the last " + frames + " observations" : "")
                + " for task '" + layout.task() + "' trained by " + algorithm
                + "; action[k] = clip(obs[source] + offset + scale * actor(normalised obs)[k], low, high)");
    }

    private static double[] tile(double[] v, int times) {
        double[] out = new double[v.length * times];
        for (int t = 0; t < times; t++) System.arraycopy(v, 0, out, t * v.length, v.length);
        return out;
    }

    /**
     * Input {@code obs} [batch, obs_dim], with the hand feature appended if the layout has one,
     * centred, scaled and clipped as the running normaliser does.
     */
    private static String normalisedInput(OnnxGraph g, PolicyLayout layout, RunningNorm norm) {
        int od = layout.observationSize();
        g.input("obs", -1, layout.contractSize());
        String in = layout.hand() != null ? HandFeatureNodes.append(g, layout, "obs") : "obs";
        double[] invStd = new double[od];
        for (int j = 0; j < od; j++) invStd[j] = norm.inverseStd(j);
        String centred = g.node("Sub", new String[] {in, g.constant("obs_mean", new long[] {od}, norm.mean())});
        String scaled = g.node("Mul", new String[] {centred, g.constant("obs_inv_std", new long[] {od}, invStd)});
        return g.node("Clip", new String[] {scaled, g.scalar("obs_clip_low", -RunningNorm.CLIP), g.scalar("obs_clip_high", RunningNorm.CLIP)});
    }

    /**
     * Input {@code obs} [batch, frames · obs_dim]: stacked observations; with the hand feature each
     * frame gets its own (the frames become rows of one batch for {@link HandFeatureNodes}, then a
     * row again), then every column centred, scaled and clipped as the normaliser does.
     */
    private static String stackedInput(OnnxGraph g, PolicyLayout layout, int frames, RunningNorm norm) {
        int contract = layout.contractSize(), width = frames * layout.observationSize();
        g.input("obs", -1, frames * contract);
        String in = "obs";
        if (layout.hand() != null) {
            String rows = g.node("Reshape", new String[] {in, g.int64Constant("history_frames", new long[] {2}, new long[] {-1, contract})});
            String withHand = HandFeatureNodes.append(g, layout, rows);
            in = g.node("Reshape", new String[] {withHand, g.int64Constant("history_rows", new long[] {2}, new long[] {-1, width})});
        }
        double[] invStd = new double[width];
        for (int j = 0; j < width; j++) invStd[j] = norm.inverseStd(j);
        String centred = g.node("Sub", new String[] {in, g.constant("obs_mean", new long[] {width}, norm.mean())});
        String scaled = g.node("Mul", new String[] {centred, g.constant("obs_inv_std", new long[] {width}, invStd)});
        return g.node("Clip", new String[] {scaled, g.scalar("obs_clip_low", -RunningNorm.CLIP), g.scalar("obs_clip_high", RunningNorm.CLIP)});
    }

    /** Output {@code action}: the observed source term plus {@code step}, clamped to the joint limits. */
    private static void command(OnnxGraph g, PolicyLayout layout, String step) {
        ActionMap map = layout.actions();
        int od = layout.contractSize(), ad = layout.actionSize();
        double[] select = new double[od * ad];
        for (int j = 0; j < ad; j++) if (map.source()[j] >= 0) select[map.source()[j] * ad + j] = 1;
        String base = g.node("MatMul", new String[] {"obs", g.constant("action_source", new long[] {od, ad}, select)});
        String command = g.node("Add", new String[] {base, step});
        String low = g.node("Max", new String[] {command, g.constant("action_low", new long[] {ad}, finite(map.low()))});
        g.node("Min", new String[] {low, g.constant("action_high", new long[] {ad}, finite(map.high()))}, "action");
        g.output("action", -1, ad);
    }

    private static void logStd(OnnxGraph g, double[] logStd) {
        g.node("Identity", new String[] {g.constant("log_std_value", new long[] {logStd.length}, logStd)}, "log_std");
        g.output("log_std", logStd.length);
    }

    private static void metadata(OnnxGraph g, PolicyLayout layout, RunningNorm norm, Mlp actor, String algorithm, long version,
            double controlPeriod, GripperCommand gripper) {
        ActionMap map = layout.actions();
        int od = layout.observationSize(), contract = layout.contractSize();
        g.metadata("format", FORMAT);
        g.metadata("version", Long.toString(version));
        g.metadata("algorithm", algorithm);
        g.metadata("task", layout.task());
        g.metadata("obs_dim", Integer.toString(contract));
        g.metadata("act_dim", Integer.toString(layout.actionSize()));
        g.metadata("observation", String.join(",", layout.observationNames().subList(0, contract)));
        // inputs the graph computes from the observation (HandFeatureNodes) for its network
        if (od > contract) g.metadata("features", String.join(",", layout.observationNames().subList(contract, od)));
        java.util.List<String> ignored = new java.util.ArrayList<>();
        for (int j = 0; j < od; j++) if (norm.ignored(j)) ignored.add(layout.observationNames().get(j));
        g.metadata("observation_ignored", String.join(",", ignored));   // inputs the model multiplies by 0
        g.metadata("action", String.join(",", map.names()));
        g.metadata("joint_names", String.join(",", layout.armJoints()));
        g.metadata("gripper_joint", layout.gripperJoint() == null ? "" : layout.gripperJoint());
        // binary: the server sends the nearer end of the gripper's range (GripperCommand)
        if (layout.gripperJoint() != null) g.metadata("gripper_command", gripper.toString());
        g.metadata("action_mode", "position");
        g.metadata("control_period", Double.toString(controlPeriod));
        g.metadata("action_low", join(map.low()));
        g.metadata("action_high", join(map.high()));
        g.metadata("log_std_units", "command");
        g.metadata("network", "mlp " + join(actor.sizes()) + " " + actor.activation());
    }

    /**
     * Gemm per layer (weights are [in, out]: no transpose), activation between layers; of the last
     * layer only the first {@code outputs} columns (an actor that also outputs log σ exports its
     * mean), scaled by {@code scale} and shifted by {@code offset} when given.
     */
    private static String mlp(OnnxGraph g, String prefix, Mlp net, int outputs, String x, double[] scale, double[] offset) {
        return lastLayer(g, prefix, net, hidden(g, prefix, net, x), 0, outputs, scale, offset);
    }

    /** Every layer but the last, each followed by the activation: the last hidden layer's output. */
    private static String hidden(OnnxGraph g, String prefix, Mlp net, String x) {
        String h = x;
        int[] sizes = net.sizes();
        for (int l = 0; l < net.layers() - 1; l++) {
            String wName = g.constant(prefix + "." + l + ".weight", new long[] {sizes[l], sizes[l + 1]}, net.weight(l).value().data);
            String bName = g.constant(prefix + "." + l + ".bias", new long[] {sizes[l + 1]}, net.bias(l).value().data);
            h = g.node(net.activation().onnxName(), new String[] {g.node("Gemm", new String[] {h, wName, bName})});
        }
        return h;
    }

    /** The last layer's columns {@code from} .. {@code from + count} on {@code h}, scaled and shifted when given. */
    private static String lastLayer(OnnxGraph g, String prefix, Mlp net, String h, int from, int count, double[] scale, double[] offset) {
        int l = net.layers() - 1, in = net.sizes()[l], stored = net.sizes()[l + 1];
        double[] weight = new double[in * count], bias = new double[count];
        double[] w = net.weight(l).value().data, b = net.bias(l).value().data;
        for (int i = 0; i < in; i++) for (int j = 0; j < count; j++) weight[i * count + j] = w[i * stored + from + j];
        for (int j = 0; j < count; j++) bias[j] = b[from + j];
        if (scale != null) {
            for (int k = 0; k < weight.length; k++) weight[k] *= scale[k % count];
            for (int j = 0; j < count; j++) bias[j] = bias[j] * scale[j] + offset[j];
        }
        String wName = g.constant(prefix + "." + l + ".weight", new long[] {in, count}, weight);
        String bName = g.constant(prefix + "." + l + ".bias", new long[] {count}, bias);
        return g.node("Gemm", new String[] {h, wName, bName});
    }

    /** Writes the model atomically (a reader never sees half a file); returns its sha256. */
    public static String write(byte[] onnx, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        Files.write(tmp, onnx);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return sha256(onnx);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String version() {
        String v = PolicyExport.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** Continuous joints have infinite limits; float32 has them too, but keep files finite and portable. */
    private static double[] finite(double[] a) {
        double[] f = new double[a.length];
        for (int i = 0; i < a.length; i++) f[i] = Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, a[i]));
        return f;
    }

    private static String join(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? "," : "").append(a[i]);
        return sb.toString();
    }

    private static String join(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? "x" : "").append(a[i]);
        return sb.toString();
    }
}
