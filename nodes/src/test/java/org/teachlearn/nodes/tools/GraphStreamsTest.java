package org.teachlearn.nodes.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.geometry_msgs.Point;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.std_msgs.MultiArrayDimension;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectoryPoint;
import org.teachlearn.nodes.Main;
import org.teachlearn.ros.message.Duration;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * topic echo|pub|hz|bw, node info|kill, service info|call and param load|dump print what
 * rostopic, rosnode, rosservice and rosparam print, on Debian's roscore.
 */
class GraphStreamsTest {

    @TempDir
    Path dir;

    @Test
    void echoPrintsWhatRostopicPrints() throws Exception {
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri); Node n = Node.start(NodeArgs.parse("jecho", new String[] {"__master:=" + uri[0]}))) {
            JointState js = new JointState();
            js.header.seq = 7;
            js.header.stamp.secs = 12;
            js.header.stamp.nsecs = 5;
            js.header.frame_id = "base link";
            js.name = new java.lang.String[] {"arm_joint1", "yes", "1.5", "", "it's", "a: b", "é"};
            js.position = new double[] {0.1, -0.0, 1e-7, 1e20, 123456789.125, 2.5e-5, 3};
            js.velocity = new double[0];
            n.advertise("/js", JointState.TYPE, 1, true).publish(js);
            JointTrajectory traj = new JointTrajectory();
            traj.joint_names = new java.lang.String[] {"a", "b"};
            JointTrajectoryPoint p = new JointTrajectoryPoint();
            p.positions = new double[] {1, 2};
            p.time_from_start = new Duration(1, 500);
            traj.points = new JointTrajectoryPoint[] {p, new JointTrajectoryPoint()};
            n.advertise("/traj", JointTrajectory.TYPE, 1, true).publish(traj);
            org.teachlearn.msgs.std_msgs.String text = new org.teachlearn.msgs.std_msgs.String();
            text.data = "tab\there \"quoted\" back\\slash ü";
            n.advertise("/text", org.teachlearn.msgs.std_msgs.String.TYPE, 1, true).publish(text);
            Float64MultiArray arr = new Float64MultiArray();
            MultiArrayDimension d = new MultiArrayDimension();
            d.label = "rows";
            d.size = 2;
            d.stride = 2;
            arr.layout.dim = new MultiArrayDimension[] {d};
            arr.data = new double[] {0.5, 1.0 / 3};
            n.advertise("/arr", Float64MultiArray.TYPE, 1, true).publish(arr);
            String master = "__master:=" + uri[0];
            for (String topic : List.of("/js", "/traj", "/text", "/arr", "/js/position", "/traj/points")) {
                assertEquals(ros(uri[0], "rostopic", "echo", "-n", "1", topic), ours("topic", "echo", "-n", "1", topic, master), topic);
            }
        }
    }

    @Test
    void pubHzBwAndParamsWorkLikeTheRosTools() throws Exception {
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri); Node n = Node.start(NodeArgs.parse("jsink", new String[] {"__master:=" + uri[0]}))) {
            String master = "__master:=" + uri[0];
            List<String> heard = new CopyOnWriteArrayList<>();
            List<double[]> points = new CopyOnWriteArrayList<>();
            n.subscribe("/in", org.teachlearn.msgs.std_msgs.String.TYPE, 10, m -> heard.add(m.data));
            n.subscribe("/pt", Point.TYPE, 10, m -> points.add(new double[] {m.x, m.y, m.z}));
            ours("topic", "pub", "-1", "/in", "std_msgs/String", "data: from ours", master);
            ours("topic", "pub", "-1", "/pt", "geometry_msgs/Point", "1", "2.5", "-3", master);
            RosPeers.waitUntil(() -> heard.contains("from ours") && !points.isEmpty(), 10, "our published messages");
            assertEquals(List.of(1.0, 2.5, -3.0), List.of(points.get(0)[0], points.get(0)[1], points.get(0)[2]));

            try (Peer pub = Peer.start(uri[0], java("topic", "pub", "-r", "50", "/rate", "std_msgs/String", "data: x"));
                    Peer hz = Peer.start(uri[0], java("topic", "hz", "/rate"));
                    Peer rosHz = Peer.start(uri[0], RosPeers.tool("rostopic"), "hz", "/rate");
                    Peer bw = Peer.start(uri[0], java("topic", "bw", "/rate"))) {
                hz.awaitLine("subscribed to [/rate]", 30);
                double ours = rate(hz.awaitLine(l -> l.startsWith("average rate") && hz.lines().stream().filter(x -> x.startsWith("average rate")).count() >= 3, 40));
                double theirs = rate(rosHz.awaitLine(l -> l.startsWith("average rate") && rosHz.lines().stream().filter(x -> x.startsWith("average rate")).count() >= 3, 40));
                assertTrue(Math.abs(ours - 50) < 8 && Math.abs(theirs - 50) < 8, "hz: ours " + ours + ", rostopic " + theirs);
                String line = hz.lines().stream().filter(l -> l.contains("min:")).findFirst().orElseThrow();
                assertTrue(line.matches("\tmin: \\d+\\.\\d{3}s max: \\d+\\.\\d{3}s std dev: \\d+\\.\\d{5}s window: \\d+"), line);
                String bwLine = bw.awaitLine(l -> l.startsWith("average: "), 30);
                assertTrue(bwLine.matches("average: \\d+\\.\\d{2}B/s"), bwLine);
                assertTrue(bw.awaitLine(l -> l.startsWith("\tmean: "), 10).startsWith("\tmean: 5.00B min: 5.00B max: 5.00B window: "));
            }

            Path yaml = dir.resolve("gains.yaml");
            Files.writeString(yaml, "p: 1.5\nlimits: {lower: -1, upper: 1}\nnames: [a, b]\n");
            ours("param", "load", yaml.toString(), "/ctrl", master);
            assertEquals(ros(uri[0], "rosparam", "get", "/ctrl"), ours("param", "get", "/ctrl", master));
            Path dumped = dir.resolve("dump.yaml");
            ours("param", "dump", dumped.toString(), "/ctrl", master);
            assertEquals(org.teachlearn.ros.launch.LaunchValues.yaml(ros(uri[0], "rosparam", "get", "/ctrl")),
                    org.teachlearn.ros.launch.LaunchValues.yaml(Files.readString(dumped)));
        }
    }

    @Test
    void nodeAndServiceCommandsMatchRosnodeAndRosservice() throws Exception {
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri); Node n = Node.start(NodeArgs.parse("jsvc", new String[] {"__master:=" + uri[0]}))) {
            String master = "__master:=" + uri[0];
            List<Boolean> calls = new CopyOnWriteArrayList<>();
            n.advertiseService("/switch", SetBool.TYPE, (q, r) -> {
                calls.add(q.data);
                r.success = q.data;
                r.message = q.data ? "switched on" : "switched off";
            });
            n.advertise("/out", org.teachlearn.msgs.std_msgs.String.TYPE);
            assertEquals(ros(uri[0], "rosservice", "info", "/switch"), ours("service", "info", "/switch", master));
            assertEquals(ros(uri[0], "rosservice", "type", "/switch"), ours("service", "type", "/switch", master));
            assertEquals(ros(uri[0], "rosservice", "call", "/switch", "data: true"), ours("service", "call", "/switch", "data: true", master));
            assertEquals(ros(uri[0], "rosservice", "call", "/switch", "false"), ours("service", "call", "/switch", "false", master));
            assertEquals(List.of(true, true, false, false), calls);
            String theirs = ros(uri[0], "rosnode", "info", "/jsvc"), mine = ours("node", "info", "/jsvc", master);
            assertEquals(theirs.substring(0, theirs.indexOf("Connections:")), mine.substring(0, mine.indexOf("Connections:")));
            ours("node", "kill", "/jsvc", master);
            RosPeers.waitUntil(n::isShutdown, 10, "node kill to shut the node down");
        }
    }

    private static double rate(String line) {
        Matcher m = Pattern.compile("average rate: ([0-9.]+)").matcher(line);
        assertTrue(m.find(), line);
        return Double.parseDouble(m.group(1));
    }

    private static String[] java(String... args) {
        String[] head = {Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()};
        String[] cmd = java.util.Arrays.copyOf(head, head.length + args.length);
        System.arraycopy(args, 0, cmd, head.length, args.length);
        return cmd;
    }

    private static String ours(String tool, String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, "UTF-8"));
        try {
            GraphCommand.run(tool, List.of(args));
        } finally {
            System.setOut(old);
        }
        return out.toString("UTF-8").strip();
    }

    private static String ros(URI master, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ROS_MASTER_URI", master.toString());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
