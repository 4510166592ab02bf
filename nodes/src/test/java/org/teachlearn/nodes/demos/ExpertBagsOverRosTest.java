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
            AtomicInteger done = new AtomicInteger(), succeeded = new AtomicInteger(), steps = new AtomicInteger();
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
        RobotModel model = UrdfParser.parse(ROOT.resolve("urdf/teach_arm.urdf"));
        return PolicyLayout.of(model, ArmLayout.TEACH_ARM, "reach", Task.named("reach").goalSize());
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
