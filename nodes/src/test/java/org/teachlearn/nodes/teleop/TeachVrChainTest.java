package org.teachlearn.nodes.teleop;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The teleoperation capture chain as a user starts it: {@code ./teach_learn launch
 * launch/teach_vr.launch operator:=true} (sim_arm, vr_teleop, the recorder, the simulated
 * operator with a headset). The operator completes reach demonstrations through vr_teleop alone
 * and ends each with the success button, so vr_teleop calls demo/stop; every demonstration is one
 * bag that Python's rosbag reads, with a demo/info from vr_teleop carrying the clutch engagements
 * and the controller-stamp → command latency; {@code train --bags} takes the bags.
 */
@Tag(TestNodes.REALTIME)
class TeachVrChainTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int DEMOS = 4;

    @Test
    void theSimulatedOperatorCompletesReachThroughVrTeleopAndEachDemoIsOneBag(@TempDir Path dir) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Peer launch = Peer.start(master.uri(), Map.of("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path")),
                    ROOT.resolve("teach_learn").toString(), "launch", ROOT.resolve("launch/teach_vr.launch").toString(),
                    "operator:=true", "demos:=" + DEMOS, "seed:=100", "dir:=" + dir);
            assertTrue(launch.waitFor(240), "the launch did not end after " + DEMOS + " demonstrations:\n" + launch.output());
            String out = launch.output();
            var m = java.util.regex.Pattern.compile("vr_operator: (\\d+) of " + DEMOS + " demonstrations succeeded").matcher(out);
            assertTrue(m.find(), out);
            int succeeded = Integer.parseInt(m.group(1));
            assertTrue(succeeded >= DEMOS - 1, succeeded + " of " + DEMOS + "\n" + out);
            assertTrue(out.contains("vr_teleop: demo/stop (success)"), "the success button ended the takes through vr_teleop:\n" + out);

            List<Path> bags;
            try (Stream<Path> s = Files.list(dir)) {
                bags = s.filter(p -> p.toString().endsWith(".bag")).sorted().toList();
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(DEMOS, s.count(), "one file per demonstration, nothing .active left: " + bags);
            }
            int successes = 0;
            for (Path bag : bags) {
                assertTrue(bag.getFileName().toString().endsWith("_reach_vr_teleop.bag"), bag.toString());
                String read = Peer.run(master.uri(), 60, RosPeers.PYTHON, "-c", String.join("\n",
                        "import rosbag, sys",
                        "b = rosbag.Bag(sys.argv[1])",
                        "c = {t: b.get_message_count(t) for t in b.get_type_and_topic_info()[1]}",
                        "print('counts', c.get('/joint_states', 0), c.get('/arm_controller/command', 0), c.get('/expert/action', 0),"
                                + " c.get('/vr/controller_pose', 0), c.get('/vr/joy', 0), c.get('/teleop/active', 0))",
                        "for _, m, _ in b.read_messages(topics=['/demo/info']):",
                        "    print('info', m.task, m.source, m.success, m.interventions, '%.4f' % m.teleop_latency_p50, '%.4f' % m.teleop_latency_p99)",
                        "    print('notes', m.notes)"),
                        bag.toString());
                assertTrue(read.contains("info reach vr_teleop"), read);
                String[] c = line(read, "counts");
                assertTrue(Integer.parseInt(c[1]) > 50, "joint_states of a second or more: " + read);
                assertTrue(Integer.parseInt(c[2]) > 20, "arm commands: " + read);
                assertTrue(Integer.parseInt(c[3]) > 20, "the operator's commands as expert/action: " + read);
                assertTrue(Integer.parseInt(c[4]) > 20 && Integer.parseInt(c[5]) > 20, "the headset's stream: " + read);
                String[] info = line(read, "info");
                if (info[3].equals("True")) successes++;
                assertTrue(Integer.parseInt(info[4]) >= 1, "at least one clutch engagement: " + read);
                double p50 = Double.parseDouble(info[5]), p99 = Double.parseDouble(info[6]);
                // the simulated device delays each frame 20–100 ms; vr_teleop adds up to a control period
                assertTrue(p50 >= 0.015 && p50 <= 0.15 && p99 >= p50 && p99 <= 0.25, "latency p50 " + p50 + " p99 " + p99);
                assertTrue(read.contains("notes ended by the operator's"), read);
            }
            assertEquals(succeeded, successes, "each bag's verdict is the operator's");

            // the bags train as train bc --bags reads them: labels from the commands vr_teleop sent
            RobotModel model = UrdfParser.parse(ROOT.resolve("urdf/teach_arm.urdf"));
            PolicyLayout layout = PolicyLayout.of(model, ArmLayout.TEACH_ARM, "reach", 3);
            Dataset data = new Dataset(layout.observationSize(), layout.actions());
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            List<Demonstrations.Row> rows = Demonstrations.addTo(data, new BagDemos(), new Demonstrations.Request(dir,
                    new DemoSpec(layout, layout.armJoints(), ArmLayout.TEACH_ARM.gripper(), DemoSpec.Topics.DEFAULT), "reach", 0.01,
                    DemoSampler.Labels.AUTO, true), new PrintStream(summary, true, StandardCharsets.UTF_8));
            String text = summary.toString(StandardCharsets.UTF_8);
            assertEquals(successes, rows.stream().filter(Demonstrations.Row::used).count(), text);
            assertTrue(data.size() > successes * 30, data.size() + " samples\n" + text);
        }
    }

    private static String[] line(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(() -> new AssertionError(key + " missing:\n" + text))
                .split(" ");
    }
}
