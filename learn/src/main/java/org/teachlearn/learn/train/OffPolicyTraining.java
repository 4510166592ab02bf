package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.DemoCloning;
import org.teachlearn.learn.algo.OffPolicyAlgorithm;
import org.teachlearn.learn.data.Hindsight;
import org.teachlearn.learn.data.ReplayBuffer;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.env.VecEnv;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.sim.ReachTask;

/**
 * DDPG, TD3 or SAC on N simulator instances in process: the first {@code --learning-starts} steps
 * act uniformly at random, then the learner explores; every environment step goes into the replay
 * buffer and is followed by {@code --updates-per-step} gradient steps per environment. A CSV row
 * every {@code --log-every} environment steps; every {@code --checkpoint-every} rows the policy is
 * exported, the checkpoint written (replay buffer included) and the environments restarted, so a
 * run killed at any point resumes from its last checkpoint and writes the same rows. With
 * {@code --demo-replay N} the scripted expert's N episodes fill a buffer of their own and
 * {@code --demo-ratio} of every minibatch comes from it ({@link DemoReplay}); with {@code --bags}
 * the recorded demonstrations' transitions do, and with {@code --demo-bc} the actor also imitates
 * those rows ({@link DemoCloning}). With
 * {@code --hindsight-share} (reach) that share of the online samples takes a hand position reached
 * later in its own episode as its goal ({@link Hindsight}). With {@code --lr-decay linear} every
 * optimiser's learning rate falls linearly from {@code --lr} to 0 over the run, so the last
 * policies stop swinging (a function of the steps done, so a resumed run follows it too). With
 * {@code --reward gail} a discriminator's reward replaces the task's ({@link AdversarialReward}).
 */
final class OffPolicyTraining {

    static final String[] COLUMNS = {"iteration", "env_steps", "mean_return", "success_rate", "eval_success_rate", "eval_return",
        "policy_loss", "value_loss", "entropy", "alpha", "learning_rate", "steps_per_second"};   // alpha: SAC's temperature, NaN for the others

    private OffPolicyTraining() {
    }

    static void run(Setup setup, Path out, boolean resume, DemoSource recordings, PrintStream log) throws Exception {
        Options o = setup.options;
        String algorithm = o.get("algo");
        Rng rng = new Rng(o.longValue("seed"));
        OffPolicyAlgorithm learner = setup.offPolicy(rng);
        int envs = o.integer("envs"), logEvery = o.integer("log-every"), batch = o.integer("batch");
        long totalSteps = o.longValue("steps");
        int capacity = (int) Math.min(o.longValue("buffer"), Integer.MAX_VALUE);
        String decay = o.has("lr-decay") ? o.get("lr-decay") : "none";   // a checkpoint written before --lr-decay existed: none
        if (!decay.equals("none") && !decay.equals("linear")) throw new IllegalArgumentException("--lr-decay is none or linear, got '" + decay + "'");
        ReplayBuffer buffer = new ReplayBuffer(capacity, learner.layout().observationSize(), learner.layout().actionSize());
        Hindsight hindsight = hindsight(setup, learner.layout());
        if (hindsight != null) buffer.linkingEpisodes(envs);
        Path checkpoint = out.resolve("checkpoint.bin");
        int demoEpisodes = o.integer("demo-replay");
        double demoRatio = o.number("demo-ratio");
        if (demoEpisodes < 0) throw new IllegalArgumentException("--demo-replay takes a number of episodes (0: none), got " + demoEpisodes);
        if (!(demoRatio >= 0 && demoRatio < 1)) throw new IllegalArgumentException("--demo-ratio must be in [0, 1), got " + demoRatio);
        boolean fromBags = o.has("bags");
        if (fromBags && demoEpisodes != 0) {
            throw new IllegalArgumentException("--bags fills the demonstration buffer with recordings, --demo-replay " + demoEpisodes
                    + " with the scripted expert's episodes: give one of the two");
        }
        // made before a resume restores the normaliser, which then holds what the demonstrations added to it
        DemoReplay demos = fromBags ? DemoReplay.fromRecordings(setup, learner.layout(), learner.norm(), recordings, log)
                : demoEpisodes == 0 ? null
                : DemoReplay.record(setup.env(false), demoEpisodes, o.longValue("seed") * 1_000_003L + 700_000, o.number("demo-noise"), learner.norm());
        int fromDemos = demos == null ? 0 : (int) Math.round(batch * demoRatio);
        DemoCloning cloning = cloning(o, fromDemos, false);
        learner.cloneDemonstrations(cloning);
        AdversarialReward adversary = AdversarialReward.of(setup, learner.layout(), rng, log);
        List<OffPolicyAlgorithm.ParameterGroup> groups = new java.util.ArrayList<>(learner.parameterGroups());
        if (adversary != null) groups.add(adversary.parameters());
        if (demos != null) {
            log.printf(Locale.ROOT, "demonstration replay: %d episodes (%d %s), %d transitions; %d of every %d samples drawn from them%s%n",
                    demos.episodes(), demos.successes(), fromBags ? "ending in a terminal state" : "succeeded", demos.transitions(), fromDemos, batch,
                    cloning == null ? "" : String.format(Locale.ROOT, ", imitated by the actor with weight %s%s", o.get("demo-bc"),
                            cloning.qFilter() ? " where the critic prefers them (Q-filter)" : ""));
        }
        long iteration = 0, envSteps = 0, nextSeed = o.longValue("seed") * 1_000_003L;
        if (resume) {
            Map<String, String> saved = Checkpoint.settings(checkpoint);
            String had = saved.get("demo_transitions");
            if (fromBags && had != null && Integer.parseInt(had) != demos.transitions()) {
                log.printf(Locale.ROOT, "warning: --bags %s now give %d transitions, %s when the run began: the recordings changed%n", o.get("bags"),
                        demos.transitions(), had);
            }
            OffPolicyCheckpoint.restore(checkpoint, groups, learner.norm(), rng, buffer);
            learner.restoreState(saved);
            iteration = Long.parseLong(saved.get("iteration"));
            envSteps = Long.parseLong(saved.get("env_steps"));
            nextSeed = Long.parseLong(saved.get("next_seed"));
            log.printf(Locale.ROOT, "resuming %s at iteration %d (%d env steps, %d transitions in the replay buffer)%n", checkpoint, iteration,
                    envSteps, buffer.size());
        }
        long perIteration = (long) Math.max(1, logEvery / envs) * envs;
        long iterations = Math.max(1, (totalSteps + perIteration - 1) / perIteration);
        long learningStarts = o.longValue("learning-starts");
        int updatesPerStep = o.integer("updates-per-step");
        VecEnv vec = new VecEnv(envs, i -> adversary != null ? setup.env(true).fixedHorizon() : setup.env(true), nextSeed);
        int od = learner.layout().observationSize(), ad = learner.layout().actionSize();
        double[] obs = new double[envs * od], next = new double[envs * od], u = new double[envs * ad];
        DMatrixRMaj obsN = new DMatrixRMaj(envs, od), commands = new DMatrixRMaj(envs, ad);
        double[] bObs = new double[batch * od], bU = new double[batch * ad], bR = new double[batch], bNext = new double[batch * od],
                bNotDone = new double[batch];
        CsvLog csv = new CsvLog(out.resolve("progress.csv"), COLUMNS);
        csv.open(resume, iteration);
        int evalEvery = o.integer("eval-every"), evalEpisodes = o.integer("eval-episodes"), checkpointEvery = o.integer("checkpoint-every");
        ProgressBar bar = new ProgressBar(log, algorithm, iterations * perIteration);
        double lastEvalSuccess = Double.NaN;
        long lastPlot = RunOutputs.neverPlotted();
        Evaluation.Controller deterministic = deterministic(learner);
        LossMeans losses = new LossMeans();
        while (iteration < iterations) {
            long t0 = System.nanoTime();
            double lr = decay.equals("linear") ? o.number("lr") * (1 - (double) envSteps / (iterations * perIteration)) : o.number("lr");
            for (OffPolicyAlgorithm.ParameterGroup g : learner.parameterGroups()) {
                if (g.optimiser() != null) g.optimiser().setLearningRate(lr);
            }
            losses.clear();
            vec.observe(obs);
            for (long s = 0; s < perIteration; s += envs) {
                learner.norm().update(obs, envs);
                if (envSteps + s < learningStarts) {
                    for (int k = 0; k < envs * ad; k++) u[k] = 2 * rng.nextDouble() - 1;
                } else {
                    learner.norm().normalise(obs, obsN.data, envs);
                    learner.explore(obsN, rng, u);
                }
                for (int i = 0; i < envs; i++) learner.layout().actions().command(obs, od, u, i, commands.data, i * ad);
                vec.step(commands.data);
                vec.observe(next);
                boolean[] ended = vec.episodeEnd();
                for (int i = 0; i < envs; i++) {
                    double[] reached = ended[i] ? vec.finalObservations() : next;
                    buffer.add(obs, u, vec.rewards()[i], reached, vec.terminal()[i], i, ended[i]);
                }
                System.arraycopy(next, 0, obs, 0, obs.length);
                if (envSteps + s + envs > learningStarts) {
                    for (int k = 0; k < envs * updatesPerStep; k++) {
                        if (fromDemos > 0) demos.sample(fromDemos, rng, bObs, bU, bR, bNext, bNotDone);
                        buffer.sample(batch - fromDemos, rng, bObs, bU, bR, bNext, bNotDone, fromDemos, hindsight);
                        if (adversary != null) adversary.score(bObs, bU, bR, fromDemos, batch, rng);
                        losses.add(learner.update(bObs, bU, bR, bNext, bNotDone, batch, rng));
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            iteration++;
            envSteps += perIteration;
            double[] episodes = vec.takeEpisodeStats();
            double evalSuccess = Double.NaN, evalReturn = Double.NaN;
            if (iteration % evalEvery == 0 || iteration == iterations) {
                Evaluation.Result r = Evaluation.run(setup.env(true), deterministic, evalEpisodes, Setup.EVAL_SEED);
                evalSuccess = r.successRate();
                evalReturn = r.meanReturn();
                lastEvalSuccess = evalSuccess;
            }
            csv.row(iteration, envSteps, episodes[0], episodes[1], evalSuccess, evalReturn, losses.policy(), losses.value(), losses.entropy(),
                    learner.temperature(),
                    lr, perIteration / seconds);
            bar.update(envSteps, String.format(Locale.ROOT, "return %.2f success %.0f%% eval %.0f%%%s", episodes[0], 100 * episodes[1],
                    100 * lastEvalSuccess, (adversary != null ? adversary.summary() : "") + (cloning != null ? cloning.takeSummary() : "")));
            if (iteration % checkpointEvery == 0 || iteration == iterations) {
                PolicyExport.write(PolicyExport.toOnnxSquashed(learner.layout(), learner.norm(), learner.actorNet(), learner.commandLogStd(), algorithm,
                        iteration, setup.controlPeriod), out.resolve("policy.onnx"));
                Map<String, String> state = o.asMap();
                state.put("iteration", Long.toString(iteration));
                state.put("env_steps", Long.toString(envSteps));
                state.put("next_seed", Long.toString(vec.nextSeed()));
                if (demos != null) state.put("demo_transitions", Integer.toString(demos.transitions()));
                vec.restart();
                buffer.endEpisodes();
                learner.saveState(state);
                OffPolicyCheckpoint.save(checkpoint, state, groups, learner.norm(), rng, buffer);
                lastPlot = RunOutputs.curves(setup, csv, algorithm, out, iteration == iterations, lastPlot);
            }
        }
        RunOutputs.summary(setup, algorithm, out, envSteps, lastEvalSuccess, evalEpisodes, log);
    }

    /**
     * The behaviour-cloning term of {@code --demo-bc} (with {@code --demo-bc-filter}) on the
     * {@code fromDemos} demonstration rows of each minibatch, or null for weight 0 (or an older
     * checkpoint without it); errors name the options as the trainer's parameters when {@code trainer}.
     */
    static DemoCloning cloning(Options o, int fromDemos, boolean trainer) {
        double weight = o.has("demo-bc") ? o.number("demo-bc") : 0;
        if (weight == 0) return null;
        String filter = o.get("demo-bc-filter");
        if (!filter.equals("q") && !filter.equals("none")) {
            throw new IllegalArgumentException((trainer ? "~demo_bc_filter" : "--demo-bc-filter") + " is q or none, got '" + filter + "'");
        }
        if (fromDemos == 0) {
            throw new IllegalArgumentException(trainer ? "~demo_bc imitates the demonstration rows of each minibatch: give ~demo_dir and ~demo_ratio > 0"
                    : "--demo-bc imitates the demonstration rows of each minibatch: give --demo-replay N or --bags, and --demo-ratio > 0");
        }
        return new DemoCloning(weight, filter.equals("q"), fromDemos);
    }

    /** HER for {@code --hindsight-share} above 0 (reach only: its goal is the hand's position), else null. */
    static Hindsight hindsight(Setup setup, PolicyLayout layout) {
        double share = setup.options.has("hindsight-share") ? setup.options.number("hindsight-share") : 0;   // an older checkpoint: none
        if (share == 0) return null;
        if (!setup.task.equals("reach")) {
            throw new IllegalArgumentException("--hindsight-share is for reach, whose goal is the hand's position; use --hindsight-share 0 for " + setup.task);
        }
        Hindsight h = new Hindsight(share, layout.armJoints().length, layout.contractSize() - layout.goalSize(), layout.goalSize(), setup.handPosition(),
                ReachTask::reward, ReachTask::reached);
        return layout.hand() != null ? h.withFeature(layout.hand()::compute, layout.contractSize()) : h;
    }

    /** The learner's deterministic output, mapped to a command. */
    static Evaluation.Controller deterministic(OffPolicyAlgorithm learner) {
        int od = learner.layout().observationSize(), ad = learner.layout().actionSize();
        DMatrixRMaj obsN = new DMatrixRMaj(1, od);
        double[] u = new double[ad];
        return (o, command) -> {
            learner.norm().normalise(o, obsN.data, 1);
            learner.act(obsN, u);
            learner.layout().actions().command(o, od, u, 0, command, 0);
        };
    }
}
