package org.teachlearn.nodes;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.report.HtmlReport;
import org.teachlearn.learn.report.RunDirectory;
import org.teachlearn.learn.report.TrainingRunsSection;
import org.teachlearn.learn.train.TrainCommand;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * {@code ./teach_learn demo}, end to end on the built-in simulator: 50 scripted demonstrations of
 * reach → behaviour cloning → PPO fine-tuning in process → the ONNX model → {@code sim_arm} and
 * {@code policy_server} over TCPROS on an embedded master → the success rate measured through ROS.
 * Logs, curves, a short report.txt and report.html (figures and charts in one page) go to {@code runs/demo/}.
 */
final class Demo {

    static final int EPISODES = 50;

    private Demo() {
    }

    static void run(Path out) throws Exception {
        System.out.println("teach_learn demo: teach reach by demonstration, improve it with PPO, serve it over ROS (→ " + out + ")");
        Path bc = out.resolve("bc"), ppo = out.resolve("ppo");
        System.out.println("[1/4] 50 scripted demonstrations → behaviour cloning");
        TrainCommand.train(List.of("bc", "--loss", "nll", "--demos", "50", "--epochs", "100", "--eval-episodes", "50", "--out", bc.toString()));
        System.out.println("[2/4] PPO fine-tuning of the cloned policy in process (20 k steps on 8 simulators)");
        TrainCommand.train(List.of("ppo", "--init", bc.resolve("checkpoint.bin").toString(), "--control-period", "0.01", "--steps", "20480",
                "--lr", "1e-4", "--eval-every", "5", "--eval-episodes", "50", "--out", ppo.toString()));
        Path model = ppo.resolve("policy.onnx");
        System.out.println("[3/4] model " + model + " (sha256 " + PolicyExport.sha256(Files.readAllBytes(model)).substring(0, 16) + "…)");
        Served served = serve(model);
        String report = String.format(Locale.ROOT, String.join("%n",
                "teach_learn demo report",
                "behaviour cloning: %s",
                "PPO fine-tuning:   %s",
                "served over ROS (sim_arm lockstep + policy_server, embedded master): %d of %d episodes reached (%.0f %%),",
                "  %d lockstep steps in %.1f s (%.0f steps/s)",
                "curves: %s, %s", ""),
                Files.readString(bc.resolve("summary.txt")).trim(), Files.readString(ppo.resolve("summary.txt")).trim(), served.successes, EPISODES,
                100.0 * served.successes / EPISODES, served.steps, served.seconds, served.steps / served.seconds, bc.resolve("curve.png"),
                ppo.resolve("curve.png"));
        Files.writeString(out.resolve("report.txt"), report);
        writeHtml(out, bc, ppo, model, served);
        System.out.print(report);
        System.out.println("report with charts: " + out.resolve("report.html"));
        System.out.println("demo finished. Serve it yourself: ./teach_learn master & ./teach_learn run sim_arm _task:=reach & "
                + "./teach_learn run policy_server _model:=" + model);
    }

    /** report.html beside report.txt: what ran, the figures of each stage, and the curves, in one page a browser opens. */
    private static void writeHtml(Path out, Path bc, Path ppo, Path model, Served served) throws Exception {
        RunDirectory bcRun = RunDirectory.read(bc), ppoRun = RunDirectory.read(ppo);
        HtmlReport html = new HtmlReport("teach_learn demo report",
                "reach on the built-in simulator: demonstrations → behaviour cloning → PPO fine-tuning → ONNX → served over ROS");
        html.heading("What ran");
        html.list(List.of(
                "50 scripted demonstrations of reach, behaviour cloning (Gaussian NLL loss, 100 epochs), evaluated on 50 seeded episodes",
                "PPO fine-tuning of the cloned policy in process: 20,480 environment steps on 8 simulators at 100 Hz, learning rate 1e-4, "
                        + "evaluated every 5 iterations on 50 episodes",
                "the fine-tuned policy exported to ONNX: " + model.getFileName() + " (sha256 "
                        + PolicyExport.sha256(Files.readAllBytes(model)).substring(0, 16) + "…)",
                "served over TCPROS on an embedded master: sim_arm in lockstep and policy_server, " + EPISODES + " episodes counted from task/state"));
        html.heading("Results");
        html.table(List.of("stage", "success", "episodes", "detail"), List.of(
                stage("behaviour cloning", bcRun, String.format(Locale.ROOT, "from %,d expert labels", (long) bcRun.last("labels"))),
                stage("PPO fine-tuning", ppoRun, String.format(Locale.ROOT, "after %,d environment steps", (long) ppoRun.last("env_steps"))),
                List.of("served over ROS", String.format(Locale.ROOT, "%.1f %%", 100.0 * served.successes / EPISODES), Integer.toString(EPISODES),
                        String.format(Locale.ROOT, "%d of %d reached; %,d lockstep steps in %.1f s (%.0f steps/s)", served.successes, EPISODES,
                                served.steps, served.seconds, served.steps / served.seconds))));
        TrainingRunsSection.add(html, List.of(bcRun, ppoRun), out);
        html.write(out.resolve("report.html"));
    }

    private static List<String> stage(String name, RunDirectory run, String detail) {
        return List.of(name, String.format(Locale.ROOT, "%.1f %%", 100 * run.last("eval_success_rate")), run.setting("eval-episodes"), detail);
    }

    private record Served(int successes, long steps, double seconds) { }

    private static Served serve(Path model) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            URI uri = master.uri();
            System.out.println("[4/4] embedded master at " + uri + "; sim_arm (lockstep, reach) and policy_server; " + EPISODES + " episodes:");
            try (RosoutAggregator rosout = new RosoutAggregator(uri, null);
                    Node simNode = Node.start(args("sim_arm", uri, "_lockstep:=true", "_task:=reach", "_seed:=900000"));
                    Node serverNode = Node.start(args("policy_server", uri, "_model:=" + model));
                    Node watcher = Node.start(args("watcher", uri))) {
                SimArm sim = new SimArm(simNode);
                new PolicyServer(serverNode);
                AtomicInteger episodes = new AtomicInteger(), successes = new AtomicInteger();
                AtomicLong steps = new AtomicLong();
                watcher.subscribe("task/state", TaskState.TYPE, 1000, s -> {
                    steps.incrementAndGet();
                    if (!s.done || episodes.get() >= EPISODES) return;
                    int n = episodes.incrementAndGet();
                    if (s.success) successes.incrementAndGet();
                    if (n % 10 == 0) System.out.printf("      %d episodes, %d reached%n", n, successes.get());
                });
                long start = System.nanoTime();
                Thread loop = sim.start();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (episodes.get() < EPISODES && System.nanoTime() < deadline) Thread.sleep(20);
                double seconds = (System.nanoTime() - start) / 1e9;
                simNode.shutdown("demo over");
                loop.join(5000);
                if (episodes.get() < EPISODES) throw new IllegalStateException("the episodes did not finish within 120 s");
                return new Served(successes.get(), steps.get(), seconds);
            }
        }
    }

    private static NodeArgs args(String name, URI master, String... params) {
        return NodeArgs.parse(name, params).withMaster(master);
    }
}
