package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.algo.DAgger;
import org.teachlearn.learn.data.ArmSymmetries;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.demo.Demonstrations;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.env.VecEnv;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.ObservationHistory;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.robot.kinematics.ArmMirror;
import org.teachlearn.robot.kinematics.BaseAxis;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.sim.Task;

/**
 * Behaviour cloning from scripted demonstrations, and DAgger with the same budget of expert
 * labels: BC gets {@code --demos} whole expert episodes; DAgger starts from {@code --dagger-demos}
 * of them and spends the rest of the same number of labels on states its own policy visits. With
 * {@code --bags} both start from recorded demonstrations instead (a {@link DemoSource}).
 */
final class ImitationTraining {

    static final String[] COLUMNS = {"iteration", "labels", "loss", "eval_success_rate", "eval_return"};

    private ImitationTraining() {
    }

    static void run(Setup setup, Path out, DemoSource recordings, PrintStream log) throws Exception {
        Options o = setup.options;
        String algorithm = o.get("algo");
        symmetries(setup, setup.layout());   // an arm or task without the symmetries asked for: said before any demonstration is read
        if (ChunkCloning.models(o) != 1 && (o.integer("chunk") == 1 && o.integer("history") == 1 || !algorithm.equals("bc"))) {
            throw new IllegalArgumentException("--models averages networks of action chunks: it is for bc with --chunk (or --history)");
        }
        if (o.integer("chunk") != 1 || o.integer("history") != 1) {
            if (!algorithm.equals("bc")) throw new IllegalArgumentException("--chunk and --history are for bc (DAgger's rollouts act one action at a time from the present)");
            if (!o.get("head").equals("gaussian")) throw new IllegalArgumentException("--chunk and --history clone by MSE; they do not go with --head " + o.get("head"));
            ChunkCloning.run(setup, out, recordings, log);
            return;
        }
        if (o.get("head").equals("mixture")) {
            if (!algorithm.equals("bc")) throw new IllegalArgumentException("--head mixture is for bc (DAgger's rollouts act by a Gaussian policy)");
            MixtureCloning.run(setup, out, recordings, log);
            return;
        }
        if (!o.get("head").equals("gaussian")) throw new IllegalArgumentException("--head must be gaussian or mixture, got '" + o.get("head") + "'");
        Rng rng = new Rng(o.longValue("seed"));
        GaussianPolicy policy = setup.policy(rng);
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(
                o.get("loss").equals("nll") ? BehaviourCloning.Loss.GAUSSIAN_NLL : BehaviourCloning.Loss.MSE, o.number("lr"),
                o.integer("epochs"), o.integer("minibatch"), 1.0));
        CsvLog csv = new CsvLog(out.resolve("progress.csv"), COLUMNS);
        csv.open(false, 0);
        long demoSeed = o.longValue("seed") * 1_000_003L;
        boolean demoPushes = !o.flag("clean-demos");
        Dataset data = new Dataset(policy.layout().observationSize(), policy.layout().actions());
        int evalEpisodes = o.integer("eval-episodes");
        Evaluation.Result result;
        GripperCommand gripper = GripperCommand.CONTINUOUS;   // DAgger's rollouts send the policy's output as it is
        String recorded = "";   // where the demonstrations came from, when not the scripted expert
        if (algorithm.equals("bc")) {
            int demos = o.has("bags") ? fromRecordings(setup, policy, recordings, data, log)
                    : demonstrate(setup.env(demoPushes), o.integer("demos"), demoSeed, o.number("demo-noise"), settleSteps(setup), data);
            addSymmetries(setup, policy.layout(), data, 0, log);
            log.printf(Locale.ROOT, "bc: %d demonstrations, %d labelled states%n", demos, data.size());
            gripper = GripperChoice.resolve(o, policy.layout(), data, log);
            if (o.has("bags")) recorded = " (from " + demos + " recording" + (demos == 1 ? "" : "s") + " in " + o.get("bags") + ")";
            int epochs = o.integer("epochs");
            double loss = trainInSlices(bc, data, epochs, "loss", csv, log, rng, o);
            result = Evaluation.run(setup.env(true), Evaluation.sending(Evaluation.deterministic(policy), policy.layout(), gripper), evalEpisodes,
                    Setup.EVAL_SEED);
            csv.row(epochs, data.size(), loss, result.successRate(), result.meanReturn());
        } else {
            if (o.get("gripper-command").equals("binary")) throw new IllegalArgumentException("--gripper-command binary is for bc (DAgger's rollouts send the policy's output)");
            o.set("gripper-command", "continuous");
            int budget = o.integer("labels");
            int startDemos = o.has("bags") ? fromRecordings(setup, policy, recordings, data, log)
                    : demonstrate(setup.env(demoPushes), o.integer("dagger-demos"), demoSeed, o.number("demo-noise"), settleSteps(setup), data);
            if (o.has("bags")) recorded = " (first from " + startDemos + " recording" + (startDemos == 1 ? "" : "s") + " in " + o.get("bags") + ")";
            int iterations = o.integer("iterations");
            int perIteration = Math.max(0, (budget - data.size()) / Math.max(1, iterations));   // mirrored and turned samples are no expert's labels
            addSymmetries(setup, policy.layout(), data, 0, log);
            DAgger dagger = new DAgger(policy, bc, new DAgger.Config(iterations, perIteration, o.number("beta"), o.number("beta-decay")));
            double loss = bc.train(data, rng);
            result = Evaluation.run(setup.env(true), Evaluation.deterministic(policy), evalEpisodes, Setup.EVAL_SEED);
            csv.row(0, data.size(), loss, result.successRate(), result.meanReturn());
            log.printf(Locale.ROOT, "dagger: %d demonstrations (%d labels), then %d iterations of %d labels; start %.0f%%%n", startDemos,
                    data.size(), iterations, perIteration, 100 * result.successRate());
            VecEnv vec = new VecEnv(o.integer("envs"), i -> setup.env(true), demoSeed + 500_000);
            ProgressBar bar = new ProgressBar(log, "dagger", iterations);
            for (int i = 0; i < iterations; i++) {
                // Iteration 0 was the demonstrations (β = 1): the mixture starts at β_1.
                loss = dagger.iterate(i + 1, vec, data, rng);
                result = Evaluation.run(setup.env(true), Evaluation.deterministic(policy), evalEpisodes, Setup.EVAL_SEED);
                csv.row(i + 1, data.size(), loss, result.successRate(), result.meanReturn());
                bar.update(i + 1, String.format(Locale.ROOT, "labels %d loss %.4g eval %.0f%%", data.size(), loss, 100 * result.successRate()));
            }
        }
        PolicyExport.write(PolicyExport.toOnnx(policy, algorithm, 1, setup.controlPeriod, false, gripper), out.resolve("policy.onnx"));
        Map<String, String> state = o.asMap();
        state.put("iteration", "1");
        state.put("labels", Integer.toString(data.size()));
        Checkpoint.save(out.resolve("checkpoint.bin"), state, policy, bc.optimiser(), rng);
        LabelFile.write(out.resolve("labels.bin"), data);   // the trainer's DAgger from this checkpoint (~init) aggregates them too
        // BC's "iteration" column counts epochs; DAgger's curve is against the labels it has spent.
        boolean bcRun = algorithm.equals("bc");
        LearningCurve.plot(csv.file(), bcRun ? "iteration" : "labels", bcRun ? "training epochs" : "expert labels (labelled states)",
                new String[] {"eval_success_rate", "loss"}, algorithm + " on " + setup.task + (setup.pushes.any() ? " with pushes" : ""),
                out.resolve("curve.png"));
        String summary = String.format(Locale.ROOT, "%s on %s%s: %d expert labels%s, evaluation %.1f%% success over %d episodes (mean return %.2f)%n",
                algorithm, setup.task, setup.pushes.any() ? " with pushes" : "", data.size(), recorded, 100 * result.successRate(), result.episodes(),
                result.meanReturn());
        Files.writeString(out.resolve("summary.txt"), summary);
        log.print("done: " + summary);
    }

    /**
     * {@code epochs} of cloning in tenths, each logged to {@code csv} and the progress bar; returns
     * the last loss. With {@code --lr-decay linear} the learning rate falls from {@code --lr} to 0
     * epoch by epoch, so the policy the run ends with is not one minibatch's step away from another.
     */
    static double trainInSlices(BehaviourCloning bc, Dataset data, int epochs, String lossName, CsvLog csv, PrintStream log, Rng rng, Options o)
            throws java.io.IOException {
        ProgressBar bar = new ProgressBar(log, "bc", epochs);
        return trainInSlices(bc, data, epochs, rng, o, (done, loss) -> {
            bar.update(done, String.format(Locale.ROOT, "%s %.4g", lossName, loss));
            csv.row(done, data.size(), loss, Double.NaN, Double.NaN);
        });
    }

    /** What a run does after each slice of epochs: {@code done} epochs so far, the last one's mean loss. */
    interface Slices {
        void done(int done, double loss) throws java.io.IOException;
    }

    /** As above, telling {@code after} after each slice instead of logging. */
    static double trainInSlices(BehaviourCloning bc, Dataset data, int epochs, Rng rng, Options o, Slices after) throws java.io.IOException {
        int slice = Math.max(1, epochs / 10);
        String decay = o.has("lr-decay") ? o.get("lr-decay") : "none";
        if (!decay.equals("none") && !decay.equals("linear")) throw new IllegalArgumentException("--lr-decay is none or linear, got '" + decay + "'");
        double lr = o.number("lr");
        double loss = 0;
        for (int done = 0; done < epochs; ) {
            int n = Math.min(slice, epochs - done);
            if (decay.equals("linear")) {
                for (int e = 0; e < n; e++) {
                    bc.optimiser().setLearningRate(lr * (1 - (double) (done + e) / epochs));
                    loss = bc.train(data, 1, rng);
                }
            } else {
                loss = bc.train(data, n, rng);
            }
            done += n;
            after.done(done, loss);
        }
        return loss;
    }

    /** The recordings under {@code --bags}, sampled at the run's control period; returns how many were used. */
    static int fromRecordings(Setup setup, GaussianPolicy policy, DemoSource recordings, Dataset data, PrintStream log) throws Exception {
        return fromRecordings(setup, policy.layout(), policy.norm(), recordings, data, log);
    }

    /** As above for any policy with this layout and normaliser (a mixture policy's too). */
    static int fromRecordings(Setup setup, PolicyLayout layout, RunningNorm norm, DemoSource recordings, Dataset data, PrintStream log) throws Exception {
        return fromRecordings(setup, layout, norm, recordings, data, setup.options.longValue("seed"), log);
    }

    /** As above, the perturbed copies drawn from {@code seed} (a network of {@code --models} draws its own). */
    static int fromRecordings(Setup setup, PolicyLayout layout, RunningNorm norm, DemoSource recordings, Dataset data, long seed, PrintStream log)
            throws Exception {
        return fromRecordings(setup, layout, norm, recordings, data, seed, 0, log);
    }

    /** As above for network {@code network} of {@code --models}: its own seed, and its own lookaheads where the options list one per network. */
    static int fromRecordings(Setup setup, PolicyLayout layout, RunningNorm norm, DemoSource recordings, Dataset data, long seed, int network,
            PrintStream log) throws Exception {
        Options o = setup.options;
        DemoSampler.Perturbation perturbation = new DemoSampler.Perturbation(o.integer("state-copies"), o.number("state-noise"), seed * 7_919L + 11);
        Demonstrations.Request request = new Demonstrations.Request(Path.of(o.get("bags")), spec(setup, layout), setup.task, setup.controlPeriod,
                o.number("motion-lookahead"), DemoSampler.Labels.named(o.get("bag-labels")), o.flag("include-failed"), perturbation,
                hindsight(setup), o.has("trim-pauses") ? o.number("trim-pauses") : 0,
                perNetwork(o, "path-lookahead", network), perNetwork(o, "gripper-lookahead", network));
        List<Demonstrations.Row> rows = Demonstrations.addTo(data, recordings, request, log);
        boolean fromMotion = rows.stream().anyMatch(Demonstrations.Row::usedFromMotion);
        if (o.get("velocities").equals("auto") && fromMotion) {
            Setup.ignoreVelocities(layout, norm);
            o.set("velocities", "ignore");   // kept in the checkpoint: evaluation, --init and the ONNX model ignore them too
            log.println("velocities: ignored (labels from the demonstrated motion; --velocities observe keeps them)");
        }
        return (int) rows.stream().filter(Demonstrations.Row::used).count();
    }

    /**
     * Option {@code key}'s value for network {@code network} of {@code --models}: a single number
     * serves every network; a comma-separated list gives network m its m-th value, the list
     * repeated when it is shorter than the networks (labels that differ a little make the
     * networks err differently, which their mean averages out: docs/nodes.md §14). Absent: 0.
     */
    static double perNetwork(Options o, String key, int network) {
        if (!o.has(key)) return 0;
        double[] values = perNetworkValues(o, key);
        return values[network % values.length];
    }

    /** Every value of option {@code key}, checked to be numbers and no more of them than {@code --models} has networks. */
    static double[] perNetworkValues(Options o, String key) {
        if (!o.has(key)) return new double[0];
        String[] parts = o.get(key).split(",", -1);
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " takes a number, or with --models one per network separated by commas; got '" + o.get(key) + "'");
            }
        }
        int models = ChunkCloning.models(o);
        if (values.length > models) {
            throw new IllegalArgumentException("--" + key + " lists " + values.length + " values, one per network, but --models is " + models
                    + (models == 1 ? " (a list is for --chunk or --history with --models N)" : ""));
        }
        return values;
    }

    /**
     * {@code --mirror}, {@code --turns}: the samples from row {@code first} on again, mirrored and
     * turned about the arm's base axis ({@link ArmSymmetries}). Called once the demonstrations a
     * run starts from are in, whatever their source (bags or the scripted expert).
     */
    static void addSymmetries(Setup setup, PolicyLayout layout, Dataset data, int first, PrintStream log) {
        addSymmetries(setup, layout, data, first, setup.options.longValue("seed"), log);
    }

    /** As above, the turns drawn from {@code seed} (a network of {@code --models} draws its own). */
    static void addSymmetries(Setup setup, PolicyLayout layout, Dataset data, int first, long seed, PrintStream log) {
        ArmSymmetries symmetries = symmetries(setup, layout);
        if (symmetries == null) return;
        Options o = setup.options;
        int copies = o.integer("turns");
        double range = o.number("turn-range");
        ArmSymmetries.Result r = symmetries.addTo(data, first, copies, range, seed * 6_007L + 5);
        log.println(r.describe(copies, range));
    }

    /**
     * The symmetries {@code --mirror} and {@code --turns} ask for, null for none; an arm or task
     * without them is an error that says why (checked before any demonstration is read).
     */
    static ArmSymmetries symmetries(Setup setup, PolicyLayout layout) {
        Options o = setup.options;
        int copies = o.integer("turns");
        if (copies < 0 || copies > 100) throw new IllegalArgumentException("--turns must be 0..100, got " + copies);
        String mirrorOption = o.get("mirror");   // a ROS parameter ~mirror: on reads as YAML's true
        boolean mirrored = mirrorOption.equals("on") || mirrorOption.equals("true");
        if (!mirrored && !mirrorOption.equals("off") && !mirrorOption.equals("false")) {
            throw new IllegalArgumentException("--mirror is on or off, got '" + mirrorOption + "'");
        }
        if (copies == 0 && !mirrored) return null;
        String asked = mirrored && copies > 0 ? "--mirror, --turns" : mirrored ? "--mirror" : "--turns";
        KinematicChain chain = setup.arm.chain(setup.model);
        String[] why = new String[1];
        BaseAxis axis = BaseAxis.of(chain, why);
        if (axis == null) throw new IllegalArgumentException(asked + ": this arm does not turn about a vertical base axis: " + why[0]);
        ArmMirror mirror = null;
        if (mirrored) {
            mirror = ArmMirror.of(chain, axis, why);
            if (mirror == null) throw new IllegalArgumentException("--mirror: this arm's kinematics are not mirror-symmetric: " + why[0]);
        }
        Task task = Task.named(setup.task);
        if (task.turningPoints() == null) throw new IllegalArgumentException(asked + ": task " + setup.task + "'s scene does not turn or mirror with the arm");
        return new ArmSymmetries(layout, axis, mirror, task.turningPoints(), task.yawAt());
    }

    /** How {@code --bags} are read for {@code layout}: the topics and the command's joint order ({@code --arm-joints}) the options give. */
    static DemoSpec spec(Setup setup, PolicyLayout layout) {
        Options o = setup.options;
        String[] commandOrder = o.has("arm-joints")
                ? java.util.Arrays.stream(o.get("arm-joints").split(",")).map(String::trim).filter(x -> !x.isEmpty()).toArray(String[]::new)
                : layout.armJoints();
        DemoSpec.Topics topics = new DemoSpec.Topics(o.get("joint-states-topic"), o.get("task-state-topic"), o.get("arm-command-topic"),
                o.get("gripper-command-topic"), o.get("expert-action-topic"), o.get("demo-info-topic"));
        return new DemoSpec(layout, commandOrder, setup.arm.gripper(), topics);
    }

    /** Reach's goal is where the hand is: every later hand position of a demonstration is a goal it shows how to reach. */
    private static DemoSampler.Hindsight hindsight(Setup setup) {
        int goals = setup.options.integer("hindsight-goals");
        if (goals == 0) return DemoSampler.Hindsight.NONE;
        if (!setup.task.equals("reach")) {
            throw new IllegalArgumentException("--hindsight-goals is for reach, whose goal is the hand's position; use --hindsight-goals 0 for "
                    + setup.task);
        }
        return new DemoSampler.Hindsight(goals, setup.handPosition());
    }

    static int settleSteps(Setup setup) {
        return (int) Math.round(setup.options.number("demo-settle") / setup.controlPeriod);
    }

    /**
     * {@code episodes} expert episodes from consecutive seeds, every state labelled with the
     * expert's command. With {@code noise} > 0 the arm executes the command plus Gaussian noise of
     * that many radians while the label stays the expert's (DART, Laskey et al. 2017): the
     * demonstrations then show how to recover from small errors, which is what a cloned policy
     * makes; without it they only show the expert's own narrow path. An episode that succeeds goes
     * on for {@code settleSteps} more steps, as a person demonstrating holds the arm on the target:
     * otherwise no labelled state lies inside the success tolerance, and a cloned policy hovers at
     * its edge. A dataset of K-action chunks gets the expert's next K commands as each state's label.
     */
    static int demonstrate(ArmEnv env, int episodes, long seed, double noise, int settleSteps, Dataset data) {
        return demonstrate(env, episodes, seed, noise, settleSteps, data, 1);
    }

    /**
     * As above into a dataset of stacked rows when {@code data} is wider than one observation: the
     * last {@code data.obsDim() / obs_dim} observations, {@code stride} periods apart ({@link ObservationHistory}).
     */
    static int demonstrate(ArmEnv env, int episodes, long seed, double noise, int settleSteps, Dataset data, int stride) {
        int arm = env.layout().armJoints().length, od = env.layout().observationSize(), ad = env.layout().actionSize();
        int chunk = data.actDim() / ad, frames = data.obsDim() / od;
        double[] row = new double[frames * od];
        double[] obs = new double[0], cmd = new double[0];   // one episode's states and the expert's commands, row after row
        double[] executed = new double[ad];
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        for (int e = 0; e < episodes; e++) {
            env.reset(seed + e);
            int settle = 0, steps = 0;
            while (!env.done() || (env.success() && settle++ < settleSteps)) {
                if ((steps + chunk) * ad > cmd.length) {
                    obs = java.util.Arrays.copyOf(obs, Math.max(256, 2 * (steps + chunk)) * od);
                    cmd = java.util.Arrays.copyOf(cmd, Math.max(256, 2 * (steps + chunk)) * ad);
                }
                env.observe(obs, steps * od);
                env.expertCommand(cmd, steps * ad);
                System.arraycopy(cmd, steps * ad, executed, 0, ad);
                for (int j = 0; j < arm; j++) executed[j] += noise * rng.nextGaussian();
                env.step(executed, 0);
                steps++;
            }
            // A chunk's label is the expert's next K commands; past the episode's end it holds the last one.
            for (int k = 0; k < chunk - 1; k++) System.arraycopy(cmd, (steps - 1) * ad, cmd, (steps + k) * ad, ad);
            for (int t = 0; t < steps; t++) {
                if (frames == 1) {
                    data.addChunk(obs, t * od, cmd, t * ad);
                } else {
                    ObservationHistory.stack(obs, t, od, frames, stride, row, 0);
                    data.addChunk(row, 0, cmd, t * ad);
                }
            }
        }
        return episodes;
    }
}
