package org.teachlearn.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.HandFeature;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.SafeAction;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.sim.JointGroupController;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * The policy tick in process: one observation in, one action out of a 2×256 MLP exported by us,
 * through DJL's Predictor (ONNX Runtime engine, one thread) and through the raw ONNX Runtime
 * session the policy server uses, and the policy server's whole tick ({@link SafeAction}: the model,
 * sampling, limits, step limit, log-probability) on that session — same model, same JVM. Prints
 * p50, p99, p99.9 and the bytes allocated per tick of each.
 *
 * Usage: PolicyTickBench [ticks]
 */
public final class PolicyTickBench {

    public static void main(String[] args) throws Exception {
        int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        PolicyLayout layout = PolicyLayout.of(UrdfParser.parse(Path.of("urdf/teach_arm.urdf")), ArmLayout.TEACH_ARM, "reach", 3);
        GaussianPolicy policy = new GaussianPolicy(layout, GaussianPolicy.Shape.of(256, 2), new Rng(1));
        byte[] model = PolicyExport.toOnnx(policy, "bench", 1, 0.001);
        // DJL insists on creating ONNX Runtime's one environment itself, so it goes first
        org.teachlearn.learn.serve.OrtNatives.prepare();
        djl(model, layout.observationSize(), ticks);
        try (OnnxPolicy p = new OnnxPolicy(model, null)) {
            double[] obs = new double[layout.observationSize()], action = new double[layout.actionSize()];
            time("raw ORT", ticks, obs, () -> p.act(obs, action));
            SafeAction safe = safeAction(p);
            double[] measured = new double[p.info().jointNames().length + 1];
            time("policy_server tick (SafeAction)", ticks, obs, () -> {
                safe.compute(p, obs, measured, null);
                safe.sent(safe.command());
            });
        }
        // the same network observing where the hand is (train --hand-feature on): the kinematics run in the graph
        PolicyLayout withHand = layout.withHand(new HandFeature(UrdfParser.parse(Path.of("urdf/teach_arm.urdf")), ArmLayout.TEACH_ARM));
        byte[] handModel = PolicyExport.toOnnx(new GaussianPolicy(withHand, GaussianPolicy.Shape.of(256, 2), new Rng(1)), "bench", 1, 0.001);
        try (OnnxPolicy p = new OnnxPolicy(handModel, null)) {
            double[] obs = new double[withHand.contractSize()], action = new double[withHand.actionSize()];
            time("raw ORT, hand feature", ticks, obs, () -> p.act(obs, action));
        }
    }

    private interface Tick {
        void run() throws Exception;
    }

    /** Times {@code tick} over {@code ticks} calls after 20,000 to warm up, changing one observation value before each. */
    private static void time(String what, int ticks, double[] obs, Tick tick) throws Exception {
        for (int i = 0; i < 20_000; i++) tick.run();
        Rng rng = new Rng(2);
        long[] nanos = new long[ticks];
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long bytes0 = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ticks; i++) {
            obs[i % obs.length] = rng.nextGaussian();
            long t = System.nanoTime();
            tick.run();
            nanos[i] = System.nanoTime() - t;
        }
        report(what, nanos, mx.getCurrentThreadAllocatedBytes() - bytes0);
    }

    /** The policy server's pipeline for the same session: stochastic, step-limited at 1 kHz. */
    private static SafeAction safeAction(OnnxPolicy p) throws Exception {
        var robot = UrdfParser.parse(Path.of("urdf/teach_arm.urdf"));
        java.util.List<org.teachlearn.robot.urdf.Joint> arm = new java.util.ArrayList<>();
        for (String n : p.info().jointNames()) arm.add(robot.joint(n));
        double[] maxStep = new double[arm.size()];
        for (int k = 0; k < maxStep.length; k++) maxStep[k] = arm.get(k).velocity() * 0.001;
        return new SafeAction(new CommandLimits(arm, ControlMode.POSITION), robot.joint(p.info().gripperJoint()), maxStep, true,
                new Rng(3), false, 0.01);
    }

    private static void report(String what, long[] nanos, long bytes) {
        Arrays.sort(nanos);
        int n = nanos.length;
        System.out.printf("policy tick 2x256 %s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, %.0f B/tick over %d ticks%n",
                what, nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3, nanos[(int) (n * 0.999)] / 1e3, (double) bytes / n, n);
    }

    /** The same tick through DJL: an NDArray in, the predictor's NDList out, the action copied to doubles. */
    private static void djl(byte[] model, int obsDim, int ticks) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tick", ".onnx");
        try {
            java.nio.file.Files.write(file, model);
            var criteria = ai.djl.repository.zoo.Criteria.builder().setTypes(ai.djl.ndarray.NDList.class, ai.djl.ndarray.NDList.class)
                    .optModelPath(file).optEngine("OnnxRuntime").optOption("interOpNumThreads", "1").optOption("intraOpNumThreads", "1").build();
            try (var zoo = criteria.loadModel(); var predictor = zoo.newPredictor();
                    ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager("OnnxRuntime")) {
                float[] obs = new float[obsDim];
                double[] action = new double[8];
                Rng rng = new Rng(2);
                long[] nanos = new long[ticks];
                var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long bytes0 = 0;
                for (int i = -20_000; i < ticks; i++) {
                    if (i == 0) bytes0 = mx.getCurrentThreadAllocatedBytes();
                    obs[Math.floorMod(i, obsDim)] = (float) rng.nextGaussian();
                    long t = System.nanoTime();
                    try (ai.djl.ndarray.NDManager tick = manager.newSubManager()) {
                        ai.djl.ndarray.NDArray in = tick.create(obs, new ai.djl.ndarray.types.Shape(1, obsDim));
                        in.setName("obs");
                        float[] out = predictor.predict(new ai.djl.ndarray.NDList(in)).get("action").toFloatArray();
                        for (int j = 0; j < action.length && j < out.length; j++) action[j] = out[j];
                    }
                    if (i >= 0) nanos[i] = System.nanoTime() - t;
                }
                report("DJL Predictor", nanos, mx.getCurrentThreadAllocatedBytes() - bytes0);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
