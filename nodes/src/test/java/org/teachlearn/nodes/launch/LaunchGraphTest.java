package org.teachlearn.nodes.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.nodes.Main;
import org.teachlearn.ros.node.MasterClient;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * One launch file run by Debian's roslaunch (nodes through {@code nodes/bin}, as from a checkout on
 * ROS_PACKAGE_PATH) and by ours (embedded master, our nodes in its JVM, the rospy relay as a
 * process) gives the same nodes, topics and parameters; Ctrl-C stops everything; respawn and
 * required work.
 */
class LaunchGraphTest {

    private static final Path LAUNCH = Path.of("src/test/launch").toAbsolutePath();
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> NODES = Set.of("/arm1/listener", "/arm1/relay", "/arm1/talker", "/order/key_order", "/rosout", "/second/watcher",
        "/top/listener_5");
    /** rospy.get_param('~') of /order/key_order under Debian's roslaunch: rosparam children, the scope's ~params, then params. */
    private static final String KEY_ORDER = "{\"gains\": {\"p\": 1.0, \"i\": 0.2, \"d\": 0.01}, \"mode\": \"fast\", "
            + "\"limits\": {\"upper\": 2, \"lower\": -2}, \"from_scope\": \"scope\", \"alpha\": 2, \"zeta\": 3, \"beta\": {\"y\": 1, \"x\": 2}}";
    private static final Set<String> TOPICS = Set.of("/arm1/out", "/arm1/talk", "/rosout", "/rosout_agg", "/second/chatter", "/top/chatter");

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("ROS_PACKAGE_PATH", ROOT + ":" + LAUNCH, "TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path"),
                "ROS_HOME", home.toString());
    }

    private static String[] ours(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // as ./teach_learn starts it: with SIGINT at its default even when this test runs under a background job (which
        // ignores SIGINT, and a JVM never handles a signal ignored when it started)
        String[] head = {"env", "--default-signal=INT,TERM", java, "-XX:+UseSerialGC", "-Xmx256m", "-Dteachlearn.home=" + ROOT, "-cp",
            System.getProperty("java.class.path"), Main.class.getName()};
        String[] cmd = Arrays.copyOf(head, head.length + args.length);
        System.arraycopy(args, 0, cmd, head.length, args.length);
        return cmd;
    }

    /**
     * What rosnode list, rostopic list and the parameter server show, once the launch is up; {@code paramOrder} is every leaf of
     * the parameter tree in the master's order, {@code keyOrder} what rospy.get_param('~') gave key_order.
     */
    private record Graph(String nodes, String topics, Map<String, Object> params, List<String> paramOrder, String keyOrder, String relayed) {
    }

    private static Graph graph(URI master, Peer launch) throws Exception {
        RosPeers.waitUntil(() -> {
            if (!launch.isAlive()) throw new AssertionError("the launch ended early:\n" + launch.output());
            try {
                return lines(Peer.run(master, 30, RosPeers.tool("rosnode"), "list")).containsAll(NODES)
                        && lines(Peer.run(master, 30, RosPeers.tool("rostopic"), "list")).containsAll(TOPICS)
                        && Boolean.TRUE.equals(new MasterClient(master, "/test").call("hasParam", "/order/seen"));
            } catch (Exception | AssertionError e) {
                return false;   // the master is not up yet
            }
        }, 90, "every node and topic of graph.launch");
        String relayed = Peer.run(master, 30, RosPeers.tool("rostopic"), "echo", "-n", "1", "/arm1/out");
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) new MasterClient(master, "/test").call("getParam", "/");
        for (String roscoreOwn : List.of("run_id", "rosdistro", "rosversion", "roslaunch")) tree.remove(roscoreOwn);
        List<String> order = new ArrayList<>();
        leaves("/", tree, order);
        return new Graph(Peer.run(master, 30, RosPeers.tool("rosnode"), "list"), Peer.run(master, 30, RosPeers.tool("rostopic"), "list"),
                new TreeMap<>(tree), order, (String) ((Map<?, ?>) tree.get("order")).get("seen"), relayed);
    }

    /** The names of a parameter tree's leaves, in the tree's (the master's) order. */
    private static void leaves(String prefix, Map<?, ?> node, List<String> out) {
        node.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && !m.isEmpty()) leaves(prefix + k + "/", m, out);
            else out.add(prefix + k);
        });
    }

    private static Set<String> lines(String s) {
        return new TreeSet<>(Arrays.asList(s.strip().split("\n")));
    }

    @Test
    void ourLaunchGivesTheGraphOfRoslaunch() throws Exception {
        String file = LAUNCH.resolve("graph.launch").toString();
        Graph debian;
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri); Peer launch = Peer.start(uri[0], env(), RosPeers.tool("roslaunch"), file)) {
            debian = graph(uri[0], launch);
            launch.signal("INT");
            assertTrue(launch.waitFor(40), "roslaunch did not stop on Ctrl-C:\n" + launch.output());
        }
        URI mine = URI.create("http://127.0.0.1:" + RosPeers.freePort() + "/");
        Graph ours;
        try (Peer launch = Peer.start(mine, env(), ours("launch", file))) {
            ours = graph(mine, launch);
            List<ProcessHandle> children = launch.descendants();
            assertFalse(children.isEmpty(), "the rospy relay runs as a process of ours");
            launch.signal("INT");
            assertTrue(launch.waitFor(30), "our launch did not stop on Ctrl-C:\n" + launch.output());
            assertEquals(0, launch.exitValue(), launch.output());
            for (ProcessHandle c : children) assertFalse(c.isAlive(), "process " + c.pid() + " outlived the launch");
            assertFalse(answers(mine), "the embedded master is gone after Ctrl-C");
            String out = launch.output();
            assertTrue(out.contains("auto-starting a new master") && out.contains("SUMMARY") && out.contains("process[arm1-relay-1]: started with pid"), out);
        }
        System.out.println("launch graph (Debian roslaunch and ours):\n" + debian.nodes() + "\n" + debian.topics() + "\n" + debian.params().keySet());
        assertEquals(debian.nodes(), ours.nodes(), "rosnode list");
        assertEquals(debian.topics(), ours.topics(), "rostopic list");
        assertEquals(debian.params(), ours.params(), "parameters");
        assertEquals(KEY_ORDER, debian.keyOrder(), "rospy.get_param('~') under roslaunch");
        assertEquals(debian.keyOrder(), ours.keyOrder(), "rospy.get_param('~') under ours: the same keys in the same order");
        assertEquals(debian.paramOrder(), ours.paramOrder(), "the master's order of every parameter");
        assertTrue(debian.relayed().contains("relayed hi hello world"), debian.relayed());
        assertTrue(ours.relayed().contains("relayed hi hello world"), ours.relayed());
    }

    private static boolean answers(URI master) {
        try {
            new MasterClient(master, "/test").call("getPid");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void respawnRestartsANodeAndARequiredNodeEndsTheLaunch() throws Exception {
        URI mine = URI.create("http://127.0.0.1:" + RosPeers.freePort() + "/");
        try (Peer launch = Peer.start(mine, env(), ours("launch", LAUNCH.resolve("lifecycle.launch").toString()))) {
            launch.awaitLine(l -> l.contains("process[blinker-3]: started"), 30);
            launch.awaitLine(l -> l.contains("REQUIRED process [finisher-1] has died!"), 30);
            assertTrue(launch.waitFor(30), "the launch goes on after its required node ended:\n" + launch.output());
            String out = launch.output();
            assertTrue(out.contains("[blinker-1] process has finished cleanly"), out);
            assertTrue(out.contains("process[relay-1]: started with pid"), out);
            assertFalse(answers(mine), "the embedded master stops with the launch");
        }
    }

    @Test
    void errorsNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.launch");
        Files.writeString(bad, "<launch>\n  <arg name=\"a\" default=\"1\"/>\n\n  <node pkg=\"teach_learn\" type=\"talker\" name=\"t\" if=\"$(arg b)\"/>\n</launch>\n");
        try (Peer launch = Peer.start(URI.create("http://127.0.0.1:1/"), env(), ours("launch", bad.toString()))) {
            assertTrue(launch.waitFor(30));
            assertEquals(2, launch.exitValue());
            assertTrue(launch.output().contains(bad + ":4: <node>: arg 'b' is not defined"), launch.output());
        }
    }
}
