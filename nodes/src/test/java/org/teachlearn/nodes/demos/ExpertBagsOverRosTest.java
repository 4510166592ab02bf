package org.teachlearn.nodes.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.demo.DemoTransitions;
import org.teachlearn.learn.demo.Demonstrations;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.train.TrainCommand;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.sim.ExpertNode;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Learning from bags recorded the way users record them: the scripted expert drives sim_arm over
 * ROS (lockstep, DART noise on the executed command, expert/action the clean label, episodes
 * going on 0.5 s past success as {@code train bc}'s own demonstrations do) while
 * Debian's {@code rosbag record} records the demonstration topics; {@code train bc --bags} clones
 * the expert from that bag, and the policy succeeds in the built-in simulator. The same messages
 * written again by the Python rosbag API (LZ4, other chunks) give the very same dataset.
 * The full figure: {@code -Dteachlearn.bagEpochs=300 -Dteachlearn.bagEval=100} (train's default
 * epochs, 100 evaluation episodes; {@code teachlearn.bagEpisodes} and {@code teachlearn.bagNoise}
 * change the demonstrations).
 */
class ExpertBagsOverRosTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int EPISODES = Integer.getInteger("teachlearn.bagEpisodes", 50);
    static final String NOISE = System.getProperty("teachlearn.bagNoise", "0.1");
    static final String EVAL_EPISODES = System.getProperty("teachlearn.bagEval", "50");
    static final String EPOCHS = System.getProperty("teachlearn.bagEpochs", "100");
    static final String[] TOPICS = {"/joint_states", "/task/state", "/arm_controller/command", "/gripper_controller/command",
        "/expert/action", "/ft_sensor/wrench"};

    @TempDir
    static Path dir;
    static Path recorded;
    static String recordLog;
    static final AtomicInteger SUCCEEDED = new AtomicInteger();

    @BeforeAll
    static void recordExpertDemonstrationsWithRosbag() throws Exception {
        System.setProperty("teachlearn.home", ROOT.toString());
        Files.createDirectories(dir.resolve("rosbag"));
        recorded = dir.resolve("rosbag/expert.bag");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=4000", "_settle:=0.5");
            Thread loop = new SimArm(sim).start();
            String[] cmd = new String[TOPICS.length + 3];
            cmd[0] = RosPeers.tool("rosbag");
            cmd[1] = "record";
            cmd[2] = "--output-name=" + recorded;
            System.arraycopy(TOPICS, 0, cmd, 3, TOPICS.length);
            Node listener = node("episodes", master.uri());
            AtomicInteger done = new AtomicInteger(), succeeded = SUCCEEDED, steps = new AtomicInteger();
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                if (m.done && done.get() < EPISODES) {
                    steps.addAndGet((int) m.step);
                    if (m.success) succeeded.incrementAndGet();
                    done.incrementAndGet();
                }
            });
            Node expert = null;
            try (Peer rosbag = Peer.start(master.uri(), cmd)) {
                RosPeers.waitUntil(() -> recorderSubscribed(master), 30, "rosbag record subscribing to " + Arrays.toString(TOPICS));
                Thread.sleep(1000);   // rosbag connects to sim_arm's publishers
                expert = node("expert", master.uri(), "_task:=reach", "_drive:=true", "_noise:=" + NOISE, "_seed:=7");
                new ExpertNode(expert);
                RosPeers.waitUntil(() -> done.get() >= EPISODES, 60 + EPISODES * 3, EPISODES + " expert episodes");
                expert.shutdown("enough episodes");   // sim_arm now waits for a command that does not come
                Thread.sleep(500);
                rosbag.signal("INT");
                assertTrue(rosbag.waitFor(30), "rosbag record did not stop on SIGINT:\n" + rosbag.output());
                // Debian's `rosbag record` is a Python wrapper whose SIGINT handler forwards the signal and then raises
                // KeyboardInterrupt: it returns while its recorder child is still closing the bag
                long until = System.nanoTime() + 30_000_000_000L;
                while ((Files.exists(Path.of(recorded + ".active")) || !Files.exists(recorded)) && System.nanoTime() < until) Thread.sleep(50);
                recordLog = rosbag.output();
                System.out.printf("the expert through ROS with " + NOISE + " rad of DART noise: %d of %d episodes succeeded, %.1f steps each%n",
                        succeeded.get(), EPISODES, steps.get() / (double) EPISODES);
            } finally {
                if (expert != null) expert.shutdown("test over");
                listener.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        assertTrue(Files.exists(recorded) && !Files.exists(Path.of(recorded + ".active")), "rosbag left no indexed bag:\n" + recordLog);
        String keep = System.getProperty("teachlearn.bagKeep");   // a folder to keep the recorded bag in, for a look at it
        if (keep != null) Files.copy(recorded, Files.createDirectories(Path.of(keep)).resolve("expert.bag"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether a node named /record… (rosbag record) is registered as a subscriber of every topic. */
    @SuppressWarnings("unchecked")
    static boolean recorderSubscribed(Master master) {
        try {
            List<Object> state = (List<Object>) master.call("getSystemState", List.of("/test"));
            List<Object> subscriptions = (List<Object>) ((List<Object>) state.get(2)).get(1);
            int found = 0;
            for (Object o : subscriptions) {
                List<Object> entry = (List<Object>) o;
                List<Object> nodes = entry.get(1) instanceof List<?> l ? (List<Object>) l : Arrays.asList((Object[]) entry.get(1));
                if (Arrays.asList(TOPICS).contains(entry.get(0)) && nodes.stream().anyMatch(n -> n.toString().startsWith("/record"))) found++;
            }
            return found == TOPICS.length;
        } catch (Exception e) {
            return false;
        }
    }

    /** The teach_arm reach layout train uses by default. */
    static PolicyLayout layout() throws Exception {
        return PolicyLayout.of(model(), ArmLayout.TEACH_ARM, "reach", Task.named("reach").goalSize());
    }

    static RobotModel model() throws Exception {
        return UrdfParser.parse(ROOT.resolve("urdf/teach_arm.urdf"));
    }

    /** The dataset {@code train --bags where} builds, and the summary it prints. */
    static Dataset dataset(Path where, StringBuilder summary) throws Exception {
        PolicyLayout layout = layout();
        DemoSpec spec = new DemoSpec(layout, layout.armJoints(), ArmLayout.TEACH_ARM.gripper(), DemoSpec.Topics.DEFAULT);
        Dataset data = new Dataset(layout.observationSize(), layout.actions());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Demonstrations.addTo(data, new BagDemos(), new Demonstrations.Request(where, spec, "reach", 0.01, DemoSampler.Labels.AUTO, false),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        summary.append(out.toString(StandardCharsets.UTF_8));
        return data;
    }

    @Test
    void aRosbagRecordBagOfExpertDemonstrationsIsReadAsSuccessfulWithAWarning() throws Exception {
        StringBuilder summary = new StringBuilder();
        Dataset data = dataset(recorded.getParent(), summary);
        System.out.print(summary);
        assertTrue(summary.toString().contains("expert.bag") && summary.toString().contains("used: labels from expert/action"), summary.toString());
        assertTrue(summary.toString().contains("warning: expert.bag: no demo/info (recorded by rosbag record?): counted as successful"), summary.toString());
        // every state of every whole episode but the done ones: about as many as the expert answered
        assertTrue(data.size() > EPISODES * 50, data.size() + " samples from " + EPISODES + " episodes");
    }

    @Test
    void theSameMessagesWrittenByPythonRosbagGiveTheSameDataset() throws Exception {
        Path python = dir.resolve("python/expert-lz4.bag");
        Files.createDirectories(python.getParent());
        String out = Peer.run(java.net.URI.create("http://127.0.0.1:1/"), 120, RosPeers.PYTHON,
                Path.of("src/test/peers/demo_bags.py").toAbsolutePath().toString(), "rewrite", recorded.toString(), python.toString());
        assertTrue(out.contains("rewrote"), out);
        Dataset a = dataset(recorded, new StringBuilder()), b = dataset(python, new StringBuilder());
        assertEquals(a.size(), b.size(), "samples from the rosbag record bag and from its Python rosbag copy");
        int n = a.size();
        assertArrayEquals(Arrays.copyOf(a.observations(), n * a.obsDim()), Arrays.copyOf(b.observations(), n * b.obsDim()));
        assertArrayEquals(Arrays.copyOf(a.targets(), n * a.actDim()), Arrays.copyOf(b.targets(), n * b.actDim()));
        System.out.println("the Python rosbag copy (LZ4, 64 KB chunks) gives the same " + n + " samples");
    }

    /**
     * For off-policy demonstration replay the bag's samples pair into transitions: the next
     * observation is the following sample's, the reward is what sim_arm's task/state said on
     * arriving there — reach's, recomputed here from the next joint positions by forward
     * kinematics — every successful episode ends in one terminal transition, and no sample is
     * lost on the way (a sample per state, each but an episode's first the end of a transition).
     */
    @Test
    void theBagsSamplesPairIntoTransitionsWithTheRecordedRewards() throws Exception {
        PolicyLayout layout = layout();
        DemoSpec spec = new DemoSpec(layout, layout.armJoints(), ArmLayout.TEACH_ARM.gripper(), DemoSpec.Topics.DEFAULT);
        Dataset data = new Dataset(layout.observationSize(), layout.actions());
        DemoTransitions t = new DemoTransitions(layout);
        Demonstrations.addTo(data, new BagDemos(), new Demonstrations.Request(recorded, spec, "reach", 0.01, DemoSampler.Labels.AUTO, false), t, true,
                new PrintStream(java.io.OutputStream.nullOutputStream()));
        System.out.println("transitions from the rosbag record bag: " + t.summary());
        // rosbag may connect to task/state after the first episode has begun (or ended): that one may be missing
        assertEquals(t.episodes(), t.terminals(), "a terminal transition per (successful) episode");
        assertTrue(t.episodes() >= SUCCEEDED.get() - 1 && t.episodes() <= SUCCEEDED.get(), t.episodes() + " episodes, " + SUCCEEDED + " succeeded");
        // rosbag record now and then loses messages (18 task/states of 13,276 in one run): a next state without its own
        // task/state has no reward of its own, and is left out with a warning; a lost joint_states reading leaves the
        // sample after it more than a period from the one before (one of 13,080 in one run)
        assertEquals(data.size() - t.episodes() + t.terminals(), t.size() + t.withoutOwnState() + t.apart(),
                "every sample but an episode's first ends a transition, or is left out for want of its task/state or of the sample before");
        assertTrue(t.apart() < t.size() / 1000, t.apart() + " samples without the one a period before");
        assertTrue(t.warnings().isEmpty() == (t.withoutOwnState() == 0), t.warnings().toString());
        assertTrue(t.withoutOwnState() < t.size() / 100, t.withoutOwnState() + " left out");
        var chain = ArmLayout.TEACH_ARM.chain(model());
        int od = layout.observationSize(), ad = layout.actionSize(), arm = layout.armJoints().length, goalAt = layout.contractSize() - 3;
        double[] o = new double[od], u = new double[ad], next = new double[od], after = new double[od], nextU = new double[ad], pose = new double[16];
        int chained = 0, bonus = 0;
        List<Integer> broken = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            t.copy(i, o, u, next);
            for (double x : u) assertTrue(Math.abs(x) <= 1, "u within the learner's range: " + Arrays.toString(u));
            chain.forward(Arrays.copyOf(next, arm), pose);
            double d = Math.sqrt(Math.pow(pose[3] - next[goalAt], 2) + Math.pow(pose[7] - next[goalAt + 1], 2) + Math.pow(pose[11] - next[goalAt + 2], 2));
            assertEquals(org.teachlearn.robot.sim.ReachTask.reward(d), t.reward(i), 1e-5, "transition " + i + ": the reward on arriving at its next state");
            if (t.reward(i) > 0) bonus++;
            if (!t.terminal(i) && i + 1 < t.size()) {
                t.copy(i + 1, after, nextU, next.clone());
                if (Arrays.equals(next, after)) chained++;
                else broken.add(i);
            }
        }
        // a sample left out (for want of its own task/state, or of the sample before) parts the transitions
        // either side of it: the one before ends in it, the next one kept starts after it
        assertTrue(broken.size() <= t.withoutOwnState() + t.apart(), "transitions " + broken + " are not followed by their next state, yet only "
                + (t.withoutOwnState() + t.apart()) + " samples were left out");
        assertTrue(bonus >= t.terminals(), "the states within the tolerance carry reach's bonus: " + bonus);
        System.out.printf("%d transitions, %d terminal, %d chained to the next, %d with reach's bonus%n", t.size(), t.terminals(), chained, bonus);
    }

    /**
     * {@code train sac --bags} keeps the bag's transitions in its demonstration buffer and imitates
     * them with the Q-filtered term; the trainer's {@code ~demo_dir} reads the same bag the same way.
     */
    @Test
    void sacAndTheTrainerReplayTheBagsTransitions() throws Exception {
        Path out = dir.resolve("sac-bags");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        PrintStream was = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            TrainCommand.train(List.of("sac", "--bags", recorded.getParent().toString(), "--steps", "1500", "--learning-starts", "300", "--log-every", "500",
                    "--eval-episodes", "3", "--demo-bc", "1", "--batch", "64", "--hidden", "32x32", "--out", out.toString()), new BagDemos());
        } finally {
            System.setOut(was);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        System.out.print(log.lines().filter(l -> l.contains("demonstration") || l.contains("expert.bag")).map(l -> l + "\n").reduce("", String::concat));
        Matcher m = Pattern.compile("demonstration replay: (\\d+) episodes \\((\\d+) ending in a terminal state\\), (\\d+) transitions; 32 of every 64 "
                + "samples drawn from them, imitated by the actor with weight 1 where the critic prefers them").matcher(log);
        assertTrue(m.find(), log);
        assertEquals(m.group(1), m.group(2), "at 20 Hz too every episode ends in its terminal transition, which lasts one 100 Hz reading: " + log);
        assertTrue(Integer.parseInt(m.group(3)) > EPISODES * 8, "transitions at sac's 20 Hz: " + m.group(3));
        assertTrue(Files.readString(out.resolve("summary.txt")).startsWith("sac on reach"), Files.readString(out.resolve("summary.txt")));
        assertTrue(log.contains(" bc ") && log.contains("kept"), "the progress line shows the term: " + log);

        // the trainer: sac with ~demo_dir, as the trainer node builds it
        org.teachlearn.learn.train.Options o = new org.teachlearn.learn.train.Options(org.teachlearn.learn.train.OnlineTraining.defaults("sac"));
        o.set("out", dir.resolve("trainer-sac").toString());
        o.set("demo-dir", recorded.getParent().toString());
        o.set("demo-bc", "1");
        o.set("hidden", "32x32");
        java.io.ByteArrayOutputStream trainerLog = new java.io.ByteArrayOutputStream();
        List<Long> versions = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var t = new org.teachlearn.learn.train.OnlineTraining(o, new BagDemos(), new org.teachlearn.learn.train.OnlineTraining.Outlet() {
            @Override
            public void model(long version, String algorithm, byte[] onnx, String sha256, long dataNanos) {
                versions.add(version);
            }

            @Override
            public void stats(org.teachlearn.learn.train.OnlineTraining.Stats stats) {
            }

            @Override
            public void failed(Exception e) {
                throw new AssertionError(e);
            }
        }, new PrintStream(trainerLog, true, StandardCharsets.UTF_8))) {
            String said = trainerLog.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("trainer: demonstration replay: " + m.group(3) + " transitions from " + m.group(1) + " recorded episodes; 128 of every "
                    + "256 samples drawn from them (~demo_ratio 0.5), imitated by the actor with weight 1 where the critic prefers them"), said);
            assertEquals(List.of(1L), versions, "the first model goes out");
        }
    }

    @Test
    void behaviourCloningFromTheBagSucceedsInTheSimulator() throws Exception {
        Path out = dir.resolve("bc-bags");
        TrainCommand.train(List.of("bc", "--bags", recorded.getParent().toString(), "--epochs", EPOCHS, "--eval-episodes", EVAL_EPISODES,
                "--out", out.toString()),
                new BagDemos());
        String summary = Files.readString(out.resolve("summary.txt"));
        Matcher m = Pattern.compile("evaluation ([0-9.]+)% success").matcher(summary);
        assertTrue(m.find(), summary);
        double success = Double.parseDouble(m.group(1));
        System.out.println("BC (" + EPOCHS + " epochs) from " + EPISODES + " expert episodes recorded by rosbag record: " + summary.strip());
        assertTrue(success >= 85, "BC from the bag: " + success + " % in the built-in simulator");
    }
}
