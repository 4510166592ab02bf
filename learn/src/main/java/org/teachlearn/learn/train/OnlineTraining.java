package org.teachlearn.learn.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.algo.Losses;
import org.teachlearn.learn.algo.Ppo;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.online.Batch;
import org.teachlearn.learn.online.BatchCheck;
import org.teachlearn.learn.online.Episodes;
import org.teachlearn.learn.online.ExperienceRollout;
import org.teachlearn.learn.online.Intake;
import org.teachlearn.learn.online.InterventionRuns;
import org.teachlearn.learn.online.WorkerEvaluation;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Learning from experience that workers send while they act: the trainer node's learning, without
 * ROS. The same pieces as {@code ./teach_learn train} (the options, {@link Setup}, {@link Ppo},
 * {@link BehaviourCloning}, {@link Checkpoint}, the run directory), fed by batches instead of an
 * in-process collector:
 * <ul>
 * <li>{@code bc}: clones the demonstrations in {@code --demo-dir} once and serves the result;
 * <li>{@code dagger}: from the demonstrations (or an initial policy), aggregates every state an
 * expert labelled in the experience and retrains each {@code --labels-per-update} new labels;
 * <li>{@code hg_dagger}: the same with only the states a person commanded (intervention rows),
 * as human-gated DAgger (Kelly et al. 2019) does, labelled by the motion the person drove
 * ({@link InterventionRuns}) unless {@code --intervention-labels commands};
 * <li>{@code ppo}: rollouts of {@code --rollout-rows} sampled transitions, each used only within
 * {@code --max-policy-lag} versions of the newest model;
 * <li>{@code sac}, {@code td3}, {@code ddpg}: every transition of any worker and any model version
 * into a replay buffer, gradient steps as they come, a model every {@code --log-every} transitions
 * ({@link OnlineOffPolicy}).
 * </ul>
 * Every update becomes a new model version, handed to the {@link Outlet} (the node publishes it),
 * written to {@code models/} and checkpointed with the run, so a trainer killed at any point
 * resumes from its last update with versions counting on upward. One thread learns; workers'
 * threads only {@link #offer} batches.
 */
public final class OnlineTraining implements AutoCloseable {

    public static final List<String> ALGORITHMS = List.of("bc", "dagger", "hg_dagger", "ppo", "sac", "td3", "ddpg");

    static final String[] COLUMNS = {"iteration", "env_steps", "policy_version", "mean_return", "success_rate", "episodes",
        "interventions_per_episode", "labels", "policy_loss", "value_loss", "entropy", "approx_kl", "learning_rate", "steps_per_second",
        "workers", "stale_batches", "refused_batches", "eval_success_rate"};

    /** Where the trainer's results go: the node publishes them. Called on the learning thread. */
    public interface Outlet {
        /** A new model; {@code dataNanos} is when the newest experience it learned from arrived (wall clock, ns since the epoch). */
        void model(long version, String algorithm, byte[] onnx, String sha256, long dataNanos);

        void stats(Stats stats);

        /** Learning stopped on an error (a full disk, say): the node should stop, so that it is restarted and resumes. */
        void failed(Exception e);

        /** The workers should take their policy's mean action from their next episode on (true), or go back to their own way. */
        default void deterministic(boolean on) {
        }
    }

    /** One update's report (teach_learn/TrainingStats). */
    public record Stats(String algorithm, long iteration, long envSteps, double meanReturn, double successRate, double policyLoss,
            double valueLoss, double entropy, double approxKl, double stepsPerSecond, long policyVersion) {
    }

    /** The options of the trainer over {@code train}'s defaults for {@code algorithm}. */
    public static Map<String, String> defaults(String algorithm) {
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("unknown algorithm '" + algorithm + "' (the trainer learns " + String.join(", ", ALGORITHMS) + ")");
        }
        Map<String, String> d = TrainCommand.defaults(trainDefaults(algorithm));
        d.put("algo", algorithm);
        d.put("out", "runs/trainer-" + algorithm);
        d.put("demo-dir", "");
        d.put("hidden", "");                   // the network of ~init, else train's default for the algorithm
        d.put("max-policy-lag", "0");          // ppo, dagger: how many versions a batch may lag; 0 = strictly on-policy (docs/nodes.md §18)
        d.put("worker-timeout", "5");          // s: a worker silent this long is reported as gone
        d.put("rollout-rows", "2048");         // ppo: sampled transitions per update (8 x 256 in process)
        d.put("labels-per-update", "1000");    // dagger, hg_dagger: new labels per retraining
        d.put("max-labels", "500000");         // dagger, hg_dagger: the aggregated dataset's bound
        d.put("label-budget", "0");            // dagger, hg_dagger: stop at this many labels (a last update, the summary); 0 = never
        d.put("pushes", "false");              // evaluations on reach with pushes (the workers' sim_arm ~pushes is separate)
        d.put("update-epochs", "30");          // dagger, hg_dagger: BC epochs per retraining over the whole dataset
        d.put("intervention-labels", "motion"); // hg_dagger: label a person's rows by the motion they drove (motion) or their commands
        d.put("max-pending-rows", "16384");    // transitions one worker may have waiting
        d.put("max-velocity-scale", "1.0");    // the workers' policy_server ~max_velocity_scale: in-process evaluations command the arm as they do
        d.put("eval-every", "0");              // updates between in-process evaluations on the built-in simulator; 0 = none
        d.put("eval-episodes", "100");         // as train: the same 100 seeded episodes; trainer/evaluate: episodes on the workers
        d.put("eval-timeout", "300");          // s: trainer/evaluate answers with what it counted by then
        d.put("resume", "true");               // a run directory with a checkpoint is resumed
        d.put("hindsight-goals", "");
        return d;
    }

    private final Options o;
    private final Setup setup;
    private final String algorithm;
    private final Path out;
    private final PrintStream log;
    private final Outlet outlet;
    private final Rng rng;
    private final GaussianPolicy policy;
    private final BehaviourCloning bc;
    private final Ppo ppo;
    private final OnlineOffPolicy offPolicy;   // sac, td3, ddpg; null for the others
    private final Adam adam;                   // ppo's or bc's; null for the off-policy learners (each network has its own)
    private final Intake intake;
    private final BatchCheck check;
    private final Episodes episodes = new Episodes();
    private final CsvLog csv;
    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
    /** Refusal lines logged at most per second, all workers together. */
    static final int LOG_LINES_PER_SECOND = 20;

    // worker and kind of refusal -> {nanos of its last line, refusals held back since}; the least recently used go first
    private final Map<String, long[]> lastRefusalLog = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > 4 * Intake.MAX_WORKERS;
        }
    };
    private long linesSecondStart, linesThisSecond;
    private final Set<String> unsampledWorkers = new HashSet<>();   // learner thread: workers told that ppo skips their rows
    private final java.util.concurrent.atomic.AtomicLong afterEnd = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong whilePaused = new java.util.concurrent.atomic.AtomicLong();
    private final int maxLag;
    private final long updates;   // ppo: ceil(--steps / --rollout-rows)
    private final long workerTimeoutNanos;
    private final Thread thread;
    private volatile long version;
    private volatile boolean paused, closed, finished;
    private volatile WorkerEvaluation evaluation;   // while the workers evaluate: their batches go to it, nothing is learned
    private final java.util.concurrent.atomic.AtomicBoolean evaluating = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long iteration, envSteps, staleBatches, malformedBatches, usedRows;
    private long stepsAtLastUpdate, nanosAtLastUpdate = System.nanoTime();
    private double lastEval = Double.NaN;
    private double lastRate;   // env steps per second over the last update, for its row and its stats
    private long newestData;   // when the newest batch taken arrived
    private ExperienceRollout rows;
    private Rollout rollout;
    private Dataset labels;
    private int newLabels;
    private int rowsSincePublish;   // off-policy: transitions since the last model
    private final double[] obsRow, labelRow;
    private final InterventionRuns runs;   // hg_dagger with motion labels

    /**
     * Builds the run from {@code options} ({@link #defaults} plus the caller's), resuming the run
     * directory's checkpoint when there is one and {@code --resume} is true; otherwise clones
     * {@code --demo-dir} (read by {@code demos}) or starts from {@code --init} or from scratch. The
     * first model is handed to {@code outlet} before this returns; call {@link #start} to learn.
     */
    public OnlineTraining(Options options, DemoSource demos, Outlet outlet, PrintStream log) throws Exception {
        this.o = options;
        this.algorithm = o.get("algo");
        this.out = Path.of(o.get("out"));
        this.log = log;
        this.outlet = outlet;
        if (o.get("hindsight-goals").isEmpty()) o.set("hindsight-goals", o.get("task").equals("reach") ? "2" : "0");
        // as train: the off-policy learners' rate falls linearly to 0 over --steps unless told otherwise
        if (o.get("lr-decay").isEmpty()) o.set("lr-decay", TrainCommand.OFF_POLICY.contains(algorithm) ? "linear" : "none");
        if (o.get("hidden").isEmpty()) {   // ~hidden unset: the network of ~init, else the algorithm's default
            if (o.has("init")) TrainCommand.networkOf(o, Path.of(o.get("init")));
            else o.set("hidden", TrainCommand.defaults(trainDefaults(algorithm)).get("hidden"));
        } else if (o.has("init")) {
            TrainCommand.inputsOf(o, Path.of(o.get("init")));   // its inputs whatever the network: with or without the hand feature
        }
        boolean offPolicyAlgorithm = TrainCommand.OFF_POLICY.contains(algorithm);
        if (o.integer("chunk") != 1) throw new IllegalArgumentException("~chunk: the trainer's policies act one action at a time");
        if (o.integer("history") != 1) throw new IllegalArgumentException("~history: the trainer's policies act on the present observation only");
        String mirror = o.get("mirror");   // a ROS parameter ~mirror: on reads as YAML's true
        if (offPolicyAlgorithm && (o.integer("turns") != 0 || !(mirror.equals("off") || mirror.equals("false")))) {
            // as train: the replay keeps each recorded transition as it was; a turned one would need its next state turned too
            throw new IllegalArgumentException("~turns and ~mirror add to the demonstrations bc, dagger, hg_dagger and ppo clone; " + algorithm
                    + " replays ~demo_dir's transitions as recorded and does not take them");
        }
        if (o.has("hindsight-share") && o.number("hindsight-share") != 0) {
            throw new IllegalArgumentException("~hindsight_share: the trainer has no hindsight goals yet (train " + algorithm + " in process has)");
        }
        // as train: SAC on reach observes the hand feature unless told otherwise (or its ~init did not)
        if (o.get("hand-feature").isEmpty()) o.set("hand-feature", o.get("task").equals("reach") && algorithm.equals("sac") ? "on" : "off");
        if (!offPolicyAlgorithm && o.get("hand-feature").equals("on")) {
            // workers send the contract's observation (docs/messages.md §1); only the off-policy learners add the feature to it yet
            throw new IllegalArgumentException((o.has("init") ? "~init " + o.get("init") + " was trained with --hand-feature on; " : "~hand_feature on: ")
                    + algorithm + " in the trainer learns from the workers' observations, which do not carry the feature (sac, td3 and ddpg "
                    + "add it): " + (o.has("init") ? "initialise from a run without --hand-feature" : "use ~hand_feature off"));
        }
        Path checkpoint = out.resolve("checkpoint.bin");
        boolean resume = o.flag("resume") && Files.exists(checkpoint);
        Map<String, String> saved = null;
        if (resume) {
            saved = Checkpoint.settings(checkpoint);
            if (!algorithm.equals(saved.get("algo"))) {
                throw new IllegalArgumentException(out + " holds a " + saved.get("algo") + " run; ~algorithm is " + algorithm
                        + " (give another ~out, or ~resume:=false to start afresh there)");
            }
            for (String k : new String[] {"task", "hidden", "activation", "control-period", "hand-feature"}) {
                String was = saved.getOrDefault(k, "");
                if (k.equals("hand-feature") && was.isEmpty()) was = "off";   // a run from before the trainer knew the feature
                if (!was.equals(o.get(k))) {
                    throw new IllegalArgumentException(out + " was trained with " + k + " " + was + ", this trainer has " + o.get(k)
                            + " (give another ~out, or ~resume:=false to start afresh there)");
                }
            }
            if ("ignore".equals(saved.get("velocities"))) o.set("velocities", "ignore");
            // the replay buffer's size is the run's (it may have been given by ~steps, which a relaunch may change)
            if (saved.containsKey("buffer")) o.set("buffer", saved.get("buffer"));
        }
        if (offPolicyAlgorithm && o.get("buffer").isEmpty()) o.set("buffer", o.get("steps"));   // the default: nothing forgotten
        this.setup = new Setup(o);
        this.rng = new Rng(o.longValue("seed"));
        this.policy = setup.policy(rng);
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize();
        obsRow = new double[od];
        labelRow = new double[ad];
        String byWhat = o.get("intervention-labels");
        if (!byWhat.equals("motion") && !byWhat.equals("commands")) {
            throw new IllegalArgumentException("~intervention_labels must be motion or commands, got '" + byWhat + "'");
        }
        runs = algorithm.equals("hg_dagger") && byWhat.equals("motion") ? new InterventionRuns(od, ad, policy.layout().armJoints().length,
                Math.max(1, (int) Math.round(o.number("motion-lookahead") / setup.controlPeriod)), 4096) : null;
        this.check = new BatchCheck(setup.task, policy.layout().contractSize(), ad);   // the workers send the contract's observation
        // what waits may take a quarter of the heap: with the launcher's 128 MB, about 120 000 reach transitions
        long rowBytes = 4L * (2 * od + 3 * ad + 3) + 2;
        int perWorker = o.integer("max-pending-rows");
        this.intake = new Intake(perWorker, Math.min(16L * perWorker, Runtime.getRuntime().maxMemory() / 4 / rowBytes));
        this.maxLag = o.integer("max-policy-lag");
        int perUpdate = Math.max(1, o.integer("rollout-rows"));
        this.updates = (o.longValue("steps") + perUpdate - 1) / perUpdate;
        if (maxLag < 0) throw new IllegalArgumentException("~max_policy_lag must be 0 or more, got " + maxLag);
        this.workerTimeoutNanos = (long) (o.number("worker-timeout") * 1e9);
        bc = new BehaviourCloning(policy, new BehaviourCloning.Config(
                o.get("loss").equals("nll") ? BehaviourCloning.Loss.GAUSSIAN_NLL : BehaviourCloning.Loss.MSE, o.number("lr"),
                o.integer("epochs"), o.integer("minibatch"), 1.0));
        offPolicy = TrainCommand.OFF_POLICY.contains(algorithm) ? new OnlineOffPolicy(setup, rng, demos, log) : null;
        if (offPolicy != null) {
            ppo = null;
            adam = null;
        } else if (algorithm.equals("ppo")) {
            ppo = new Ppo(policy, Ppo.Config.defaults().withLearningRate(o.number("lr")).withEpochs(o.integer("epochs"), o.integer("minibatch"))
                    .withDiscount(o.number("gamma"), o.number("lambda")).withEntropyCoef(o.number("entropy")).withEarlyStopKl(o.number("target-kl")));
            adam = ppo.optimiser();
            int n = o.integer("rollout-rows");
            rows = new ExperienceRollout(n, od, ad);
            rollout = new Rollout(n, 1, od, ad);
        } else {
            ppo = null;
            adam = bc.optimiser();
            labels = new Dataset(od, policy.layout().actions());
        }
        Files.createDirectories(out.resolve("models"));
        csv = new CsvLog(out.resolve("progress.csv"), COLUMNS);
        if (resume) {
            if (offPolicy != null) offPolicy.restore(checkpoint, saved, rng, log);
            else Checkpoint.restore(checkpoint, policy, adam, rng);
            iteration = Long.parseLong(saved.get("iteration"));
            envSteps = Long.parseLong(saved.get("env_steps"));
            if (ppo != null) ppo.restoreState(saved);
            if (labels != null) LabelFile.read(out.resolve("labels.bin"), labels);
            String frozen = saved.getOrDefault("init-frozen", "");
            if (!frozen.isEmpty()) policy.norm().setFrozen(Boolean.parseBoolean(frozen));
            o.set("init-frozen", frozen);
            csv.open(true, iteration);
            rowsSincePublish = (int) (envSteps % Math.max(1, o.integer("log-every")));   // a trainer/save checkpoint lies between two models
            long checkpointed = Long.parseLong(saved.get("policy_version")), published = newestPublished();
            log.printf(Locale.ROOT, "trainer: resuming %s at update %d (%d env steps, model version %d)%n", checkpoint, iteration, envSteps,
                    checkpointed);
            Path model = modelFile(checkpointed);
            if (published <= checkpointed && Files.exists(model)) {
                version = checkpointed;
                byte[] onnx = Files.readAllBytes(model);
                outlet.model(version, algorithm, onnx, PolicyExport.sha256(onnx), wallNanos());
            } else {
                // a model was published after the last checkpoint (killed between the two): the checkpoint's
                // weights go out as a version above it, so no version number ever means two models
                version = Math.max(checkpointed, published);
                publish(Double.NaN, null, false);
            }
            // killed while it wrote its summary (an evaluation of 100 episodes): the run had ended, the summary is still due
            if (done() && !Files.exists(out.resolve("summary.txt"))) summary();
        } else {
            csv.open(false, 0);
            o.set("init-frozen", "");
            start(demos);
        }
        thread = new Thread(this::loop, "trainer");
        thread.setDaemon(true);
    }

    /** The first model of a fresh run: cloned demonstrations, an initial checkpoint's policy, or a fresh one. */
    private void start(DemoSource demos) throws Exception {
        boolean fromDemos = o.has("demo-dir");
        if (algorithm.equals("bc") && !fromDemos) throw new IllegalArgumentException("bc needs ~demo_dir, a directory of demonstration bags");
        String origin;
        if (offPolicy != null) {
            origin = "a fresh policy" + (fromDemos ? ", " + offPolicy.demoTransitions() + " demonstrated transitions in replay" : "");
            if (o.has("init")) {
                Path init = Path.of(o.get("init"));
                String from = Checkpoint.settings(init).get("algo");
                if (!algorithm.equals(from)) {
                    throw new IllegalArgumentException("~init " + init + " is a " + from + " run; " + algorithm + " starts from a " + algorithm
                            + " run's checkpoint (its networks: each off-policy learner has its own) or from scratch");
                }
                offPolicy.initFrom(init);
                origin = "the policy of " + init;
            }
        } else if (fromDemos) {
            if (demos == null) throw new IllegalArgumentException("~demo_dir: no bag reader was given");
            o.set("bags", o.get("demo-dir"));
            Dataset demo = labels != null ? labels : new Dataset(policy.layout().observationSize(), policy.layout().actions());
            int first = demo.size();
            int n = ImitationTraining.fromRecordings(setup, policy, demos, demo, log);
            if (demo.size() == 0) throw new IllegalArgumentException("~demo_dir " + o.get("demo-dir") + ": no usable demonstration (see above)");
            ImitationTraining.addSymmetries(setup, policy.layout(), demo, first, log);
            double loss = bc.train(demo, rng);
            origin = String.format(Locale.ROOT, "cloned %d demonstrations (%d labels, loss %.4g)", n, demo.size(), loss);
            if (ppo != null) freezeForFineTuning();
        } else if (o.has("init")) {
            Checkpoint.restore(Path.of(o.get("init")), policy, null, null);
            if ("ignore".equals(Checkpoint.settings(Path.of(o.get("init"))).get("velocities"))) o.set("velocities", "ignore");
            origin = "the policy of " + o.get("init");
            if (labels != null) {   // the labels that trained it (train bc/dagger write them beside the checkpoint) are DAgger's first data
                LabelFile.read(Path.of(o.get("init")).resolveSibling("labels.bin"), labels);
                origin += " and its " + labels.size() + " labels";
            }
            if (ppo != null) freezeForFineTuning();
        } else {
            origin = "a fresh policy";
        }
        log.println("trainer: " + algorithm + " on " + setup.task + " starts from " + origin);
        publish(Double.NaN, null);
    }

    /** Fine-tuning a cloned policy keeps the normaliser it was cloned with and first teaches the critic alone. */
    private void freezeForFineTuning() {
        policy.norm().setFrozen(true);
        o.set("init-frozen", "true");
    }

    public void start() {
        thread.start();
    }

    /**
     * A batch from a worker (any thread). Returns null when it was queued, or why it was dropped:
     * the caller logs it with the worker's name. Checked here, so a bad batch never reaches the
     * learner; the batch is copied only once it is queued, so {@code b} may be a view of arrays the
     * caller reuses, and a refused, replayed or flooding batch is never copied.
     */
    public String offer(Batch b) {
        b.receivedNanos = wallNanos();
        boolean evaluated = evaluation != null;   // the final model too is evaluated on the workers
        if (experienceDone() && !evaluated) {   // training has ended: the workers go on serving the last model, their experience is not needed
            afterEnd.incrementAndGet();
            return null;
        }
        if (paused && !evaluated) {   // a person paused learning: what comes meanwhile is not learned from later either (it would be stale)
            whilePaused.incrementAndGet();
            return null;
        }
        String problem = check.problem(b, version);
        if (problem != null) {
            synchronized (this) {
                malformedBatches++;
            }
            intake.refused(b);
            return problem;
        }
        List<String> joined = new ArrayList<>(1);
        Map<String, Double> back = new HashMap<>(1);
        String dropped = intake.offer(b, System.nanoTime(), joined, back);
        for (String w : joined) log.println("trainer: worker " + BatchCheck.printable(w, 80) + " joined (its next batch is used)");
        back.forEach((w, s) -> log.printf(Locale.ROOT, "trainer: worker %s is back after %.1f s of silence (its batches on a recent model are used again)%n",
                BatchCheck.printable(w, 80), s));
        return dropped;
    }

    /**
     * Whether a refusal of {@code reason} from {@code worker} should be logged now: at most one
     * line per worker and kind of refusal per second (a NaN reward does not hide a wrong obs_dim),
     * and at most {@link #LOG_LINES_PER_SECOND} lines a second in all, so that a flood, or batches
     * under ever new worker names, cannot flood /rosout. The number held back since the last line
     * of that worker and kind comes back in {@code heldBack[0]}.
     */
    public synchronized boolean shouldLog(String worker, String reason, long[] heldBack) {
        long now = System.nanoTime();
        String key = worker + '\0' + kind(reason);
        long[] last = lastRefusalLog.computeIfAbsent(key, w -> new long[] {now - 2_000_000_000L, 0});
        if (now - linesSecondStart >= 1_000_000_000L) {
            linesSecondStart = now;
            linesThisSecond = 0;
        }
        if (now - last[0] < 1_000_000_000L || linesThisSecond >= LOG_LINES_PER_SECOND) {
            last[1]++;
            return false;
        }
        linesThisSecond++;
        heldBack[0] = last[1];
        last[0] = now;
        last[1] = 0;
        return true;
    }

    /** The kind of a refusal: its text up to the first number, quote or bracket ("reward", "obs_dim ", "its task is "). */
    private static String kind(String reason) {
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (Character.isDigit(c) || c == '\'' || c == '[') return reason.substring(0, i);
        }
        return reason;
    }

    private void loop() {
        try {
            while (!closed) {
                Runnable r;
                while ((r = requests.poll()) != null) r.run();
                // once all experience is in (an off-policy learner then pays its owed steps) workers' batches are not taken: not silence
                for (Intake.Worker w : experienceDone() ? List.<Intake.Worker>of() : intake.newlySilent(System.nanoTime(), workerTimeoutNanos)) {
                    log.printf(Locale.ROOT, "trainer: worker %s silent for more than %.1f s (%d batches used); training goes on with %d worker(s)%n",
                            BatchCheck.printable(w.name, 80), workerTimeoutNanos / 1e9, w.batches, intake.active());
                }
                WorkerEvaluation e = evaluation;
                if (e != null) {   // the batches are counted, not learned from: the version evaluated stays
                    Batch b = intake.take(100);
                    if (b != null) {
                        e.add(b);
                        intake.used(b);
                    }
                    continue;
                }
                if (paused || done()) {
                    Thread.sleep(50);
                    continue;
                }
                if (offPolicy != null && experienceDone()) {   // every transition is in: the steps still owed, then the final model
                    offPolicy.update(rng);
                    if (!offPolicy.owes()) publishOffPolicy();
                    continue;
                }
                // an off-policy learner takes its owed gradient steps while no batch waits
                boolean owes = offPolicy != null && offPolicy.owes();
                Batch b = intake.take(owes ? 0 : 100);
                if (b != null) consume(b);
                else if (owes) offPolicy.update(rng);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.println("trainer: learning stopped by an error: " + e);
            outlet.failed(e);
        }
    }

    /**
     * PPO stops after the updates {@code --steps} pays for, as in process; the imitation algorithms
     * after the update that used the last label of {@code --label-budget}, or never without one.
     */
    private boolean done() {
        if (ppo != null) return iteration >= updates;
        if (offPolicy != null) return experienceDone() && !offPolicy.owes();
        long budget = o.longValue("label-budget");
        return budget > 0 && iteration > 0 && newLabels == 0 && labels.size() >= labelCap();
    }

    /** Whether the experience the run learns from is all in: an off-policy run's {@code --steps} transitions; the others' end. */
    private boolean experienceDone() {
        return offPolicy != null ? envSteps >= o.longValue("steps") : done();
    }

    private void publishOffPolicy() throws IOException {
        rowsSincePublish = 0;
        iteration++;
        Losses l = new Losses();
        offPolicy.takeLosses(l);
        publish(l.policy, l);
    }

    private void consume(Batch b) throws IOException {
        newestData = b.receivedNanos;
        episodes.add(b);
        if (offPolicy != null) {   // any version's experience is good for an off-policy learner: none is stale
            intake.used(b);
            int logEvery = Math.max(1, o.integer("log-every"));
            // counted row by row: a model goes out after exactly --log-every transitions, the last after exactly --steps
            // (the last after the steps still owed for them: the loop takes those first)
            for (int r = 0; r < b.rows() && !experienceDone(); r++) {
                offPolicy.store(b, r);
                envSteps++;
                usedRows++;
                if (experienceDone() && offPolicy.owes()) {
                    log.printf(Locale.ROOT, "trainer: all %,d transitions in; %,d gradient steps still owed for them come before the final model%n",
                            envSteps, offPolicy.owed());
                } else if (++rowsSincePublish >= logEvery || done()) {
                    publishOffPolicy();
                }
            }
            return;
        }
        envSteps += b.rows();
        if (ppo != null) {
            if (!anySampled(b) && unsampledWorkers.size() < Intake.MAX_WORKERS && unsampledWorkers.add(b.worker)) {
                log.println("trainer: worker " + BatchCheck.printable(b.worker, 80) + " sends no sampled actions (logprob NaN: a deterministic "
                        + "policy, or a person's commands); ppo cannot learn from its rows (policy_server ~stochastic:=true)");
            }
            if (version - b.policyVersion > maxLag) {
                staleBatches++;
                intake.stale(b);
                return;
            }
            intake.used(b);
            for (int from = 0; from < b.rows(); ) {
                from = rows.add(b, from);
                if (rows.full()) {
                    updatePpo();
                    if (version - b.policyVersion > maxLag) break;   // the rest of this batch is now too old
                }
            }
        } else {
            // DAgger labels the states the policy of the moment visits: a batch from more than --max-policy-lag
            // versions back is dropped as PPO's is (a person's interventions, hg_dagger, are always kept)
            if (algorithm.equals("dagger") && version - b.policyVersion > maxLag) {
                staleBatches++;
                intake.stale(b);
                return;
            }
            intake.used(b);
            boolean onlyPeople = algorithm.equals("hg_dagger");
            if (runs != null) {
                int max = o.integer("max-labels");
                for (int r = 0; r < b.rows(); r++) {
                    runs.row(b, r, (obs, label) -> {
                        if (labels.size() >= max) return;
                        labels.add(obs, 0, label, 0);
                        newLabels++;
                    });
                }
                if (newLabels >= o.integer("labels-per-update")) updateImitation();
                return;
            }
            for (int r = 0; r < b.rows(); r++) {
                if (!b.labelled(r) || (onlyPeople && b.intervention[r] == 0)) continue;
                if (labels.size() >= labelCap()) break;
                for (int i = 0; i < obsRow.length; i++) obsRow[i] = b.obs[r * obsRow.length + i];
                for (int j = 0; j < labelRow.length; j++) labelRow[j] = b.expertAction[r * labelRow.length + j];
                labels.add(obsRow, 0, labelRow, 0);
                newLabels++;
            }
            boolean spent = labels.size() >= labelCap() && newLabels > 0;   // the last labels of the budget are learned from too
            if (!algorithm.equals("bc") && (newLabels >= o.integer("labels-per-update") || spent)) updateImitation();
        }
    }

    private static boolean anySampled(Batch b) {
        for (int r = 0; r < b.rows(); r++) if (b.sampled(r)) return true;
        return false;
    }

    /** The aggregated dataset's size limit: {@code --max-labels}, or {@code --label-budget} when smaller. */
    private long labelCap() {
        long budget = o.longValue("label-budget");
        return budget > 0 ? Math.min(budget, o.longValue("max-labels")) : o.longValue("max-labels");
    }

    private void updatePpo() throws IOException {
        rows.fill(policy, rollout);
        boolean warmup = "true".equals(o.get("init-frozen")) && iteration < o.integer("critic-warmup");
        Losses l = ppo.learn(rollout, (double) iteration / updates, warmup, rng);
        rows.updateNormaliser(policy);   // a frozen normaliser (fine-tuning) stays as it is
        usedRows += rows.size();
        rows.clear();
        iteration++;
        publish(l.policy, l);
    }

    private void updateImitation() throws IOException {
        double loss = bc.train(labels, o.integer("update-epochs"), rng);
        newLabels = 0;
        iteration++;
        publish(loss, null);
    }

    /** A new model version: exported, handed out, written, checkpointed, logged. */
    private void publish(double policyLoss, Losses l) throws IOException {
        publish(policyLoss, l, true);
    }

    /**
     * As {@link #publish(double, Losses)}; without {@code newRow} the version is the checkpoint's
     * weights republished on resume, whose update already has its row in progress.csv: the curve
     * goes on without a second row for it.
     */
    private void publish(double policyLoss, Losses l, boolean newRow) throws IOException {
        long v = version + 1;
        byte[] onnx = offPolicy != null ? offPolicy.export(algorithm, v) : PolicyExport.toOnnx(policy, algorithm, v, setup.controlPeriod);
        String sha = PolicyExport.write(onnx, modelFile(v));
        PolicyExport.write(onnx, out.resolve("policy.onnx"));
        // the update's row goes out before its checkpoint: killed between the two, the row lies past the
        // checkpoint and a resumed run drops it and writes it again; the other way round a checkpoint
        // without its row would leave a hole in the curve
        Episodes.Summary e = newRow ? row(v, policyLoss, l) : null;
        Map<String, String> state = o.asMap();
        state.put("iteration", Long.toString(iteration));
        state.put("env_steps", Long.toString(envSteps));
        state.put("policy_version", Long.toString(v));
        if (ppo != null) ppo.saveState(state);
        if (labels != null) LabelFile.write(out.resolve("labels.bin"), labels);   // before the checkpoint that counts them
        save(state);
        version = v;
        outlet.model(v, algorithm, onnx, sha, newestData != 0 ? newestData : wallNanos());
        if (!newRow) {
            log.printf(Locale.ROOT, "trainer: the checkpoint's model goes out again as version %d (a newer one had been published before the kill)%n", v);
            return;
        }
        double nan = Double.NaN;
        outlet.stats(new Stats(algorithm, iteration, envSteps, e.meanReturn(), e.successRate(), policyLoss, l != null ? l.value : nan,
                l != null ? l.entropy : nan, l != null ? l.approxKl : nan, lastRate, v));
        log.printf(Locale.ROOT, "trainer: version %d after update %d: %,d env steps, %d episodes, success %.0f%%, return %.2f%s, %d worker(s)%n", v,
                iteration, envSteps, e.episodes(), 100 * e.successRate(), e.meanReturn(),
                labels != null ? ", " + labels.size() + " labels" : String.format(Locale.ROOT, ", %d stale batches", staleBatches), intake.active());
        if (iteration > 0 && (iteration % 10 == 0 || done())) plot();
        if (done()) summary();
    }

    /** Evaluates when due and writes the update's row of progress.csv for model version {@code v}; returns the episodes it summed. */
    private Episodes.Summary row(long v, double policyLoss, Losses l) throws IOException {
        int evalEvery = o.integer("eval-every");
        if (evalEvery > 0 && iteration % evalEvery == 0) lastEval = evaluate().successRate();
        double seconds = (System.nanoTime() - nanosAtLastUpdate) / 1e9;
        lastRate = (envSteps - stepsAtLastUpdate) / Math.max(seconds, 1e-9);
        nanosAtLastUpdate = System.nanoTime();
        stepsAtLastUpdate = envSteps;
        Episodes.Summary e = episodes.takeSummary();
        double nan = Double.NaN;
        int labelCount = labels != null ? labels.size() : 0;
        csv.row(iteration, envSteps, v, e.meanReturn(), e.successRate(), e.episodes(), e.interventionsPerEpisode(), labelCount,
                policyLoss, l != null ? l.value : nan, l != null ? l.entropy : nan, l != null ? l.approxKl : nan, learningRate(), lastRate,
                intake.active(), staleBatches, refusedBatches(), lastEval);
        return e;
    }

    private void plot() throws IOException {
        boolean rl = ppo != null || offPolicy != null;
        String[] ys = rl ? new String[] {"success_rate", "mean_return", "value_loss"} : new String[] {"success_rate", "policy_loss"};
        LearningCurve.plot(csv.file(), rl ? "env_steps" : "labels", rl ? "environment steps (all workers)" : "labels",
                ys, algorithm + " over ROS on " + setup.task, out.resolve("curve.png"));
    }

    private void summary() throws IOException {
        Evaluation.Result r = evaluate();
        String text = String.format(Locale.ROOT, "%s over ROS on %s%s: %d env steps from %d worker(s)%s, version %d; evaluation %.1f%% success over %d episodes%n",
                algorithm, setup.task, setup.pushes.any() ? " with pushes" : "", envSteps, intake.workers().size(),
                labels != null ? ", " + labels.size() + " expert labels" : offPolicy != null ? ", " + offPolicy.gradientSteps() + " gradient steps" : "",
                version, 100 * r.successRate(), r.episodes());
        Files.writeString(out.resolve("summary.txt"), text);
        finished = true;
        log.print("trainer: done (experience from here on is not used; the workers keep the last model): " + text);
    }

    /**
     * A deterministic evaluation of the current policy on the built-in simulator's seeded episodes,
     * its commands clamped and step-limited as the workers' policy_server sends them: the policy
     * learned on that arm, and a served policy never commands any other. Without the limits a
     * policy that leans on them (targets far ahead, which the step limit turns into a steady
     * approach) is judged on jumps it never made.
     */
    private Evaluation.Result evaluate() {
        return Evaluation.run(setup.env(true).servedLimits(o.number("max-velocity-scale")),
                offPolicy != null ? offPolicy.controller() : Evaluation.deterministic(policy), o.integer("eval-episodes"), Setup.EVAL_SEED);
    }

    /** The run's checkpoint: the policy and its optimiser, or an off-policy learner's networks and replay buffer. */
    private void save(Map<String, String> state) throws IOException {
        if (offPolicy != null) offPolicy.save(out.resolve("checkpoint.bin"), state, rng);
        else Checkpoint.save(out.resolve("checkpoint.bin"), state, policy, adam, rng);
    }

    private double learningRate() {
        return offPolicy != null ? offPolicy.learningRate(envSteps) : adam.learningRate();
    }

    /** train's defaults for the trainer's {@code algorithm}: ppo's and the off-policy learners' their own, the imitation algorithms' bc's. */
    private static String trainDefaults(String algorithm) {
        return algorithm.equals("ppo") || TrainCommand.OFF_POLICY.contains(algorithm) ? algorithm : "bc";
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private Path modelFile(long v) {
        return out.resolve("models").resolve(String.format(Locale.ROOT, "v%06d.onnx", v));
    }

    /** The highest version in {@code models/}: a model published after the last checkpoint still counts. */
    private long newestPublished() throws IOException {
        long newest = 0;
        try (var files = Files.list(out.resolve("models"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.matches("v\\d+\\.onnx")) newest = Math.max(newest, Long.parseLong(n.substring(1, n.length() - 5)));
            }
        }
        return newest;
    }

    private <T> T onLearner(Supplier<T> what) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        requests.add(() -> {
            try {
                f.complete(what.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.MINUTES);
    }

    /** Stops learning between two updates (an update under way finishes first); returns the version that stays. */
    public long pause() throws Exception {
        return onLearner(() -> {
            paused = true;
            return version;
        });
    }

    public void resume() {
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    /** Writes a checkpoint now (between updates); returns its path. */
    public Path saveNow() throws Exception {
        return onLearner(() -> {
            try {
                Map<String, String> state = o.asMap();
                state.put("iteration", Long.toString(iteration));
                state.put("env_steps", Long.toString(envSteps));
                state.put("policy_version", Long.toString(version));
                if (ppo != null) ppo.saveState(state);
                if (labels != null) LabelFile.write(out.resolve("labels.bin"), labels);   // before the checkpoint that counts them
                save(state);
                return out.resolve("checkpoint.bin");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Evaluates the current policy now (between updates), deterministically on the built-in simulator. */
    public Evaluation.Result evaluateNow() throws Exception {
        return onLearner(this::evaluate);
    }

    /**
     * Evaluates the current model on the workers: they take their policy's mean action from their
     * next episode on, and {@code --eval-episodes} of their whole episodes under this version are
     * counted, or as many as came within {@code --eval-timeout}. Learning waits meanwhile; the
     * experience of the evaluation is not learned from. One evaluation at a time.
     */
    public WorkerEvaluation.Result evaluateOnWorkers() throws Exception {
        if (!evaluating.compareAndSet(false, true)) throw new IllegalStateException("an evaluation on the workers is already under way");
        try {
            if (intake.active() == 0) {
                throw new IllegalStateException(String.format(Locale.ROOT, "no worker sent experience within the last %.1f s "
                        + "(~worker_timeout): there is nothing to evaluate on", workerTimeoutNanos / 1e9));
            }
            WorkerEvaluation e = onLearner(() -> {
                WorkerEvaluation w = new WorkerEvaluation(version, o.integer("eval-episodes"));
                evaluation = w;
                return w;
            });
            log.printf(Locale.ROOT, "trainer: evaluating model version %d on the workers (%d episodes, their mean action); learning waits%n",
                    e.version(), e.wanted());
            outlet.deterministic(true);
            try {
                long deadline = System.nanoTime() + (long) (o.number("eval-timeout") * 1e9);
                while (!e.finished() && !closed && System.nanoTime() < deadline) Thread.sleep(20);
            } finally {
                evaluation = null;
                outlet.deterministic(false);
            }
            WorkerEvaluation.Result r = e.result();
            log.printf(Locale.ROOT, "trainer: model version %d on the workers: %.1f%% success (%d of %d episodes, %d worker(s), %.1f s)%n",
                    r.version(), 100 * r.successRate(), r.successes(), r.episodes(), r.workers(), r.seconds());
            return r;
        } finally {
            evaluating.set(false);
        }
    }

    public long version() {
        return version;
    }

    public String algorithm() {
        return algorithm;
    }

    public Path out() {
        return out;
    }

    public List<Intake.Worker> workers() {
        return intake.workers();
    }

    /** Batches dropped on arrival: malformed, replayed, or over the waiting bound (progress.csv's refused_batches). */
    private long refusedBatches() {
        return malformedBatches + intake.replayed() + intake.flooded();
    }

    /**
     * Counters for reports and tests: updates, env steps, stale batches, refused ones (all, then
     * malformed, replayed and flooded: over the waiting bound), rows learned from, the
     * transitions waiting now and at most, and an off-policy learner's replay buffer.
     */
    public synchronized Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("iteration", iteration);
        m.put("env_steps", envSteps);
        m.put("stale_batches", staleBatches);
        m.put("refused_batches", refusedBatches());
        m.put("malformed_batches", malformedBatches);
        m.put("replayed_batches", intake.replayed());
        m.put("flooded_batches", intake.flooded());
        m.put("pending_rows", intake.pendingRows());
        m.put("peak_pending_rows", intake.peakPendingRows());
        m.put("max_pending_rows", (long) intake.perWorkerRows());
        m.put("max_pending_rows_total", intake.totalRows());
        m.put("used_rows", usedRows);
        m.put("labels", labels != null ? (long) labels.size() : 0L);
        m.put("replay_rows", offPolicy != null ? (long) offPolicy.buffered() : 0L);
        m.put("gradient_steps", offPolicy != null ? offPolicy.gradientSteps() : 0L);
        m.put("owed_gradient_steps", offPolicy != null ? offPolicy.owed() : 0L);
        m.put("version", version);
        m.put("batches_after_end", afterEnd.get());
        m.put("batches_while_paused", whilePaused.get());
        return m;
    }

    /** PPO has taken its last update, or DAgger spent its {@code --label-budget}, and the summary is written. */
    public boolean finished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        intake.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
