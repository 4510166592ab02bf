package org.teachlearn.nodes.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.demo.Demonstrations;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.demos.BagDemos;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The whole drag-teaching capture chain as a user starts it: {@code ./teach_learn launch
 * launch/teach_drag.launch teacher:=true} (sim_arm with a raw wrist sensor, drag_teach, the
 * recorder, the simulated person), in each mode. Every demonstration becomes one bag that Python's
 * rosbag reads, with one demo/info saying it succeeded, and {@code train --bags} labels the
 * bags from their motion.
 */
@Tag(TestNodes.REALTIME)
class TeachDragChainTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int DEMOS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"admittance", "gravity"})
    void everyDemonstrationBecomesOneBagThatTrainsTheSameWay(String mode, @TempDir Path dir) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Peer launch = Peer.start(master.uri(), Map.of("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path")),
                    ROOT.resolve("teach_learn").toString(), "launch", ROOT.resolve("launch/teach_drag.launch").toString(),
                    "teacher:=true", "demos:=" + DEMOS, "mode:=" + mode, "dir:=" + dir);
            // virtual_teacher is required: the launch ends once it has given its demonstrations
            assertTrue(launch.waitFor(240), "the launch did not end after " + DEMOS + " demonstrations:\n" + launch.output());
            String out = launch.output();
            assertTrue(out.contains("virtual_teacher: " + DEMOS + " of " + DEMOS + " demonstrations reached the goal")
                    || out.contains("virtual_teacher: " + (DEMOS - 1) + " of " + DEMOS + " demonstrations reached the goal"), out);

            List<Path> bags;
            try (Stream<Path> s = Files.list(dir)) {
                bags = s.filter(p -> p.toString().endsWith(".bag")).sorted().toList();
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(DEMOS, s.count(), "one file per demonstration, nothing .active left: " + bags);
            }
            assertEquals(DEMOS, bags.size());
            for (Path bag : bags) {
                assertTrue(bag.getFileName().toString().endsWith("_reach_drag_teach.bag"), bag.toString());
                String read = Peer.run(master.uri(), 60, RosPeers.PYTHON, "-c", String.join("\n",
                        "import rosbag, sys",
                        "b = rosbag.Bag(sys.argv[1])",
                        "c = {t: b.get_message_count(t) for t in b.get_type_and_topic_info()[1]}",
                        "print('joint_states', c.get('/joint_states', 0), 'commands', c.get('/arm_controller/command', 0))",
                        "for _, m, _ in b.read_messages(topics=['/demo/info']): print('info', m.task, m.source, m.success)"),
                        bag.toString());
                assertTrue(read.contains("info reach drag_teach"), read);
                String[] f = read.lines().filter(l -> l.startsWith("joint_states")).findFirst().orElseThrow().split(" ");
                assertTrue(Integer.parseInt(f[1]) > 50, "a demonstration of a second or more at 100 Hz: " + read);
            }

            // the bags train as train bc --bags reads them: labels from the motion, one sample per control period
            RobotModel model = UrdfParser.parse(ROOT.resolve("urdf/teach_arm.urdf"));
            PolicyLayout layout = PolicyLayout.of(model, ArmLayout.TEACH_ARM, "reach", 3);
            Dataset data = new Dataset(layout.observationSize(), layout.actions());
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            List<Demonstrations.Row> rows = Demonstrations.addTo(data, new BagDemos(), new Demonstrations.Request(dir,
                    new DemoSpec(layout, layout.armJoints(), ArmLayout.TEACH_ARM.gripper(), DemoSpec.Topics.DEFAULT), "reach", 0.01,
                    DemoSampler.Labels.AUTO, true), new PrintStream(summary, true, StandardCharsets.UTF_8));
            assertEquals(DEMOS, rows.stream().filter(Demonstrations.Row::used).count(), summary.toString(StandardCharsets.UTF_8));
            assertTrue(summary.toString(StandardCharsets.UTF_8).contains("labels from motion"), summary.toString(StandardCharsets.UTF_8));
            assertTrue(data.size() > DEMOS * 50, data.size() + " samples");
        }
    }
}
