package org.teachlearn.bench;

import java.nio.file.Path;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.algo.OffPolicyAlgorithm;
import org.teachlearn.learn.algo.Sac;
import org.teachlearn.learn.algo.Td3;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.policy.DeterministicActor;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.SquashedGaussianActor;
import org.teachlearn.learn.policy.TwinQ;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * Gradient steps per second on minibatches of 256, networks of 2×64 and 2×256, reach layout (18
 * observations, 8 actions): SAC (twin critics and their targets, the squashed actor, the
 * temperature), TD3 (critics every step, actor and targets every second) and behaviour cloning
 * into a mixture of 5 Gaussians (negative log-likelihood) and into a policy of the last 8
 * observations (144 inputs, MSE). bench/learn.sh runs the same steps in
 * PyTorch (bench/offpolicy_update.py) in the same run and prints the ratios.
 *
 * Usage: OffPolicyUpdateBench [steps per case]
 */
public final class OffPolicyUpdateBench {

    static final int BATCH = 256;
    static final int FRAMES = 8;   // the history policy's observations (reach_via's recipe)

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        PolicyLayout layout = PolicyLayout.of(UrdfParser.parse(Path.of("urdf/teach_arm.urdf")), ArmLayout.TEACH_ARM, "reach", 3);
        int od = layout.observationSize(), ad = layout.actionSize();
        for (int width : new int[] {64, 256}) {
            int[] hidden = {width, width};
            Rng rng = new Rng(width);
            double[] obs = gaussian(rng, BATCH * od), next = gaussian(rng, BATCH * od), u = new double[BATCH * ad];
            double[] rewards = gaussian(rng, BATCH), notDone = new double[BATCH];
            for (int i = 0; i < u.length; i++) u[i] = Math.tanh(rng.nextGaussian());
            java.util.Arrays.fill(notDone, 1);
            Sac sac = new Sac(new SquashedGaussianActor(layout, new RunningNorm(od), hidden, Activation.TANH, rng),
                    new TwinQ(od, ad, hidden, Activation.TANH, rng), Sac.Config.defaults());
            report("sac", width, time(sac, obs, u, rewards, next, notDone, steps, rng));
            Td3 td3 = new Td3(new DeterministicActor(layout, new RunningNorm(od), hidden, Activation.TANH, rng),
                    new TwinQ(od, ad, hidden, Activation.TANH, rng), Td3.Config.defaults());
            report("td3", width, time(td3, obs, u, rewards, next, notDone, steps, rng));
            report("gmm-bc", width, mixture(layout, hidden, steps, rng));
            report("hist-bc", width, history(layout, hidden, steps, rng));
        }
    }

    private static double time(OffPolicyAlgorithm learner, double[] obs, double[] u, double[] rewards, double[] next, double[] notDone, int steps,
            Rng rng) {
        for (int i = 0; i < steps / 2; i++) learner.update(obs, u, rewards, next, notDone, BATCH, rng);   // warm-up: JIT
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) learner.update(obs, u, rewards, next, notDone, BATCH, rng);
        return steps / ((System.nanoTime() - t0) / 1e9);
    }

    /** One epoch over a dataset of {@code steps} minibatches, so every step is one minibatch of 256 as in PyTorch. */
    private static double mixture(PolicyLayout layout, int[] hidden, int steps, Rng rng) {
        MixturePolicy policy = new MixturePolicy(layout, 5, hidden, Activation.TANH, rng);
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(BehaviourCloning.Loss.MIXTURE_NLL, 1e-3, 1, BATCH, 1.0));
        return epoch(bc, layout.observationSize(), layout, steps, rng);
    }

    /** Behaviour cloning of a policy of the last {@link #FRAMES} observations (MSE), as {@link #mixture} times it. */
    private static double history(PolicyLayout layout, int[] hidden, int steps, Rng rng) {
        ChunkPolicy policy = new ChunkPolicy(layout, 1, FRAMES, 10, hidden, Activation.TANH, -1, rng);
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(BehaviourCloning.Loss.MSE, 1e-3, 1, BATCH, 1.0));
        return epoch(bc, FRAMES * layout.observationSize(), layout, steps, rng);
    }

    /** Gradient steps per second of {@code bc} over one epoch of {@code steps} minibatches of random rows {@code width} wide, after one to warm up. */
    private static double epoch(BehaviourCloning bc, int width, PolicyLayout layout, int steps, Rng rng) {
        Dataset data = new Dataset(width, layout.actions());
        double[] o = new double[width], target = new double[layout.actionSize()];
        for (int i = 0; i < steps * BATCH; i++) {
            for (int j = 0; j < o.length; j++) o[j] = rng.nextGaussian();
            for (int j = 0; j < target.length; j++) target[j] = rng.nextGaussian();
            data.addTarget(o, 0, target, 0);
        }
        bc.train(data, 1, rng);   // warm-up: JIT
        long t0 = System.nanoTime();
        bc.train(data, 1, rng);
        return steps / ((System.nanoTime() - t0) / 1e9);
    }

    private static void report(String what, int width, double stepsPerSecond) {
        System.out.printf("ours   %-7s 2x%-4d steps/s %10.1f%n", what, width, stepsPerSecond);
    }

    private static double[] gaussian(Rng rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        return a;
    }
}
