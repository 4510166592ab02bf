package org.teachlearn.nodes.loop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.teachlearn.learn.report.HtmlReport;
import org.teachlearn.msgs.std_msgs.UInt32;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * The demo: teaching and learning as one loop over ROS, on a master of its own. Each stage is one
 * of the suite's launch files, run as a user runs it:
 * <ol>
 * <li>the simulated person drag-teaches reach ({@code teach_drag.launch teacher:=true}); the
 * recorder writes a bag per demonstration;
 * <li>the trainer clones the bags ({@code train.launch algorithm:=bc}) and the workers' policy
 * servers take the model;
 * <li>the simulated VR operator watches the cloned policy and takes over where it strays; the
 * trainer learns from its interventions with the demonstrations ({@code hg_dagger.launch});
 * <li>PPO fine-tunes the policy with several workers ({@code train.launch algorithm:=ppo init:=…});
 * </ol>
 * and after each learning stage the model's success is measured through ROS the same way
 * ({@link ServedEvaluation}). Figures and curves go to report.txt and report.html.
 */
public final class TeachLearnLoop {

    /** How big a demo: {@link #FULL} is {@code ./teach_learn demo}; {@link #SHORT} the CI's seeded check of the same loop. */
    public record Plan(int demos, int workers, int supervisedEpisodes, int ppoSteps, int evalEpisodes) {
        public static final Plan FULL = new Plan(20, 3, 60, 30_720, 50);
        public static final Plan SHORT = new Plan(6, 2, 10, 4_096, 10);
    }

    private record Stage(String name, String detail, ServedEvaluation.Result served, Path run) { }

    private static final double CONTROL_PERIOD = 0.01;   // the drag demonstrations' rate; every stage learns at it

    private TeachLearnLoop() {
    }

    public static void run(Path out, Plan plan) throws Exception {
        out = out.toAbsolutePath();
        long t0 = System.nanoTime();
        System.out.println("teach_learn demo: teach reach by hand, clone it, correct it, fine-tune it, all over ROS (→ " + out + ")");
        List<Stage> stages = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
                RosoutAggregator rosout = new RosoutAggregator(master.uri(), null);
                Node watcher = Node.start(NodeArgs.parse("demo", new String[0]).withMaster(master.uri()))) {
            URI uri = master.uri();
            System.out.println("embedded master at " + uri);

            Path bags = out.resolve("bags");
            System.out.printf(Locale.ROOT, "[1/4] drag teaching: the simulated person guides the arm to %d goals; one bag each%n", plan.demos());
            try (LaunchRun drag = LaunchRun.start(uri, "teach_drag.launch", out.resolve("teach_drag.log"), "teacher:=true",
                    "demos:=" + plan.demos(), "dir:=" + bags, "seed:=0")) {
                drag.awaitExit(60 + 15 * plan.demos());
            }
            long recorded;
            try (Stream<Path> s = Files.walk(bags)) {
                recorded = s.filter(p -> p.toString().endsWith(".bag")).count();
            }
            System.out.printf(Locale.ROOT, "      %d demonstrations recorded in %s%n", recorded, bags);
            if (recorded == 0) throw new IllegalStateException("drag teaching recorded no bag; see " + out.resolve("teach_drag.log"));

            Path bc = out.resolve("bc");
            System.out.println("[2/4] the trainer clones the bags; the workers' policy servers take the model");
            serveFromTrainer(uri, watcher, out, "bc", plan.workers(), "algorithm:=bc", "demo_dir:=" + bags, "out:=" + bc,
                    "control_period:=" + CONTROL_PERIOD, "epochs:=100");
            stages.add(new Stage("behaviour cloning (trainer)", recorded + " drag-taught demonstrations", evaluate(uri, bc, plan), bc));

            Path hg = out.resolve("hg_dagger");
            System.out.printf(Locale.ROOT, "[3/4] human-gated DAgger: the simulated VR operator watches %d episodes of the policy and takes over "
                    + "where it strays; the trainer learns from its interventions with the demonstrations%n", plan.supervisedEpisodes());
            try (LaunchRun supervise = LaunchRun.start(uri, "hg_dagger.launch", out.resolve("hg_dagger.log"), "init:=" + bc.resolve("checkpoint.bin"),
                    "out:=" + hg, "episodes:=" + plan.supervisedEpisodes(), "seed:=0", "eval_episodes:=10")) {
                supervise.awaitExit(120 + 6 * plan.supervisedEpisodes());
            }
            String interventions = interventions(hg);
            stages.add(new Stage("human-gated DAgger (trainer, simulated VR operator)", plan.supervisedEpisodes() + " supervised episodes; "
                    + interventions, evaluate(uri, hg, plan), hg));
            Path start = hg;

            Path ppo = out.resolve("ppo");
            System.out.printf(Locale.ROOT, "[4/4] PPO fine-tuning over ROS: %d workers, %,d environment steps%n", plan.workers(), plan.ppoSteps());
            try (LaunchRun train = LaunchRun.start(uri, "train.launch", out.resolve("ppo.log"), "algorithm:=ppo", "workers:=" + plan.workers(),
                    "init:=" + start.resolve("checkpoint.bin"), "out:=" + ppo, "steps:=" + plan.ppoSteps(), "control_period:=" + CONTROL_PERIOD,
                    "lr:=1e-4", "eval_episodes:=" + plan.evalEpisodes())) {
                train.awaitCondition(() -> Files.exists(ppo.resolve("summary.txt")), 60 + plan.ppoSteps() / 100, "PPO's last update");
            }
            stages.add(new Stage("PPO fine-tuning (trainer, " + plan.workers() + " workers)",
                    String.format(Locale.ROOT, "%,d environment steps from %s", plan.ppoSteps(), start.getFileName()), evaluate(uri, ppo, plan), ppo));
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        report(out, plan, stages, skipped, minutes);
    }

    /**
     * Runs train.launch with {@code args} until every worker runs the trainer's first model (its
     * {@code policy/version}), then stops it: the trainer has cloned and published, the policy
     * servers have swapped the model in.
     */
    private static void serveFromTrainer(URI uri, Node watcher, Path out, String name, int workers, String... args) throws Exception {
        Map<Integer, Long> running = new ConcurrentHashMap<>();
        List<org.teachlearn.ros.node.Subscriber<UInt32>> subs = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int w = i;
            subs.add(watcher.subscribe("/worker_" + i + "/policy/version", UInt32.TYPE, 10, m -> running.put(w, m.data & 0xFFFFFFFFL)));
        }
        List<String> all = new ArrayList<>(List.of("workers:=" + workers, "stochastic:=false"));
        all.addAll(List.of(args));
        try (LaunchRun train = LaunchRun.start(uri, "train.launch", out.resolve(name + ".log"), all.toArray(new String[0]))) {
            train.awaitCondition(() -> running.size() == workers, 600, "every worker to run the trainer's model");
        } finally {
            for (var s : subs) s.close();
        }
        System.out.printf(Locale.ROOT, "      the trainer published version 1; %d workers run it%n", workers);
    }

    /** Interventions per episode, first and last update, from the trainer's progress.csv. */
    private static String interventions(Path run) throws IOException {
        List<double[]> rows = org.teachlearn.learn.train.CsvLog.read(run.resolve("progress.csv"));
        String[] header = org.teachlearn.learn.train.CsvLog.header(run.resolve("progress.csv"));
        int c = java.util.Arrays.asList(header).indexOf("interventions_per_episode");
        List<Double> per = rows.stream().map(r -> r[c]).filter(v -> !Double.isNaN(v)).toList();
        if (per.isEmpty()) return "no update yet";
        return String.format(Locale.ROOT, "%d updates, interventions per episode %.2f → %.2f", rows.size() - 1, per.get(0), per.get(per.size() - 1));
    }

    private static ServedEvaluation.Result evaluate(URI uri, Path run, Plan plan) throws Exception {
        ServedEvaluation.Result r = ServedEvaluation.run(uri, run.resolve("policy.onnx"), plan.evalEpisodes(), CONTROL_PERIOD);
        System.out.printf(Locale.ROOT, "      served over ROS: %d of %d episodes reached (%.0f %%)%n", r.successes(), r.episodes(), 100 * r.rate());
        return r;
    }

    private static void report(Path out, Plan plan, List<Stage> stages, List<String> skipped, double minutes) throws IOException {
        StringBuilder txt = new StringBuilder("teach_learn demo report\n");
        for (Stage s : stages) {
            txt.append(String.format(Locale.ROOT, "%s: %s; served over ROS: %d of %d episodes reached (%.0f %%)%n", s.name(), s.detail(),
                    s.served().successes(), s.served().episodes(), 100 * s.served().rate()));
        }
        for (String s : skipped) txt.append("skipped: ").append(s).append('\n');
        txt.append(String.format(Locale.ROOT, "%.1f minutes%n", minutes));
        Files.writeString(out.resolve("report.txt"), txt);
        System.out.print(txt);

        HtmlReport html = new HtmlReport("teach_learn demo report",
                "reach on the built-in simulator: drag teaching → behaviour cloning → human-gated DAgger → PPO fine-tuning, every stage over ROS");
        html.heading("What ran");
        List<String> ran = new ArrayList<>(List.of(
                plan.demos() + " demonstrations by the simulated person through drag_teach (teach_drag.launch), recorded as bags",
                "the trainer node cloned them (train.launch algorithm:=bc) and " + plan.workers() + " workers' policy servers took the model",
                "the simulated VR operator supervised " + plan.supervisedEpisodes() + " episodes of the policy through vr_teleop and took over where "
                        + "it strayed; the trainer learned from the interventions with the demonstrations (hg_dagger.launch)",
                "the trainer fine-tuned it with PPO over ROS: " + plan.workers() + " workers, " + plan.ppoSteps() + " environment steps",
                "after each learning stage the model was served over ROS (sim_arm in lockstep and policy_server, mean action) on "
                        + plan.evalEpisodes() + " seeded episodes"));
        for (String s : skipped) ran.add("skipped: " + s);
        html.list(ran);
        html.heading("Results");
        List<List<String>> rows = new ArrayList<>();
        for (Stage s : stages) {
            rows.add(List.of(s.name(), s.detail(), String.format(Locale.ROOT, "%.0f %%", 100 * s.served().rate()),
                    String.format(Locale.ROOT, "%d of %d", s.served().successes(), s.served().episodes())));
        }
        html.table(List.of("stage", "from", "served over ROS", "episodes reached"), rows);
        html.heading("Curves");
        for (Stage s : stages) {
            Path curve = s.run().resolve("curve.svg");
            if (!Files.exists(curve)) curve = s.run().resolve("curve.png");
            if (Files.exists(curve)) html.figure(curve, s.name(), s.name() + ": the trainer's progress.csv (" + s.run().getFileName() + "/)");
        }
        html.paragraph(String.format(Locale.ROOT, "%.1f minutes in all.", minutes));
        html.write(out.resolve("report.html"));
        System.out.println("report with charts: " + out.resolve("report.html"));
    }
}
