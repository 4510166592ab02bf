package org.teachlearn.learn.env;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.PolicyLayout;

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

        /** A new episode starts (a controller that keeps something per episode forgets it). */
        default void reset() {
        }
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

    /**
     * {@code controller} as policy_server sends its commands: with {@link GripperCommand#BINARY} the
     * gripper gets the nearer end of its range in {@code layout}'s action map, after any ensembling.
     */
    public static Controller sending(Controller controller, PolicyLayout layout, GripperCommand gripper) {
        if (gripper == GripperCommand.CONTINUOUS || layout.gripperJoint() == null) return controller;
        int g = layout.actionSize() - 1;
        double closed = layout.actions().low()[g], open = layout.actions().high()[g];
        return new Controller() {
            @Override
            public void act(double[] obs, double[] command) {
                controller.act(obs, command);
                command[g] = gripper.apply(command[g], closed, open);
            }

            @Override
            public void reset() {
                controller.reset();
            }
        };
    }

    /** The scripted expert of {@code env} as a controller (it reads the env's state, not the observation). */
    public static Controller expert(ArmEnv env) {
        return (o, command) -> env.expertCommand(command, 0);
    }

    /** What one evaluated episode did; {@code lastReward} is reach's minus final distance, for example. */
    public record Episode(int index, long seed, boolean success, int steps, double totalReward, double lastReward, double bestReward) {
    }

    /** Receives each episode as it ends. */
    public interface EpisodeSink {
        void episode(Episode e);
    }

    public static Result run(ArmEnv env, Controller controller, int episodes, long seed) {
        return run(env, controller, episodes, seed, null);
    }

    /** As {@link #run(ArmEnv, Controller, int, long)}, telling {@code sink} (if not null) about every episode. */
    public static Result run(ArmEnv env, Controller controller, int episodes, long seed, EpisodeSink sink) {
        double[] obs = new double[env.layout().observationSize()], cmd = new double[env.layout().actionSize()];
        int ok = 0;
        double total = 0;
        for (int e = 0; e < episodes; e++) {
            env.reset(seed + e);
            controller.reset();
            int steps = 0;
            double episodeReward = 0, last = Double.NaN, best = Double.NEGATIVE_INFINITY;
            while (true) {
                env.observe(obs, 0);
                controller.act(obs, cmd);
                env.step(cmd, 0);
                steps++;
                last = env.reward();
                best = Math.max(best, last);
                episodeReward += last;
                if (env.done()) break;
            }
            total += episodeReward;
            if (env.success()) ok++;
            if (sink != null) sink.episode(new Episode(e, seed + e, env.success(), steps, episodeReward, last, best));
        }
        return new Result(episodes, ok, total / Math.max(1, episodes));
    }
}
