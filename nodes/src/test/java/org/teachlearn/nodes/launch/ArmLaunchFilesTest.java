package org.teachlearn.nodes.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.nodes.Main;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.Transmission;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.launch.LaunchConfig;
import org.teachlearn.ros.launch.LaunchLoader;
import org.teachlearn.ros.launch.LaunchNode;
import org.teachlearn.ros.launch.LaunchValues;
import org.teachlearn.ros.launch.RosPackages;
import org.teachlearn.ros.testing.RosPeers;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * launch/real_arm.launch and launch/gazebo.launch, where Gazebo and ros_control are not installed:
 * Debian's {@code roslaunch --nodes} and {@code --dump-params} accept them and ours gives the same
 * nodes and parameters; gazebo.launch's include of gazebo_ros fails with a message that names it;
 * the URDF carries the transmissions and the plugin that gazebo_ros_control reads.
 */
class ArmLaunchFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path REAL_ARM = ROOT.resolve("launch/real_arm.launch");
    private static final Path GAZEBO = ROOT.resolve("launch/gazebo.launch");
    private static final Path URDF = ROOT.resolve("urdf/teach_arm.urdf");
    private static final Path CONTROLLERS = ROOT.resolve("urdf/controllers.yaml");

    @TempDir
    Path home;

    private record Result(int exit, String out, String err) {
    }

    private Result run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ROS_PACKAGE_PATH", ROOT.toString());
        pb.environment().put("ROS_HOME", home.toString());
        pb.environment().put("ROS_IP", "127.0.0.1");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + command);
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private Result roslaunch(String option, Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RosPeers.tool("roslaunch"), option, file.toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    private Result ours(String option, Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-Xmx256m", "-Dteachlearn.home=" + ROOT, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "launch", option,
                file.toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    private interface Run {
        Result call() throws Exception;
    }

    // a thread per run (the common pool has one thread on two cores); they only wait on their processes
    private static final java.util.concurrent.Executor RUNS = r -> {
        Thread t = new Thread(r, "launch-run");
        t.setDaemon(true);
        t.start();
    };

    private static java.util.concurrent.CompletableFuture<Result> later(Run run) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return run.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, RUNS);
    }

    /** What {@code launch --nodes} or {@code --dump-params} prints for {@code file}, loaded in this JVM with the environment the commands get. */
    private Result loaded(String option, Path file, String... args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) a.put(arg.substring(0, arg.indexOf(":=")), arg.substring(arg.indexOf(":=") + 2));
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("ROS_PACKAGE_PATH", ROOT.toString());
        env.put("ROS_HOME", home.toString());
        env.put("ROS_IP", "127.0.0.1");
        LaunchConfig config = LaunchLoader.load(file, a, new RosPackages(ROOT.toString()).withFallback("teach_learn", ROOT), env);
        StringBuilder out = new StringBuilder();
        if (option.equals("--dump-params")) out.append(LaunchValues.toYaml(new TreeMap<>(config.params)));
        else for (LaunchNode n : config.nodes) out.append(n.fullName()).append('\n');
        return new Result(0, out.toString(), String.join("\n", config.warnings));
    }

    @Test
    void ourCommandPrintsWhatItsLoaderLoads() throws Exception {
        String[] args = {"sim:=false", "dir:=/tmp/demos"};
        Path teach = ROOT.resolve("launch/teach_drag.launch");
        for (String option : List.of("--nodes", "--dump-params")) {
            Result command = ours(option, teach, args), loader = loaded(option, teach, args);
            assertEquals(0, command.exit(), command.err());
            assertEquals(loader.out(), command.out(), "launch " + option + " prints what its loader loads");
        }
    }

    /** The nodes and parameters Debian's roslaunch prints for {@code file}; ours must print the same. */
    private Map<String, Object> sameUnderBoth(Path file, List<String> nodes, String... args) throws Exception {
        // the four runs are independent: side by side they take the time of the slowest, not of all four
        // ours is loaded in this JVM, as `launch --nodes|--dump-params` loads it (the command's own output is
        // compared with this once, in ourCommandPrintsWhatItsLoaderLoads): a JVM start per case would double the test
        var pending = List.of(later(() -> roslaunch("--nodes", file, args)), later(() -> roslaunch("--dump-params", file, args)));
        Result ourNodes = loaded("--nodes", file, args), ourParams = loaded("--dump-params", file, args);
        Result debianNodes = pending.get(0).get(), debianParams = pending.get(1).get();
        assertEquals(0, debianNodes.exit(), "roslaunch --nodes " + file + ":\n" + debianNodes.out() + debianNodes.err());
        assertEquals(0, debianParams.exit(), "roslaunch --dump-params " + file + ":\n" + debianParams.out() + debianParams.err());
        assertEquals(nodes, lines(debianNodes.out()), "roslaunch --nodes");
        assertEquals(0, ourNodes.exit(), ourNodes.err());
        assertEquals(0, ourParams.exit(), ourParams.err());
        assertEquals(nodes, lines(ourNodes.out()), "our --nodes");
        Map<String, Object> debian = params(debianParams.out());
        debian.remove("/rosversion");   // roslaunch adds roscore's own two
        debian.remove("/rosdistro");
        assertEquals(debian, params(ourParams.out()), "parameters of " + file.getFileName() + " " + Arrays.toString(args));
        return debian;
    }

    private static List<String> lines(String s) {
        return Arrays.stream(s.strip().split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(String yaml) {
        return new TreeMap<>((Map<String, Object>) LaunchValues.yaml(yaml));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> controllersYaml() throws Exception {
        return (Map<String, Object>) LaunchValues.yaml(Files.readString(CONTROLLERS));
    }

    @Test
    void viewLaunchGivesRoslaunchsNodesAndParameters() throws Exception {
        Path view = ROOT.resolve("launch/view.launch");
        Map<String, Object> defaults = sameUnderBoth(view, List.of("/robot_state_publisher", "/rviz"));
        assertEquals(Map.of("/robot_description", Files.readString(URDF)), defaults);
        Map<String, Object> p = sameUnderBoth(view, List.of("/sim_arm", "/robot_state_publisher"), "sim:=true", "task:=pick_place",
                "rviz:=false");
        assertEquals("pick_place", p.get("/sim_arm/task"));
    }

    @Test
    void serveLaunchTakesAnotherArmsUrdfAndControllers() throws Exception {
        Path serve = ROOT.resolve("launch/serve.launch");
        Path lab6 = ROOT.resolve("urdf/lab6_arm.urdf"), lab6Controllers = ROOT.resolve("urdf/lab6_controllers.yaml");
        Map<String, Object> p = sameUnderBoth(serve, List.of("/sim_arm", "/policy_server"), "model:=/tmp/policy.onnx", "urdf:=" + lab6,
                "controllers:=" + lab6Controllers, "arm_controller:=arm_position_controller", "gripper_controller:=gripper_position_controller");
        assertEquals(lab6.toString(), p.get("/sim_arm/urdf"));
        assertEquals(lab6.toString(), p.get("/policy_server/urdf"));
        assertEquals("arm_position_controller", p.get("/sim_arm/arm_controller"));
        assertEquals("gripper_position_controller", p.get("/policy_server/gripper_controller"));
        assertEquals(List.of("shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint", "wrist_1_joint", "wrist_2_joint", "wrist_3_joint"),
                p.get("/arm_position_controller/joints"));
        Map<String, Object> defaults = sameUnderBoth(serve, List.of("/sim_arm", "/policy_server"), "model:=/tmp/policy.onnx");
        assertEquals(List.of("finger_left_joint"), defaults.get("/gripper_controller/joints"));
    }

    @Test
    void teachDragLaunchGivesRoslaunchsNodesAndParameters() throws Exception {
        Path teach = ROOT.resolve("launch/teach_drag.launch");
        Map<String, Object> p = sameUnderBoth(teach, List.of("/sim_arm", "/drag_teach", "/recorder"), "dir:=/tmp/demos");
        assertEquals("admittance", p.get("/drag_teach/mode"));
        assertEquals("/tmp/demos", p.get("/recorder/dir"));
        assertEquals("drag_teach", p.get("/recorder/source"));
        assertEquals(true, p.get("/sim_arm/ft_sensor_raw"));
        assertEquals("effort_controllers/JointGroupPositionController", p.get("/arm_controller/type"));
        // gravity mode on the simulated arm: the arm controller becomes an effort controller; the simulated person comes too
        Map<String, Object> g = sameUnderBoth(teach, List.of("/sim_arm", "/drag_teach", "/recorder", "/virtual_teacher"), "dir:=/tmp/demos",
                "mode:=gravity", "teacher:=true", "demos:=7", "task:=pick_place");
        assertEquals("effort_controllers/JointGroupEffortController", g.get("/arm_controller/type"));
        assertEquals("gravity", g.get("/drag_teach/mode"));
        assertEquals(7, g.get("/virtual_teacher/demos"));
        assertEquals("pick_place", g.get("/recorder/task"));
        // a real arm: no simulator, the user's controller names
        Map<String, Object> r = sameUnderBoth(teach, List.of("/drag_teach", "/recorder"), "sim:=false", "dir:=/tmp/demos",
                "arm_controller:=my_position_controller");
        assertEquals("my_position_controller", r.get("/drag_teach/arm_controller"));
        assertEquals("my_position_controller", r.get("/recorder/arm_controller"));
    }

    @Test
    void teachVrLaunchGivesRoslaunchsNodesAndParameters() throws Exception {
        Path teach = ROOT.resolve("launch/teach_vr.launch");
        Map<String, Object> p = sameUnderBoth(teach, List.of("/sim_arm", "/vr_teleop", "/recorder"), "dir:=/tmp/demos");
        assertEquals("vr_teleop", p.get("/recorder/source"));
        assertEquals("/tmp/demos", p.get("/recorder/dir"));
        assertEquals(1.0, p.get("/vr_teleop/scale"));
        assertEquals(true, p.get("/vr_teleop/rotation"));
        // the simulated operator comes with operator:=true
        Map<String, Object> o = sameUnderBoth(teach, List.of("/sim_arm", "/vr_teleop", "/recorder", "/vr_operator"), "dir:=/tmp/demos",
                "operator:=true", "demos:=7", "scale:=0.5", "task:=pick_place");
        assertEquals(7, o.get("/vr_operator/demos"));
        assertEquals(0.5, o.get("/vr_operator/scale"));
        assertEquals(0.5, o.get("/vr_teleop/scale"));
        assertEquals("pick_place", o.get("/recorder/task"));
        // a real arm: no simulator, the user's controller names
        Map<String, Object> r = sameUnderBoth(teach, List.of("/vr_teleop", "/recorder"), "sim:=false", "dir:=/tmp/demos",
                "arm_controller:=my_position_controller");
        assertEquals("my_position_controller", r.get("/vr_teleop/arm_controller"));
        assertEquals("my_position_controller", r.get("/recorder/arm_controller"));
    }

    @Test
    void realArmLaunchGivesRoslaunchsNodesAndParameters() throws Exception {
        Map<String, Object> defaults = sameUnderBoth(REAL_ARM, List.of("/policy_server"));
        assertEquals(Map.of("/use_sim_time", false, "/policy_server/model", "", "/policy_server/lockstep", false,
                "/policy_server/arm_controller", "arm_controller", "/policy_server/gripper_controller", "gripper_controller",
                "/policy_server/rate", 0.0, "/policy_server/realtime_priority", 50, "/policy_server/max_velocity_scale", 0.5,
                "/policy_server/accept_updates", false, "/policy_server/version_pin", 0), defaults);

        Path gains = home.resolve("gains.yaml");
        Files.writeString(gains, "my_arm:\n  arm_joint1: {pid: {p: 100.0, i: 0.0, d: 1.0}}\n");
        Map<String, Object> p = sameUnderBoth(REAL_ARM, List.of("/controller_spawner", "/policy_server"), "model:=/tmp/policy.onnx",
                "arm_controller:=my_arm", "gripper_controller:=my_gripper", "arm_interface:=effort", "gripper_interface:=position",
                "arm_type:=JointTrajectoryController", "load_controllers:=true", "controllers:=" + gains, "spawn:=true", "description:=" + URDF, "rate:=500");
        assertEquals("effort_controllers/JointTrajectoryController", p.get("/my_arm/type"));
        assertEquals(List.of("arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"), p.get("/my_arm/joints"));
        assertEquals("position_controllers/JointGroupPositionController", p.get("/my_gripper/type"));
        assertEquals(List.of("finger_left_joint"), p.get("/my_gripper/joints"));
        assertEquals(100.0, p.get("/my_arm/arm_joint1/pid/p"));
        assertEquals("my_arm", p.get("/policy_server/arm_controller"));
        assertEquals("my_gripper", p.get("/policy_server/gripper_controller"));
        assertEquals(500.0, p.get("/policy_server/rate"));
        assertEquals(Files.readString(URDF), p.get("/robot_description"));
    }

    @Test
    void gazeboLaunchWithoutStartingGazeboGivesRoslaunchsNodesAndParameters() throws Exception {
        Map<String, Object> p = sameUnderBoth(GAZEBO, List.of("/spawn_teach_arm", "/controller_spawner", "/policy_server"),
                "start_gazebo:=false", "model:=/tmp/policy.onnx");
        assertEquals(true, p.get("/use_sim_time"));
        assertEquals(Files.readString(URDF), p.get("/robot_description"));
        assertEquals("/tmp/policy.onnx", p.get("/policy_server/model"));
        assertEquals(false, p.get("/policy_server/lockstep"));
        // The controllers the spawner starts and policy_server commands are the ones controllers.yaml configures.
        Map<String, Object> controllers = controllersYaml();
        for (String c : List.of("joint_state_controller", "arm_controller", "gripper_controller")) {
            assertTrue(controllers.containsKey(c), c + " in controllers.yaml");
            assertEquals(((Map<?, ?>) controllers.get(c)).get("type"), p.get("/" + c + "/type"));
        }
        assertEquals("arm_controller", p.get("/policy_server/arm_controller"));
        assertEquals("gripper_controller", p.get("/policy_server/gripper_controller"));
        assertEquals(600.0, p.get("/arm_controller/arm_joint1/pid/p"));
    }

    /**
     * With start_gazebo true (the default) the file includes $(find gazebo_ros)/launch/empty_world.launch. Debian ships no
     * gazebo_ros, so both launchers must stop there and say which package is missing; where gazebo_ros is installed the file
     * must load under both.
     */
    @Test
    void gazeboLaunchNeedsGazeboRosAndSaysSo() throws Exception {
        Result debian = roslaunch("--nodes", GAZEBO), ours = ours("--nodes", GAZEBO);
        if (Files.isRegularFile(Path.of("/usr/share/gazebo_ros/package.xml"))) {
            assertEquals(0, debian.exit(), debian.err());
            assertEquals(0, ours.exit(), ours.err());
            assertEquals(lines(debian.out()), lines(ours.out()));
            return;
        }
        assertNotEquals(0, debian.exit(), debian.out());
        assertTrue((debian.out() + debian.err()).contains("gazebo_ros"), debian.out() + debian.err());
        assertEquals(2, ours.exit(), ours.out() + ours.err());
        int line = lineOf(GAZEBO, "<include if=\"$(arg start_gazebo)\" file=\"$(find gazebo_ros)");
        assertTrue(ours.err().contains(GAZEBO + ":" + line + ": <include>: package 'gazebo_ros' not found on ROS_PACKAGE_PATH"), ours.err());
        assertTrue(ours.err().contains("install it, or add the folder that holds it to ROS_PACKAGE_PATH"), ours.err());
    }

    private static int lineOf(Path file, String start) throws Exception {
        List<String> all = Files.readAllLines(file);
        for (int i = 0; i < all.size(); i++) if (all.get(i).strip().startsWith(start)) return i + 1;
        throw new AssertionError(start + " not in " + file);
    }

    /**
     * gazebo_ros_control reads a SimpleTransmission per actuated joint, with the hardware interface the joint's controller
     * claims (effort_controllers: EffortJointInterface, position_controllers: PositionJointInterface), and is loaded by the
     * &lt;gazebo&gt; plugin block; our URDF parser still reads the file.
     */
    @Test
    void urdfCarriesWhatGazeboRosControlReads() throws Exception {
        RobotModel model = UrdfParser.parse(URDF);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(URDF)));
        Element robot = doc.getDocumentElement();

        Map<String, String> interfaceOf = new LinkedHashMap<>();
        for (Element t : children(robot, "transmission")) {
            assertEquals("transmission_interface/SimpleTransmission", text(children(t, "type").get(0)), t.getAttribute("name"));
            List<Element> joints = children(t, "joint"), actuators = children(t, "actuator");
            assertEquals(1, joints.size(), t.getAttribute("name") + ": one joint");
            assertEquals(1, actuators.size(), t.getAttribute("name") + ": one actuator");
            assertEquals("1", text(children(actuators.get(0), "mechanicalReduction").get(0)));
            assertEquals(null, interfaceOf.put(joints.get(0).getAttribute("name"), text(children(joints.get(0), "hardwareInterface").get(0))),
                    "one transmission per joint");
        }

        // Actuated: every movable joint that does not mimic another (Gazebo classic does not drive <mimic> joints).
        List<String> actuated = new ArrayList<>();
        for (Element j : children(robot, "joint")) {
            if (!j.getAttribute("type").equals("fixed") && children(j, "mimic").isEmpty()) actuated.add(j.getAttribute("name"));
        }
        assertEquals(actuated, List.copyOf(interfaceOf.keySet()), "a transmission for each actuated joint, none for others");
        Map<String, String> parsed = new LinkedHashMap<>();
        for (Transmission t : model.transmissions()) parsed.put(t.joints().get(0), t.hardwareInterfaces().get(0));
        assertEquals(interfaceOf, parsed, "our URDF parser reads the same transmissions");
        for (String joint : actuated) assertTrue(model.joint(joint).isMovable(), joint + " is movable in our parser's model");

        Map<String, Object> controllers = controllersYaml();
        List<String> controlled = new ArrayList<>();
        for (String c : List.of("arm_controller", "gripper_controller")) {
            Map<?, ?> config = (Map<?, ?>) controllers.get(c);
            String type = (String) config.get("type");
            String family = type.substring(0, type.indexOf('/'));
            String expected = switch (family) {
                case "effort_controllers" -> "hardware_interface/EffortJointInterface";
                case "position_controllers" -> "hardware_interface/PositionJointInterface";
                case "velocity_controllers" -> "hardware_interface/VelocityJointInterface";
                default -> throw new AssertionError("controller family " + family + " of " + c);
            };
            for (Object joint : (List<?>) config.get("joints")) {
                assertEquals(expected, interfaceOf.get(joint), joint + " of " + c + " (" + type + ")");
                controlled.add((String) joint);
            }
        }
        assertEquals(actuated, controlled, "every actuated joint has a controller in controllers.yaml");

        List<Element> plugins = new ArrayList<>();
        for (Element g : children(robot, "gazebo")) plugins.addAll(children(g, "plugin"));
        Element plugin = plugins.stream().filter(p -> p.getAttribute("name").equals("gazebo_ros_control")).findFirst()
                .orElseThrow(() -> new AssertionError("no <gazebo><plugin name=\"gazebo_ros_control\">"));
        assertEquals("libgazebo_ros_control.so", plugin.getAttribute("filename"));
        // The controllers are loaded at the root namespace (gazebo.launch), so the plugin's controller_manager must live there.
        assertEquals("/", text(children(plugin, "robotNamespace").get(0)));
        assertEquals("gazebo_ros_control/DefaultRobotHWSim", text(children(plugin, "robotSimType").get(0)),
                "the default hardware simulation is the one that reads these transmissions");
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) out.add(e);
        }
        return out;
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }
}
