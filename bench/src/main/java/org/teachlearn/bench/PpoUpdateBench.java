package org.teachlearn.bench;

import java.nio.file.Path;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.Ppo;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * One PPO update (10 epochs of minibatches of 64 over 2,048 samples, clipped objective, value
 * loss, advantage normalisation, gradient clipping, Adam) on the reach layout (18 observations, 8
 * actions), actor and critic of 2×64 and 2×256: samples per second. bench/learn.sh runs the same
 * update in PyTorch in the same run and prints the ratio.
 *
 * Usage: PpoUpdateBench [updates per size]
 */
public final class PpoUpdateBench {

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        PolicyLayout layout = PolicyLayout.of(UrdfParser.parse(Path.of("urdf/teach_arm.urdf")), ArmLayout.TEACH_ARM, "reach", 3);
        for (int width : new int[] {64, 256}) {
            Rng rng = new Rng(width);
            GaussianPolicy policy = new GaussianPolicy(layout, GaussianPolicy.Shape.of(width, 2), rng);
            Ppo ppo = new Ppo(policy, Ppo.Config.defaults().withAnnealLearningRate(false));
            Rollout r = new Rollout(256, 8, layout.observationSize(), layout.actionSize());
            fill(r, rng);
            ppo.update(r, 0, rng);   // warm-up: JIT
            ppo.update(r, 0, rng);
            long t0 = System.nanoTime();
            for (int u = 0; u < updates; u++) ppo.update(r, 0, rng);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ours   2x%-4d samples/s %10.0f%n", width, updates * 10.0 * r.size() / seconds);
            if (ppo.config().epochs() != 10) throw new IllegalStateException("benchmark assumes 10 epochs");
        }
    }

    private static void fill(Rollout r, Rng rng) {
        for (int i = 0; i < r.obs.length; i++) r.obs[i] = rng.nextGaussian();
        for (int i = 0; i < r.actions.length; i++) r.actions[i] = rng.nextGaussian();
        for (int i = 0; i < r.size(); i++) {
            r.logProbs[i] = -10 + rng.nextGaussian();
            r.advantages[i] = rng.nextGaussian();
            r.returns[i] = rng.nextGaussian();
        }
    }
}
