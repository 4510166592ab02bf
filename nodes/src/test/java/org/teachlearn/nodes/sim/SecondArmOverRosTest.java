package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.train.TrainCommand;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.ros.launch.LaunchValues;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The whole chain on the second shipped arm, lab6_arm (6 joints, other joint, link and controller
 * names), configured only through files and parameters: behaviour cloning from its scripted expert
 * ({@code train bc --urdf}), the expert driving sim_arm through ROS, and the cloned policy served
 * by policy_server to sim_arm through ROS.
 */
class SecondArmOverRosTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path URDF = ROOT.resolve("urdf/lab6_arm.urdf");
    static final Path CONTROLLERS = ROOT.resolve("urdf/lab6_controllers.yaml");

    @TempDir
    static Path dir;
    static Path trained;
    static double inProcessSuccess;

    @BeforeAll
    static void cloneTheExpertOnLab6() throws Exception {
        System.setProperty("teachlearn.home", ROOT.toString());
        Path out = dir.resolve("bc-lab6");
        TrainCommand.train(List.of("bc", "--urdf", URDF.toString(), "--demos", "50", "--epochs", "100", "--eval-episodes", "20",
                "--out", out.toString()));
        trained = out.resolve("policy.onnx");
        String summary = Files.readString(out.resolve("summary.txt"));
        Matcher m = Pattern.compile("evaluation ([0-9.]+)% success").matcher(summary);
        assertTrue(m.find(), summary);
        inProcessSuccess = Double.parseDouble(m.group(1));
        System.out.println("lab6_arm: " + summary.strip());
    }

    /** The arm's controllers as `rosparam load urdf/lab6_controllers.yaml` sets them. */
    @SuppressWarnings("unchecked")
    static void loadControllers(Node node) throws Exception {
        Map<String, Object> yaml = (Map<String, Object>) LaunchValues.yaml(Files.readString(CONTROLLERS));
        for (var e : yaml.entrySet()) node.params().set("/" + e.getKey(), e.getValue());
    }

    static final String[] ARM = {"_urdf:=" + URDF, "_arm_controller:=arm_position_controller",
        "_gripper_controller:=gripper_position_controller"};

    static String[] args(String... more) {
        String[] all = new String[ARM.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(ARM, 0, all, more.length, ARM.length);
        return all;
    }

    /** Runs sim_arm on lab6 with {@code driver} started on the same master; the fraction of {@code episodes} that succeed. */
    static long successes(String what, int episodes, Driver driver, String... simArgs) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args("_lockstep:=true", "_task:=reach", "_seed:=900000")),
                    java.util.Arrays.stream(simArgs)).toArray(String[]::new);
            Node sim = node("sim_arm", master.uri(), all);
            loadControllers(sim);
            Thread loop = new SimArm(sim).start();
            Node peer = driver.start(master);
            Node listener = node("listener", master.uri());
            List<Boolean> outcomes = new CopyOnWriteArrayList<>();
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                if (m.done) outcomes.add(m.success);
            });
            try {
                long t0 = System.nanoTime();
                RosPeers.waitUntil(() -> outcomes.size() >= episodes, 120, episodes + " reach episodes of lab6_arm driven by " + what);
                long ok = outcomes.stream().limit(episodes).filter(b -> b).count();
                System.out.printf("lab6_arm: %s: %d of %d reach episodes succeeded through ROS in %.1f s%n", what, ok, episodes,
                        (System.nanoTime() - t0) / 1e9);
                return ok;
            } finally {
                listener.shutdown("test over");
                peer.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    interface Driver {
        Node start(Master master) throws Exception;
    }

    @Test
    void behaviourCloningLearnsLab6InProcess() {
        assertTrue(inProcessSuccess >= 90, "BC on lab6_arm: " + inProcessSuccess + " % in process");
    }

    @Test
    void theScriptedExpertDrivesLab6ThroughRos() throws Exception {
        long ok = successes("the expert node", 10, master -> {
            Node expert = node("expert", master.uri(), args("_task:=reach", "_drive:=true"));
            new ExpertNode(expert);
            return expert;
        });
        assertTrue(ok >= 9, "the expert reached in " + ok + " of 10 episodes");
    }

    @Test
    void aRevoluteGripperIsCalibratedOnBothSides(@TempDir Path tmp) throws Exception {
        // lab6 with Robotiq-style knuckles (0 rad open, 0.8 rad closed), the policy trained on the prismatic one
        String xml = Files.readString(URDF);
        for (String side : new String[] {"left", "right"}) {
            xml = xml.replace("<joint name=\"gripper_" + side + "_finger_joint\" type=\"prismatic\">",
                    "<joint name=\"gripper_" + side + "_finger_joint\" type=\"revolute\">");
        }
        xml = xml.replace("lower=\"0.0\" upper=\"0.0425\" effort=\"40\" velocity=\"0.15\"", "lower=\"0.0\" upper=\"0.8\" effort=\"5\" velocity=\"2.0\"");
        Path knuckle = tmp.resolve("knuckle_arm.urdf");
        Files.writeString(knuckle, xml);
        Files.copy(ROOT.resolve("urdf/lab6_arm.srdf"), tmp.resolve("knuckle_arm.srdf"));
        String[] calibration = {"_urdf:=" + knuckle, "_gripper_closed_position:=0.8", "_gripper_open_position:=0.0"};
        List<Double> commanded = new CopyOnWriteArrayList<>();
        long ok = successes("policy_server on knuckles", 10, master -> {
            Node server = node("policy_server", master.uri(), java.util.stream.Stream.concat(java.util.Arrays.stream(args("_model:=" + trained)),
                    java.util.Arrays.stream(calibration)).toArray(String[]::new));
            new PolicyServer(server);
            server.subscribe("gripper_position_controller/command", org.teachlearn.msgs.std_msgs.Float64MultiArray.TYPE, 100,
                    m -> commanded.add(m.data[0]));
            return server;
        }, calibration);
        assertTrue(ok >= 8, "the cloned policy reached in " + ok + " of 10 episodes on knuckles");
        double mean = commanded.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        System.out.printf("lab6_arm with knuckles: %d gripper commands, mean %.4f rad (open is 0 rad, closed 0.8)%n", commanded.size(), mean);
        assertTrue(commanded.size() > 100 && mean >= 0 && mean < 0.1, "the policy's open gripper (0.0425 m) goes out as the knuckle's 0 rad: mean " + mean);
    }

    @Test
    void theClonedPolicyIsServedToLab6ThroughRos() throws Exception {
        long ok = successes("policy_server", 20, master -> {
            Node server = node("policy_server", master.uri(), args("_model:=" + trained));
            new PolicyServer(server);
            return server;
        });
        assertTrue(ok >= 17, "the cloned policy reached in " + ok + " of 20 episodes through ROS");
    }
}
