package org.teachlearn.learn.env;

import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Success rate and mean return over seeded episodes, for a policy (its mean action) or the
 * scripted expert. The same seeds give the same episodes, so two policies are compared on the same
 * goals and the same pushes.
 */
public final class Evaluation {

    public record Result(int episodes, int successes, double meanReturn) {
        public double successRate() {
            return episodes == 0 ? Double.NaN : (double) successes / episodes;
        }
    }

    /** Something that commands the arm from an observation. */
    public interface Controller {
        void act(double[] obs, double[] command);
    }

    private Evaluation() {
    }

    public static Controller deterministic(GaussianPolicy policy) {
        DMatrixRMaj obs = new DMatrixRMaj(1, policy.layout().observationSize());
        DMatrixRMaj u = new DMatrixRMaj(1, 1), cmd = new DMatrixRMaj(1, 1);
        Rng unused = new Rng(0);
        return (o, command) -> {
            System.arraycopy(o, 0, obs.data, 0, o.length);
            policy.act(obs, true, unused, u, cmd, null, null);
            System.arraycopy(cmd.data, 0, command, 0, command.length);
        };
    }

    /** The scripted expert of {@code env} as a controller (it reads the env's state, not the observation). */
    public static Controller expert(ArmEnv env) {
        return (o, command) -> env.expertCommand(command, 0);
    }

    public static Result run(ArmEnv env, Controller controller, int episodes, long seed) {
        double[] obs = new double[env.layout().observationSize()], cmd = new double[env.layout().actionSize()];
        int ok = 0;
        double total = 0;
        for (int e = 0; e < episodes; e++) {
            env.reset(seed + e);
            while (true) {
                env.observe(obs, 0);
                controller.act(obs, cmd);
                env.step(cmd, 0);
                total += env.reward();
                if (env.done()) break;
            }
            if (env.success()) ok++;
        }
        return new Result(episodes, ok, total / Math.max(1, episodes));
    }

    /** Runs {@code controller} over fresh environments from {@code envs}, one thread per environment, episodes split among them. */
    public static Result runParallel(Supplier<ArmEnv> envs, Supplier<Controller> controllers, int episodes, long seed, int threads) {
        Result[] parts = new Result[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                ArmEnv env = envs.get();
                Controller c = controllers.get();
                int from = episodes * id / threads, to = episodes * (id + 1) / threads;
                parts[id] = run(env, c, to - from, seed + from);
            });
            workers[t].start();
        }
        int n = 0, ok = 0;
        double total = 0;
        for (int t = 0; t < threads; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating", e);
            }
            n += parts[t].episodes();
            ok += parts[t].successes();
            total += parts[t].meanReturn() * parts[t].episodes();
        }
        return new Result(n, ok, total / Math.max(1, n));
    }
}
