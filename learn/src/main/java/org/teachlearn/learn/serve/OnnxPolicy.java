package org.teachlearn.learn.serve;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.policy.MixtureChoice;

/**
 * One ONNX policy in an ONNX Runtime session, run one observation at a time on the caller's
 * thread: the observation is written into a direct buffer that the input tensor wraps, and the
 * action lands in a pinned output tensor, so a call copies no arrays (ORT still allocates a small
 * result holder per run). One intra-op and one inter-op thread: more threads only add wake-up
 * latency at this size. Not thread-safe; {@link PolicySlot} serialises use and closing.
 */
public final class OnnxPolicy implements AutoCloseable {

    private final OrtSession session;
    private final PolicyInfo info;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private Map<String, OnnxValue> pinned;
    private final java.util.Set<String> wanted;
    private final double[] logStd;
    private final int chunk;
    private final int history, historyStride;   // observations the model sees (stacked, newest first), periods apart
    private boolean chunked;
    private final int components;          // K of a mixture model (gmm_logits, gmm_mean); 0: none
    private MixtureChoice choice;          // null: the model's own action (its most likely component)
    private Rng choiceRng;
    private FloatBuffer gmmLogits, gmmMean;
    private OnnxTensor gmmLogitsTensor, gmmMeanTensor;
    private double[] weights;

    /** Loads {@code onnx}; {@code fallback} gives the layout of models without teach_learn metadata (null: required). */
    public OnnxPolicy(byte[] onnx, PolicyInfo fallback) throws OrtException {
        OrtNatives.prepare();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx, options);
        try {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            info = PolicyInfo.of(meta, fallback);
            history = positive(meta, "history");
            historyStride = positive(meta, "history_stride");
            int width = history * info.obsDim();
            check("obs", session.getInputInfo(), 2, width);
            chunk = chunkLength(session.getOutputInfo(), info.actDim());
            input = ByteBuffer.allocateDirect(4 * width).order(ByteOrder.nativeOrder()).asFloatBuffer();
            output = ByteBuffer.allocateDirect(4 * chunk * info.actDim()).order(ByteOrder.nativeOrder()).asFloatBuffer();
            inputTensor = OnnxTensor.createTensor(env, input, new long[] {1, width});
            outputTensor = OnnxTensor.createTensor(env, output, chunk == 1 && !chunked ? new long[] {1, info.actDim()}
                    : new long[] {1, chunk, info.actDim()});
            inputs = Map.of("obs", inputTensor);
            pinned = Map.of("action", outputTensor);
            wanted = java.util.Set.of();
            logStd = readLogStd(env);
            components = mixtureComponents(session.getOutputInfo(), info.actDim());
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** A whole number of at least 1 in the metadata under {@code key}; 1 when absent. */
    private static int positive(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) return 1;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("the model's metadata " + key + " must be a whole number of at least 1, got '" + v + "'");
    }

    private static TensorInfo check(String name, Map<String, NodeInfo> nodes, int rank, int size) {
        NodeInfo n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("the model has no '" + name + "' (it has " + nodes.keySet() + ")");
        if (!(n.getInfo() instanceof TensorInfo t) || t.getShape().length != rank || (t.getShape()[rank - 1] > 0 && t.getShape()[rank - 1] != size)) {
            throw new IllegalArgumentException("the model's '" + name + "' is " + n.getInfo() + ", expected float [batch, " + (rank == 3 ? "K, " : "")
                    + size + "]");
        }
        return t;
    }

    /** 1 for an action [batch, act_dim]; K for a chunk of the next K actions [batch, K, act_dim]. */
    private int chunkLength(Map<String, NodeInfo> outputs, int actDim) {
        NodeInfo n = outputs.get("action");
        if (n != null && n.getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
            check("action", outputs, 3, actDim);
            long k = t.getShape()[1];
            if (k < 1) throw new IllegalArgumentException("the model's action chunk length must be fixed, got " + t);
            chunked = true;
            return (int) k;
        }
        check("action", outputs, 2, actDim);
        return 1;
    }

    /** K when the model has {@code gmm_logits} [batch, K] and {@code gmm_mean} [batch, K, act_dim] (a mixture); else 0. */
    private static int mixtureComponents(Map<String, NodeInfo> outputs, int actDim) {
        NodeInfo l = outputs.get("gmm_logits"), m = outputs.get("gmm_mean");
        if (l == null || m == null || !(l.getInfo() instanceof TensorInfo lt) || !(m.getInfo() instanceof TensorInfo mt)) return 0;
        long[] ls = lt.getShape(), ms = mt.getShape();
        if (ls.length != 2 || ms.length != 3 || ls[1] < 1 || ms[1] != ls[1] || ms[2] != actDim) {
            throw new IllegalArgumentException("the model's mixture outputs are gmm_logits " + lt + " and gmm_mean " + mt
                    + ", expected float [batch, K] and [batch, K, " + actDim + "]");
        }
        return (int) ls[1];
    }

    /**
     * From now on {@link #act} gives the mean of the component {@code choice} picks from the
     * model's mixture weights (docs/nodes.md §4, {@code ~mixture}); {@code rng} draws for {@code
     * sample} and {@code episode}. False, and nothing changes, when the model is not a mixture. May be
     * called again to hand over another choice (a loader warms a model up with its own first).
     */
    public boolean chooseComponents(MixtureChoice choice, Rng rng) throws OrtException {
        if (components == 0 || chunk != 1) return false;
        if (gmmLogits == null) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            gmmLogits = ByteBuffer.allocateDirect(4 * components).order(ByteOrder.nativeOrder()).asFloatBuffer();
            gmmMean = ByteBuffer.allocateDirect(4 * components * info.actDim()).order(ByteOrder.nativeOrder()).asFloatBuffer();
            gmmLogitsTensor = OnnxTensor.createTensor(env, gmmLogits, new long[] {1, components});
            gmmMeanTensor = OnnxTensor.createTensor(env, gmmMean, new long[] {1, components, info.actDim()});
            pinned = Map.of("action", outputTensor, "gmm_logits", gmmLogitsTensor, "gmm_mean", gmmMeanTensor);
            weights = new double[components];
        }
        this.choice = choice;
        this.choiceRng = rng;
        return true;
    }

    /** K, the number of components of a mixture model; 0 for any other. */
    public int components() {
        return components;
    }

    /** The Gaussian's log σ per action, in command units, when the model has a {@code log_std} output; else null. */
    private double[] readLogStd(OrtEnvironment env) throws OrtException {
        if (!session.getOutputNames().contains("log_std")) return null;
        input.clear();
        for (int i = 0, n = history * info.obsDim(); i < n; i++) input.put(i, 0f);
        try (OrtSession.Result r = session.run(inputs, java.util.Set.of("log_std"))) {
            float[] v = flatten(r.get(0).getValue());
            if (v.length != info.actDim()) throw new IllegalArgumentException("log_std has " + v.length + " values for " + info.actDim() + " actions");
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            return d;
        }
    }

    private static float[] flatten(Object value) {
        if (value instanceof float[] f) return f;
        if (value instanceof float[][] f) return f[0];
        throw new IllegalArgumentException("log_std must be float32 [act_dim] or [batch, act_dim]");
    }

    /**
     * The action (mean command) for one observation — for a chunked model, the next {@link #chunk}
     * actions one after the other; for a model with a {@link #history}, {@code obs} is the stacked
     * row of the last observations ({@code ObservationHistory}). Throws what ORT throws; callers hold the arm then.
     */
    public void act(double[] obs, double[] action) throws OrtException {
        for (int i = 0, n = history * info.obsDim(); i < n; i++) input.put(i, (float) obs[i]);
        try (OrtSession.Result r = session.run(inputs, wanted, pinned)) {
            if (choice == null) {
                for (int j = 0, n = chunk * info.actDim(); j < n; j++) action[j] = output.get(j);
                return;
            }
        }
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = 0; k < components; k++) max = Math.max(max, gmmLogits.get(k));
        for (int k = 0; k < components; k++) sum += weights[k] = Math.exp(gmmLogits.get(k) - max);
        for (int k = 0; k < components; k++) weights[k] /= sum;
        int k = choice.choose(weights, components, choiceRng);
        for (int j = 0, a = info.actDim(); j < a; j++) action[j] = gmmMean.get(k * a + j);
    }

    /** How many actions one call gives: 1, or K for a model whose action is a chunk [batch, K, act_dim]. */
    public int chunk() {
        return chunk;
    }

    /** Observations the model sees at once (1: the present only; metadata {@code history}), and the control periods between them. */
    public int history() {
        return history;
    }

    public int historyStride() {
        return historyStride;
    }

    public PolicyInfo info() {
        return info;
    }

    /** log σ per action in command units, or null when the model has none. */
    public double[] logStd() {
        return logStd;
    }

    @Override
    public void close() {
        try {
            inputTensor.close();
            outputTensor.close();
            if (gmmLogitsTensor != null) gmmLogitsTensor.close();
            if (gmmMeanTensor != null) gmmMeanTensor.close();
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session failed", e);
        }
    }
}
