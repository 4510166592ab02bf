package org.teachlearn.learn.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.DemoCloning;
import org.teachlearn.learn.algo.Losses;
import org.teachlearn.learn.algo.OffPolicyAlgorithm;
import org.teachlearn.learn.data.ReplayBuffer;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.online.Batch;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.ActionMap;

/**
 * The trainer's DDPG, TD3 or SAC ({@link OnlineTraining} with {@code ~algorithm:=sac|td3|ddpg}):
 * every transition any worker sends, under any model version, goes into one replay buffer as it
 * arrives (an off-policy learner needs no fresh experience), and owes {@code --updates-per-step}
 * gradient steps on minibatches of {@code --batch} drawn from it once it holds
 * {@code --learning-starts} transitions. The steps are taken whenever no batch waits, so that
 * experience never waits in the intake behind the learner (it would teach about models long
 * gone); steps still owed when {@code --steps} transitions are in are taken before the final
 * model, so every row gets its steps, as in process. Workers that make experience faster than the
 * learner steps get the steps late: simulated workers run at the arm's rate (train.launch
 * {@code worker_rate}) as real ones do. A worker's row carries the command it sent (its policy's sample, a person's, or an
 * expert's); the learner's output u is that command mapped back through the action map and
 * clipped to [−1, 1], the learner's range, as demonstration replay does. With the hand feature
 * ({@code --hand-feature on}, SAC's default on reach) the trainer computes it from the worker's
 * observation as the exported model's graph does. With {@code ~demo_dir} the recorded
 * demonstrations' transitions fill a buffer of their own ({@link DemoReplay#fromRecordings}) and
 * {@code ~demo_ratio} of every minibatch is drawn from it (RLPD, HIL-SERL), read again when a run
 * resumes. The replay buffer is part of the checkpoint, so a killed trainer resumes with what it
 * had learned from.
 */
final class OnlineOffPolicy {

    private final Setup setup;
    private final OffPolicyAlgorithm learner;
    private final ReplayBuffer buffer;
    private final List<OffPolicyAlgorithm.ParameterGroup> groups;
    private final DemoReplay demos;   // ~demo_dir's transitions, or null
    private final DemoCloning cloning;   // ~demo_bc's term, or null
    private final int batch, fromDemos, updatesPerStep, od, ad, contract;
    private final long learningStarts, steps;
    private final double lr;
    private final boolean linear;   // --lr-decay linear
    private final double[] obs, next, u, command, bObs, bU, bR, bNext, bNotDone, q, goal;
    private final LossMeans losses = new LossMeans();
    private volatile long owed, taken;   // gradient steps owed for the rows stored, and taken (read by counters())

    OnlineOffPolicy(Setup setup, Rng rng, DemoSource recordings, PrintStream log) throws Exception {
        this.setup = setup;
        Options o = setup.options;
        if (o.integer("demo-replay") != 0) {
            throw new IllegalArgumentException("~demo_replay: the trainer's demonstrations are recordings, ~demo_dir (a folder of bags); the "
                    + "scripted expert's episodes need the simulator in process: ./teach_learn train " + o.get("algo") + " --demo-replay N");
        }
        if (!o.get("reward").equals("task")) throw new IllegalArgumentException("~reward: the trainer learns from the task's reward the workers send");
        double ratio = o.number("demo-ratio");
        if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("~demo_ratio must be in [0, 1), got " + ratio);
        this.learner = setup.offPolicy(rng);
        if (o.has("demo-dir")) {   // read on every start, before a resume restores the normaliser (which holds what they added)
            if (recordings == null) throw new IllegalArgumentException("~demo_dir: no bag reader was given");
            o.set("bags", o.get("demo-dir"));
            demos = DemoReplay.fromRecordings(setup, learner.layout(), learner.norm(), recordings, log);
        } else {
            demos = null;
        }
        this.od = learner.layout().observationSize();
        this.ad = learner.layout().actionSize();
        this.contract = learner.layout().contractSize();
        q = new double[learner.layout().armJoints().length];
        goal = new double[learner.layout().goalSize()];
        long capacity = o.has("buffer") ? o.longValue("buffer") : o.longValue("steps");
        if (capacity < 1) throw new IllegalArgumentException("~buffer must hold at least one transition, got " + capacity);
        long bytes = ReplayBuffer.bytes(capacity, od, ad), heap = Runtime.getRuntime().maxMemory();
        if (capacity > Integer.MAX_VALUE || bytes > heap / 2) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "~buffer %d transitions take %.0f MB, more than half the heap (%.0f MB): give a smaller ~buffer (or ~steps) or more heap",
                    capacity, bytes / 1e6, heap / 1e6));
        }
        this.buffer = new ReplayBuffer((int) capacity, od, ad);
        this.groups = learner.parameterGroups();
        this.batch = o.integer("batch");
        this.fromDemos = demos == null ? 0 : (int) Math.round(batch * ratio);
        this.cloning = OffPolicyTraining.cloning(o, fromDemos, true);
        learner.cloneDemonstrations(cloning);
        if (demos != null) {
            log.printf(java.util.Locale.ROOT, "trainer: demonstration replay: %d transitions from %d recorded episodes; %d of every %d samples drawn "
                    + "from them (~demo_ratio %s)%s%n", demos.transitions(), demos.episodes(), fromDemos, batch, o.get("demo-ratio"),
                    cloning == null ? "" : ", imitated by the actor with weight " + o.get("demo-bc") + (cloning.qFilter() ? " where the critic prefers them" : ""));
        }
        this.updatesPerStep = o.integer("updates-per-step");
        this.learningStarts = Math.max(o.longValue("learning-starts"), batch);
        this.lr = o.number("lr");
        this.steps = o.longValue("steps");
        String decay = o.has("lr-decay") ? o.get("lr-decay") : "none";
        if (!decay.equals("none") && !decay.equals("linear")) throw new IllegalArgumentException("~lr_decay is none or linear, got '" + decay + "'");
        this.linear = decay.equals("linear");
        obs = new double[od];
        next = new double[od];
        u = new double[ad];
        command = new double[ad];
        bObs = new double[batch * od];
        bU = new double[batch * ad];
        bR = new double[batch];
        bNext = new double[batch * od];
        bNotDone = new double[batch];
    }

    /**
     * Row {@code r} of {@code b} into the replay buffer; the gradient steps it pays for
     * ({@code --updates-per-step}) are owed, taken by {@link #update} when the learner has time.
     */
    void store(Batch b, int r) {
        for (int i = 0; i < contract; i++) {
            obs[i] = b.obs[r * contract + i];
            next[i] = b.nextObs[r * contract + i];
        }
        if (od > contract) {   // the hand feature, as the exported model's graph computes it from the same observation
            withFeature(obs);
            withFeature(next);
        }
        for (int j = 0; j < ad; j++) command[j] = b.action[r * ad + j];
        ActionMap map = learner.layout().actions();
        map.inverse(obs, 0, command, 0, u, 0);
        for (int j = 0; j < ad; j++) u[j] = Math.max(-1, Math.min(1, u[j]));
        learner.norm().update(obs, 1);
        buffer.add(obs, u, b.reward[r], next, b.done[r] == 1, 0, b.done[r] != 0);
        if (buffer.added() >= learningStarts) owed += updatesPerStep;
    }

    /** Whether gradient steps are owed for the rows stored. */
    boolean owes() {
        return owed > 0;
    }

    /** One owed gradient step on a minibatch drawn from the replay buffer. */
    void update(Rng rng) {
        // at the rate of the row the step is owed for, as in process: steps taken late (workers faster than
        // the learner, the last ones after --steps) must not run at the last row's rate, near 0 with the decay
        learningRate(learningStarts - 1 + taken / updatesPerStep);
        if (fromDemos > 0) demos.sample(fromDemos, rng, bObs, bU, bR, bNext, bNotDone);
        buffer.sample(batch - fromDemos, rng, bObs, bU, bR, bNext, bNotDone, fromDemos);
        losses.add(learner.update(bObs, bU, bR, bNext, bNotDone, batch, rng));
        owed--;
        taken++;
    }

    /** Gradient steps owed now, and taken so far. */
    long owed() {
        return owed;
    }

    long gradientSteps() {
        return taken;
    }

    private void withFeature(double[] row) {
        System.arraycopy(row, 0, q, 0, q.length);
        System.arraycopy(row, contract - goal.length, goal, 0, goal.length);
        learner.layout().hand().compute(q, goal, row, contract);
    }

    /** The mean losses since the last call (into {@code into}: policy, value, entropy; NaN where no update came), and a fresh count. */
    void takeLosses(Losses into) {
        into.policy = losses.policy();
        into.value = losses.value();
        into.entropy = losses.entropy();
        into.approxKl = Double.NaN;
        losses.clear();
    }

    /** The learning rate, linear to 0 over {@code --steps} with {@code --lr-decay linear} as in process. */
    double learningRate(long envSteps) {
        double now = linear ? lr * Math.max(0, 1 - (double) envSteps / steps) : lr;
        for (int i = 0; i < groups.size(); i++) {
            OffPolicyAlgorithm.ParameterGroup g = groups.get(i);
            if (g.optimiser() != null) g.optimiser().setLearningRate(now);
        }
        return now;
    }

    byte[] export(String algorithm, long version) {
        return PolicyExport.toOnnxSquashed(learner.layout(), learner.norm(), learner.actorNet(), learner.commandLogStd(), algorithm, version,
                setup.controlPeriod);
    }

    void save(Path file, Map<String, String> state, Rng rng) throws IOException {
        learner.saveState(state);
        state.put("owed_gradient_steps", Long.toString(owed));
        state.put("gradient_steps", Long.toString(taken));
        if (demos != null) state.put("demo_transitions", Integer.toString(demos.transitions()));
        OffPolicyCheckpoint.save(file, state, groups, learner.norm(), rng, buffer);
    }

    void restore(Path file, Map<String, String> saved, Rng rng, PrintStream log) throws IOException {
        String had = saved.get("demo_transitions");
        if (demos != null && had != null && Integer.parseInt(had) != demos.transitions()) {
            log.printf(java.util.Locale.ROOT, "warning: ~demo_dir %s now gives %d transitions, %s when the run began: the recordings changed%n",
                    setup.options.get("demo-dir"), demos.transitions(), had);
        }
        OffPolicyCheckpoint.restore(file, groups, learner.norm(), rng, buffer);
        learner.restoreState(saved);
        owed = Long.parseLong(saved.getOrDefault("owed_gradient_steps", "0"));
        taken = Long.parseLong(saved.getOrDefault("gradient_steps", "0"));
    }

    /** Starts from the policy of an off-policy run's checkpoint ({@code ~init}); its replay buffer is left behind. */
    void initFrom(Path file) throws IOException {
        OffPolicyCheckpoint.restore(file, groups, learner.norm(), null, null);
    }

    Evaluation.Controller controller() {
        return OffPolicyTraining.deterministic(learner);
    }

    double temperature() {
        return learner.temperature();
    }

    /** Transitions in the demonstration buffer (0: none). */
    int demoTransitions() {
        return demos == null ? 0 : demos.transitions();
    }

    int buffered() {
        return buffer.size();
    }
}
