package org.teachlearn.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.robot.sim.ArmLayout;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * The policy tick in process: one observation in, one action out of a 2×256 MLP exported by us,
 * through the raw ONNX Runtime session the policy server uses. Prints p50, p99, p99.9 and the
 * bytes allocated per tick.
 *
 * Usage: PolicyTickBench [ticks]
 */
public final class PolicyTickBench {

    public static void main(String[] args) throws Exception {
        int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        PolicyLayout layout = PolicyLayout.of(UrdfParser.parse(Path.of("urdf/teach_arm.urdf")), ArmLayout.TEACH_ARM, "reach", 3);
        GaussianPolicy policy = new GaussianPolicy(layout, GaussianPolicy.Shape.of(256, 2), new Rng(1));
        try (OnnxPolicy p = new OnnxPolicy(PolicyExport.toOnnx(policy, "bench", 1, 0.001), null)) {
            double[] obs = new double[layout.observationSize()], action = new double[layout.actionSize()];
            Rng rng = new Rng(2);
            for (int i = 0; i < 20_000; i++) p.act(obs, action);
            long[] nanos = new long[ticks];
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long bytes0 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ticks; i++) {
                obs[i % obs.length] = rng.nextGaussian();
                long t = System.nanoTime();
                p.act(obs, action);
                nanos[i] = System.nanoTime() - t;
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
            Arrays.sort(nanos);
            System.out.printf("policy tick 2x256 raw ORT: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, %.0f B/tick over %d ticks%n",
                    nanos[ticks / 2] / 1e3, nanos[(int) (ticks * 0.99)] / 1e3, nanos[(int) (ticks * 0.999)] / 1e3, (double) bytes / ticks, ticks);
        }
    }
}
