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
    private final Map<String, OnnxValue> pinned;
    private final java.util.Set<String> wanted;
    private final double[] logStd;
    private final int chunk;
    private boolean chunked;

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
            info = PolicyInfo.of(session.getMetadata().getCustomMetadata(), fallback);
            check("obs", session.getInputInfo(), 2, info.obsDim());
            chunk = chunkLength(session.getOutputInfo(), info.actDim());
            input = ByteBuffer.allocateDirect(4 * info.obsDim()).order(ByteOrder.nativeOrder()).asFloatBuffer();
            output = ByteBuffer.allocateDirect(4 * chunk * info.actDim()).order(ByteOrder.nativeOrder()).asFloatBuffer();
            inputTensor = OnnxTensor.createTensor(env, input, new long[] {1, info.obsDim()});
            outputTensor = OnnxTensor.createTensor(env, output, chunk == 1 && !chunked ? new long[] {1, info.actDim()}
                    : new long[] {1, chunk, info.actDim()});
            inputs = Map.of("obs", inputTensor);
            pinned = Map.of("action", outputTensor);
            wanted = java.util.Set.of();
            logStd = readLogStd(env);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
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

    /** The Gaussian's log σ per action, in command units, when the model has a {@code log_std} output; else null. */
    private double[] readLogStd(OrtEnvironment env) throws OrtException {
        if (!session.getOutputNames().contains("log_std")) return null;
        input.clear();
        for (int i = 0; i < info.obsDim(); i++) input.put(i, 0f);
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
     * actions one after the other. Throws what ORT throws; callers hold the arm then.
     */
    public void act(double[] obs, double[] action) throws OrtException {
        for (int i = 0; i < info.obsDim(); i++) input.put(i, (float) obs[i]);
        try (OrtSession.Result r = session.run(inputs, wanted, pinned)) {
            for (int j = 0, n = chunk * info.actDim(); j < n; j++) action[j] = output.get(j);
        }
    }

    /** How many actions one call gives: 1, or K for a model whose action is a chunk [batch, K, act_dim]. */
    public int chunk() {
        return chunk;
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
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session failed", e);
        }
    }
}
