package org.teachlearn.nodes.train;

import java.util.Map;
import java.util.Set;
import org.teachlearn.learn.online.Batch;
import org.teachlearn.learn.online.BatchCheck;
import org.teachlearn.learn.online.WorkerEvaluation;
import org.teachlearn.learn.train.OnlineTraining;
import org.teachlearn.learn.train.Options;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.msgs.teach_learn.TrainingStats;
import org.teachlearn.nodes.demos.BagDemos;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * trainer: learns from the experience of any number of policy servers and publishes every new
 * policy to them (docs/nodes.md, "trainer"). The learning is {@link OnlineTraining}, the same code
 * and options as {@code ./teach_learn train}; this class is the ROS wiring.
 *
 * <pre>
 * params  ~algorithm bc|dagger|hg_dagger|ppo|sac|td3|ddpg (ppo), ~out (runs/trainer-ALGORITHM), ~demo_dir (sac, td3, ddpg:
 *         replayed, ~demo_ratio 0.5, ~demo_bc 0), ~max_policy_lag (0),
 *         ~worker_timeout (5 s), ~resume (true), ~max_velocity_scale (1.0, the workers' policy servers': evaluations command
 *         the built-in simulator as they do), and every option of `./teach_learn train` with _ for - (~task, ~lr,
 *         ~steps, ~rollout_rows, ~labels_per_update, ~init, ~urdf, ...); hg_dagger: ~intervention_labels (motion | commands)
 * sub     /experience (teach_learn/Experience)
 * pub     /policy/model (teach_learn/ModelUpdate, latched), /trainer/stats (teach_learn/TrainingStats),
 *         /policy/deterministic (std_msgs/Bool, latched: true while trainer/evaluate runs on the workers)
 * srv     trainer/pause, trainer/resume, trainer/save, trainer/evaluate (std_srvs/Trigger)
 * </pre>
 */
public final class Trainer {

    private final Node node;
    private final OnlineTraining training;
    private final Publisher<ModelUpdate> models;
    private final Publisher<TrainingStats> stats;
    private final Publisher<Bool> deterministic;
    private byte[] noInterventions = new byte[0];

    public Trainer(Node node) throws Exception {
        this.node = node;
        String algorithm = node.params().getString("~algorithm", "ppo");
        Options o = new Options(OnlineTraining.defaults(algorithm));
        readParameters(node, o);
        models = node.advertise("/policy/model", ModelUpdate.TYPE, 2, true);
        stats = node.advertise("/trainer/stats", TrainingStats.TYPE, 100, false);
        deterministic = node.advertise("/policy/deterministic", Bool.TYPE, 1, true);
        publishDeterministic(false);   // latched: a worker that joins learns the workers' way at once
        training = new OnlineTraining(o, new BagDemos(), new OnlineTraining.Outlet() {
            @Override
            public void model(long version, String algo, byte[] onnx, String sha256, long dataNanos) {
                publishModel(version, algo, onnx, sha256, dataNanos);
            }

            @Override
            public void stats(OnlineTraining.Stats s) {
                publishStats(s);
            }

            @Override
            public void deterministic(boolean on) {
                publishDeterministic(on);
            }

            @Override
            public void failed(Exception e) {
                node.log().fatal("trainer: learning stopped: " + e + " (restarted, the trainer resumes from its last checkpoint)");
                node.shutdown("learning failed");
            }
        }, LogLines.of(node.log()));
        node.subscribe("/experience", Experience.TYPE, 64, this::onExperience);
        node.advertiseService("trainer/pause", Trigger.TYPE, (req, res) -> {
            try {
                answer(res, true, "paused at model version " + training.pause() + "; experience that arrives meanwhile is not learned from");
            } catch (Exception e) {
                answer(res, false, "could not pause: " + e);
            }
        });
        node.advertiseService("trainer/resume", Trigger.TYPE, (req, res) -> {
            training.resume();
            answer(res, true, "learning again from model version " + training.version());
        });
        node.advertiseService("trainer/save", Trigger.TYPE, (req, res) -> {
            try {
                answer(res, true, "checkpoint " + training.saveNow().toAbsolutePath() + " at model version " + training.version());
            } catch (Exception e) {
                answer(res, false, "could not save: " + e.getMessage());
            }
        });
        node.advertiseService("trainer/evaluate", Trigger.TYPE, (req, res) -> {
            try {
                WorkerEvaluation.Result r = training.evaluateOnWorkers();
                answer(res, r.episodes() > 0, describe(r));
            } catch (Exception e) {
                answer(res, false, "could not evaluate: " + e.getMessage());
            }
        });
        training.start();
    }

    /**
     * Every option of {@code ./teach_learn train} (and the trainer's own) as a private parameter,
     * {@code --rollout-rows} as {@code ~rollout_rows}; an unknown private parameter is an error
     * naming the known ones, as a misspelt option is.
     */
    static void readParameters(Node node, Options o) {
        Map<String, String> known = o.asMap();
        String prefix = node.name().endsWith("/") ? node.name() : node.name() + "/";
        for (String name : node.params().names()) {
            if (!name.startsWith(prefix)) continue;
            String key = name.substring(prefix.length());
            if (key.contains("/")) continue;
            String option = key.replace('_', '-');
            if (key.equals("algorithm")) continue;
            if (!known.containsKey(option) || Set.of("algo", "bags").contains(option)) {
                throw new IllegalArgumentException("unknown parameter ~" + key + " (the trainer takes ~algorithm and "
                        + known.keySet().stream().filter(k -> !k.equals("algo") && !k.equals("bags")).map(k -> "~" + k.replace('-', '_'))
                                .sorted().reduce((a, b) -> a + ", " + b).orElse("") + ")");
            }
            Object v = node.params().get("~" + key).orElse("");
            o.set(option, v instanceof Double d && d == Math.rint(d) && !option.equals("lr") ? stripZero(d) : String.valueOf(v));
        }
    }

    private static String stripZero(double d) {
        return Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static String describe(WorkerEvaluation.Result r) {
        if (r.episodes() == 0) {
            return String.format(java.util.Locale.ROOT, "model version %d: no whole episode on the workers within %.0f s (~eval_timeout)%s",
                    r.version(), r.seconds(), r.takenOver() > 0 ? "; " + r.takenOver() + " episode(s) a person took over do not count" : "");
        }
        return String.format(java.util.Locale.ROOT, "model version %d: %.1f%% success (%d of %d episodes on %d worker(s), their mean action, "
                + "%.1f s), mean return %.3f%s", r.version(), 100 * r.successRate(), r.successes(), r.episodes(), r.workers(), r.seconds(),
                r.meanReturn(), (r.episodes() < r.wanted() ? "; only " + r.episodes() + " of the " + r.wanted() + " episodes asked for came "
                        + "within ~eval_timeout" : "") + (r.takenOver() > 0 ? "; " + r.takenOver() + " episode(s) a person took over do not count" : ""));
    }

    private void publishDeterministic(boolean on) {
        Bool m = new Bool();
        m.data = on;
        deterministic.publish(m);
    }

    private static void answer(org.teachlearn.msgs.std_srvs.TriggerResponse res, boolean ok, String message) {
        res.success = ok;
        res.message = message;
    }

    /**
     * One batch from a worker, on the subscriber's thread. The batch is a view of the message's
     * arrays (the subscriber reuses them): the training copies it only when it is queued. Every
     * refusal is an error naming the worker, at most one line a second for each worker and kind.
     */
    private void onExperience(Experience m) {
        int n = m.reward.length;
        if (m.intervention.length == 0 && noInterventions.length != n) noInterventions = new byte[n];   // a worker older than 0.2
        // uint32 dimensions keep their bits: BatchCheck shows 4294967295 as sent, not as -1
        Batch b = new Batch(m.worker.isEmpty() ? "(unnamed)" : m.worker, m.task, m.policy_version & 0xFFFFFFFFL, (int) m.obs_dim,
                (int) m.act_dim, m.obs, m.action, m.logprob, m.reward, m.next_obs, m.done, m.expert_action, m.episode,
                m.intervention.length == 0 ? noInterventions : m.intervention);
        String problem = training.offer(b);
        if (problem == null) return;
        long[] heldBack = new long[1];
        if (training.shouldLog(b.worker, problem, heldBack)) {
            node.log().error("trainer: a batch of " + n + " transitions from worker " + BatchCheck.printable(b.worker, 80) + " was dropped: "
                    + problem + (heldBack[0] > 0 ? " (" + heldBack[0] + " more of this kind from it held back)" : ""));
        }
    }

    /** header.stamp: when the newest experience the model learned from arrived (wall clock), so stamp → swap is the round trip. */
    private void publishModel(long version, String algorithm, byte[] onnx, String sha256, long dataNanos) {
        ModelUpdate m = new ModelUpdate();
        m.header.stamp.setNanos(dataNanos);
        m.version = (int) version;
        m.algorithm = algorithm;
        m.sha256 = sha256;
        m.onnx = onnx;
        models.publish(m);
    }

    private void publishStats(OnlineTraining.Stats s) {
        TrainingStats m = new TrainingStats();
        node.now(m.header.stamp);
        m.algorithm = s.algorithm();
        m.iteration = (int) s.iteration();
        m.env_steps = s.envSteps();
        m.mean_return = s.meanReturn();
        m.success_rate = s.successRate();
        m.policy_loss = s.policyLoss();
        m.value_loss = s.valueLoss();
        m.entropy = s.entropy();
        m.approx_kl = s.approxKl();
        m.steps_per_second = s.stepsPerSecond();
        m.policy_version = (int) s.policyVersion();
        stats.publish(m);
    }

    /** The learning behind the node (tests read its counters and workers). */
    public OnlineTraining training() {
        return training;
    }

    public static void main(String[] argv) throws Exception {
        org.teachlearn.nodes.program.NodeProgram.main("trainer", argv, Trainer::run);
    }

    public static void run(Node node) throws Exception {
        Trainer t = new Trainer(node);
        try {
            node.spin();
        } finally {
            t.training.close();
        }
    }
}
