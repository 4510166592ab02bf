package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.Gail;
import org.teachlearn.learn.algo.Losses;
import org.teachlearn.learn.algo.OnPolicyAlgorithm;
import org.teachlearn.learn.algo.Ppo;
import org.teachlearn.learn.algo.Trpo;
import org.teachlearn.learn.algo.Reinforce;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.env.Collector;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.env.VecEnv;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * PPO (clipped or KL-penalty) and REINFORCE on N simulator instances in process: collect a
 * rollout, let the algorithm learn from it (each in its own file), log a CSV row, and every {@code --checkpoint-every}
 * iterations export the policy, write a checkpoint and restart the environments. A run killed at
 * any point resumes from its last checkpoint and writes the same rows it would have written.
 */
final class OnPolicyTraining {

    static final String[] COLUMNS = {"iteration", "env_steps", "mean_return", "success_rate", "eval_success_rate", "eval_return",
        "policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "learning_rate", "steps_per_second"};

    private OnPolicyTraining() {
    }

    static void run(Setup setup, Path out, boolean resume, PrintStream log) throws Exception {
        Options o = setup.options;
        String algorithm = o.get("algo");
        Rng rng = new Rng(o.longValue("seed"));
        GaussianPolicy policy = setup.policy(rng);
        OnPolicyAlgorithm learner = algorithm(algorithm, o, policy);
        Adam adam = learner.optimiser();
        boolean gail = algorithm.equals("gail");
        if (gail && !o.get("disc-expert-noise").equals("policy") && !o.get("disc-expert-noise").equals("none")) {
            throw new IllegalArgumentException("--disc-expert-noise must be policy or none, got '" + o.get("disc-expert-noise") + "'");
        }
        Gail discriminator = gail ? new Gail(policy.layout().observationSize(), policy.layout().actionSize(),
                discriminatorConfig(setup, o.integer("disc-epochs"), o.integer("disc-minibatch")), rng) : null;
        Path checkpoint = out.resolve("checkpoint.bin");
        long iteration = 0, envSteps = 0, nextSeed = o.longValue("seed") * 1_000_003L;
        if (resume) {
            Map<String, String> saved = Checkpoint.settings(checkpoint);
            Checkpoint.restore(checkpoint, policy, adam, rng, gail ? discriminator.parameters() : null, gail ? discriminator.optimiser() : null);
            iteration = Long.parseLong(saved.get("iteration"));
            envSteps = Long.parseLong(saved.get("env_steps"));
            nextSeed = Long.parseLong(saved.get("next_seed"));
            learner.restoreState(saved);
            log.printf(Locale.ROOT, "resuming %s at iteration %d (%d env steps)%n", checkpoint, iteration, envSteps);
        } else if (o.has("init")) {
            Map<String, String> from = Checkpoint.settings(Path.of(o.get("init")));
            for (String k : new String[] {"task", "hidden", "activation", "control-period"}) {
                if (!from.get(k).equals(o.get(k))) {
                    throw new IllegalArgumentException("--init " + o.get("init") + " was trained with --" + k + " " + from.get(k) + "; pass the same --"
                            + k + " (this run has " + o.get(k) + ")");
                }
            }
            Checkpoint.restore(Path.of(o.get("init")), policy, null, null);
            if (o.has("init-log-std")) {
                // a cloned policy keeps the log σ it was made with, which need not suit exploring (MSE cloning never trains it)
                java.util.Arrays.fill(policy.logStd().value().data, o.number("init-log-std"));
                log.printf(Locale.ROOT, "exploring with log σ %s per output (the init's replaced)%n", o.get("init-log-std"));
            }
            if ("ignore".equals(from.get("velocities"))) o.set("velocities", "ignore");   // and so does every checkpoint of this run
            log.println("starting from the weights and normaliser of " + o.get("init") + " (normaliser frozen; critic warm-up "
                    + o.get("critic-warmup") + " iterations)");
        }
        int envs = o.integer("envs"), steps = o.integer("rollout");
        long perIteration = (long) envs * steps;
        long iterations = Math.max(1, (o.longValue("steps") + perIteration - 1) / perIteration);
        // GAIL: episodes of the whole time limit (no end at success to learn from), demonstrations as pairs of raw observation and u
        VecEnv vec = new VecEnv(envs, i -> gail ? setup.env(true).fixedHorizon() : setup.env(true), nextSeed);
        Dataset demos = null;
        if (gail) {
            demos = new Dataset(policy.layout().observationSize(), policy.layout().actions());
            ImitationTraining.demonstrate(setup.env(true).fixedHorizon(), o.integer("demos"), o.longValue("seed") * 7_919L + 500_000, o.number("demo-noise"), 0,
                    demos);
            discriminator.fit(demos.observations(), demos.size());
            log.printf(Locale.ROOT, "gail: %d demonstrations of the scripted expert, %d pairs; the task's reward is not used%n", o.integer("demos"),
                    demos.size());
        }
        Collector collector = new Collector(vec, policy);
        Rollout rollout = new Rollout(steps, envs, policy.layout().observationSize(), policy.layout().actionSize());
        if (gail) rollout.keepRawObservations();
        double discriminatorLoss = Double.NaN, discriminatorAccuracy = Double.NaN, discriminatorPenalty = Double.NaN;
        double[] expertNoise = gail && o.get("disc-expert-noise").equals("policy") ? new double[policy.layout().actionSize()] : null;
        CsvLog csv = new CsvLog(out.resolve("progress.csv"), COLUMNS);
        csv.open(resume, iteration);
        int evalEvery = o.integer("eval-every"), evalEpisodes = o.integer("eval-episodes"), checkpointEvery = o.integer("checkpoint-every");
        ProgressBar bar = new ProgressBar(log, algorithm, iterations * perIteration);
        double lastEvalSuccess = Double.NaN;
        long lastPlot = RunOutputs.neverPlotted();
        while (iteration < iterations) {
            long t0 = System.nanoTime();
            collector.collect(rollout, !o.has("init"), rng);
            if (gail) {
                if (expertNoise != null) for (int j = 0; j < expertNoise.length; j++) expertNoise[j] = Math.exp(policy.logStd().value().data[j]);
                double[] d = discriminator.train(rollout, demos.observations(), demos.targets(), demos.size(), expertNoise, rng);
                discriminatorLoss = d[0];
                discriminatorAccuracy = (d[1] + d[2]) / 2;
                discriminatorPenalty = d[3];
                discriminator.relabel(rollout);
            }
            Losses losses = learner.learn(rollout, (double) iteration / iterations, o.has("init") && iteration < o.integer("critic-warmup"), rng);
            double seconds = (System.nanoTime() - t0) / 1e9;
            iteration++;
            envSteps += perIteration;
            double[] episodes = vec.takeEpisodeStats();
            double evalSuccess = Double.NaN, evalReturn = Double.NaN;
            if (iteration % evalEvery == 0 || iteration == iterations) {
                Evaluation.Result r = Evaluation.run(setup.env(true), Evaluation.deterministic(policy), evalEpisodes, Setup.EVAL_SEED);
                evalSuccess = r.successRate();
                evalReturn = r.meanReturn();
                lastEvalSuccess = evalSuccess;
            }
            csv.row(iteration, envSteps, episodes[0], episodes[1], evalSuccess, evalReturn, losses.policy, losses.value,
                    losses.entropy, losses.approxKl, losses.clipFraction, adam.learningRate(), perIteration / seconds);
            bar.update(envSteps, String.format(Locale.ROOT, "return %.2f success %.0f%% eval %.0f%%%s", episodes[0], 100 * episodes[1],
                    100 * lastEvalSuccess, gail ? String.format(Locale.ROOT, " discriminator loss %.3f accuracy %.0f%%%s", discriminatorLoss,
                            100 * discriminatorAccuracy, (discriminator.penalised() ? String.format(Locale.ROOT, " penalty %.3f", discriminatorPenalty) : "")
                            + bottleneckSummary(discriminator)) : ""));
            if (iteration % checkpointEvery == 0 || iteration == iterations) {
                PolicyExport.write(PolicyExport.toOnnx(policy, algorithm, iteration, setup.controlPeriod), out.resolve("policy.onnx"));
                Map<String, String> state = o.asMap();
                state.put("iteration", Long.toString(iteration));
                state.put("env_steps", Long.toString(envSteps));
                state.put("next_seed", Long.toString(vec.nextSeed()));
                vec.restart();
                learner.saveState(state);
                Checkpoint.save(checkpoint, state, policy, adam, rng, gail ? discriminator.parameters() : null, gail ? discriminator.optimiser() : null);
                lastPlot = RunOutputs.curves(setup, csv, algorithm, out, iteration == iterations, lastPlot);
            }
        }
        RunOutputs.summary(setup, algorithm, out, envSteps, lastEvalSuccess, evalEpisodes, log);
    }

    /** The discriminator of {@code gail} and of {@code --reward gail} from the run's options (a checkpoint from before --disc-gp: none). */
    static Gail.Config discriminatorConfig(Setup setup, int epochs, int minibatch) {
        Options o = setup.options;
        double gp = o.has("disc-gp") ? o.number("disc-gp") : 0, target = o.has("disc-gp-target") ? o.number("disc-gp-target") : 1;
        if (!(gp >= 0) || Double.isInfinite(gp)) throw new IllegalArgumentException("--disc-gp is a penalty weight ≥ 0, got " + o.get("disc-gp"));
        if (!(target >= 0) || Double.isInfinite(target)) throw new IllegalArgumentException("--disc-gp-target is a gradient norm ≥ 0, got " + o.get("disc-gp-target"));
        Gail.Config c = new Gail.Config(setup.hidden(o.get("disc-hidden"), "--disc-hidden"), o.number("disc-lr"), epochs, minibatch,
                gailReward(o.get("gail-reward")), gp, target);
        int code = o.has("disc-bottleneck") ? o.integer("disc-bottleneck") : 0;   // a checkpoint from before VAIL: none
        return code == 0 ? c : c.withBottleneck(code, o.number("disc-info"), o.number("disc-beta-step"));
    }

    /** " β 0.012 KL 0.61" for VAIL's discriminator, else "". */
    static String bottleneckSummary(Gail discriminator) {
        var b = discriminator.bottleneck();
        return b == null ? "" : String.format(Locale.ROOT, " β %.3g KL %.2f", b.beta(), b.lastKl());
    }

    static Gail.Reward gailReward(String name) {
        return switch (name) {
            case "gail" -> Gail.Reward.GAIL;
            case "logit" -> Gail.Reward.LOGIT;
            default -> throw new IllegalArgumentException("--gail-reward must be gail (-log(1 - D)) or logit (log D - log(1 - D)), got '" + name + "'");
        };
    }

    /** {@code --algo ppo|ppo-kl|trpo|reinforce|gail} with the run's options over the paper defaults. */
    private static OnPolicyAlgorithm algorithm(String name, Options o, GaussianPolicy policy) {
        if (name.startsWith("ppo") || name.equals("gail")) {   // gail: PPO on the discriminator's reward
            return new Ppo(policy, Ppo.Config.defaults()
                    .withObjective(name.equals("ppo-kl") ? Ppo.Objective.KL_PENALTY : Ppo.Objective.CLIP)
                    .withLearningRate(o.number("lr"))
                    .withEpochs(o.integer("epochs"), o.integer("minibatch"))
                    .withDiscount(o.number("gamma"), o.number("lambda"))
                    .withEntropyCoef(o.number("entropy"))
                    .withEarlyStopKl(o.number("target-kl")));
        }
        if (name.equals("trpo")) {
            return new Trpo(policy, Trpo.Config.defaults().withMaxKl(o.number("max-kl")).withDamping(o.number("cg-damping"))
                    .withDiscount(o.number("gamma"), o.number("lambda")).withCritic(o.number("lr"), o.integer("epochs"), o.integer("minibatch")));
        }
        return new Reinforce(policy, Reinforce.Config.defaults().withLearningRate(o.number("lr")).withGamma(o.number("gamma")));
    }
}
