package org.teachlearn.ros.dynreconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.ros.dynreconf.ParameterSpec.EnumValue;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * A node's run-time parameters through dynamic_reconfigure's own tools (Debian's python3-dynamic-reconfigure)
 * under Debian's roscore: {@code rosrun dynamic_reconfigure dynparam set|get|list}, the Python
 * {@code dynamic_reconfigure.client.Client}, and hand-made requests a careless client sends.
 */
class ReconfigureInteropTest {

    /**
     * dynparam is a {@code #!/usr/bin/env python3} script: on a Debian machine that is /usr/bin/python3, the
     * Python with ROS; a developer's pyenv earlier on PATH would hide it.
     */
    static final Map<String, String> DEBIAN_PYTHON = Map.of("PATH", "/usr/bin:/bin:" + System.getenv("PATH"));
    static Peer roscore;
    static URI uri;

    @BeforeAll
    static void startRoscore() throws Exception {
        URI[] u = new URI[1];
        roscore = RosPeers.roscore(u);
        uri = u[0];
    }

    @AfterAll
    static void stopRoscore() {
        roscore.close();
    }

    static ReconfigureSpec spec() {
        return new ReconfigureSpec()
                .addDouble("gain", "how strongly to follow, 1/s", 1.0, 0.0, 10.0)
                .addInt("steps", "filter length", 10, 1, 100)
                .addBool("enabled", "act on commands", true)
                .addString("frame", "frame of the reading", "hand")
                .addIntEnum("mode", "how to move", 0, List.of(new EnumValue("Slow", 0, "careful"), new EnumValue("Fast", 2, "quick")));
    }

    /** Records every call; accepts what is asked except steps = 13, which it refuses. */
    static final class Recorder implements ReconfigureListener {
        final List<ReconfigureValues> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ReconfigureValues onReconfigure(ReconfigureValues requested, ReconfigureValues previous) {
            calls.add(requested);
            return requested.getInt("steps") == 13 ? requested.with("steps", previous.getInt("steps")) : requested;
        }
    }

    static String dynparam(int timeout, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = RosPeers.tool("rosrun");
        cmd[1] = "dynamic_reconfigure";
        cmd[2] = "dynparam";
        System.arraycopy(args, 0, cmd, 3, args.length);
        try (Peer p = Peer.start(uri, DEBIAN_PYTHON, cmd)) {
            assertTrue(p.waitFor(timeout), "dynparam " + String.join(" ", args) + " did not finish:\n" + p.output());
            assertEquals(0, p.exitValue(), "dynparam " + String.join(" ", args) + ":\n" + p.output());
            return p.output();
        }
    }

    static String peer(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = RosPeers.PYTHON;
        cmd[1] = Path.of("src/test/peers/dynreconf_peer.py").toAbsolutePath().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Peer.run(uri, 60, cmd);
    }

    static List<String> replies(String out) {
        return out.lines().filter(l -> l.startsWith("reply ")).map(l -> l.substring(6)).toList();
    }

    @Test
    void dynparamSetChangesTheValueCallsTheListenerAndWritesTheParameterBack() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jtuned", new String[0]).withMaster(uri))) {
            Recorder listener = new Recorder();
            ReconfigureServer server = ReconfigureServer.start(n, spec(), listener);
            assertTrue(listener.calls.isEmpty(), "the listener is not called at start");
            assertTrue(dynparam(30, "list").lines().anyMatch("/jtuned"::equals), "dynparam list names the node");

            dynparam(30, "set", "/jtuned", "gain", "2.5");
            assertEquals(1, listener.calls.size());
            assertEquals(2.5, listener.calls.get(0).getDouble("gain"));
            assertEquals(2.5, server.values().getDouble("gain"));
            assertEquals(10, server.values().getInt("steps"), "the rest stays");
            assertEquals(2.5, n.params().getDouble("~gain", -1), "written back to the parameter server");

            dynparam(30, "set", "/jtuned", "{'steps': 42, 'enabled': false, 'frame': 'tool0', 'mode': 'Fast'}");
            ReconfigureValues v = server.values();
            assertEquals(42, v.getInt("steps"));
            assertFalse(v.getBool("enabled"));
            assertEquals("tool0", v.getString("frame"));
            assertEquals(2, v.getInt("mode"), "an enum set by its name");
            assertEquals(false, n.params().getBool("~enabled", true));

            String got = dynparam(30, "get", "/jtuned");
            for (String expected : new String[] {"'gain': 2.5", "'steps': 42", "'enabled': False", "'frame': 'tool0'", "'mode': 2"}) {
                assertTrue(got.contains(expected), "dynparam get shows " + expected + ":\n" + got);
            }
            server.close();
        }
    }

    @Test
    void outOfRangeValuesAreClampedAndTheListenerMayRefuse() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jclamped", new String[0]).withMaster(uri))) {
            Recorder listener = new Recorder();
            ReconfigureServer server = ReconfigureServer.start(n, spec(), listener);
            dynparam(30, "set", "/jclamped", "gain", "1000");
            assertEquals(10.0, server.values().getDouble("gain"), "clamped to max");
            assertEquals(10.0, listener.calls.get(0).getDouble("gain"), "the listener sees the clamped value");
            dynparam(30, "set", "/jclamped", "steps", "-5");
            assertEquals(1, server.values().getInt("steps"), "clamped to min");
            assertTrue(dynparam(30, "get", "/jclamped").contains("'gain': 10.0"));

            dynparam(30, "set", "/jclamped", "steps", "13");
            assertEquals(1, server.values().getInt("steps"), "the listener's answer is what applies");
            assertEquals(1, n.params().getInt("~steps", -1));
            server.close();
        }
    }

    @Test
    void startValuesComeFromPrivateParametersClamped() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jstarted", new String[] {"_gain:=3", "_steps:=500", "_frame:=wrist",
                "_enabled:=not_a_bool"}).withMaster(uri))) {
            ReconfigureServer server = ReconfigureServer.start(n, spec(), (requested, previous) -> requested);
            ReconfigureValues v = server.values();
            assertEquals(3.0, v.getDouble("gain"), "an int parameter taken for a double");
            assertEquals(100, v.getInt("steps"), "clamped");
            assertEquals("wrist", v.getString("frame"));
            assertTrue(v.getBool("enabled"), "a wrong type falls back to the default");
            assertEquals(true, n.params().getBool("~enabled", false), "and the default is written back");
            String got = dynparam(30, "get", "/jstarted");
            assertTrue(got.contains("'gain': 3.0") && got.contains("'steps': 100") && got.contains("'frame': 'wrist'"), got);
            server.close();
        }
    }

    @Test
    void pythonClientUpdateConfigurationWorks() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jclient", new String[0]).withMaster(uri))) {
            Recorder listener = new Recorder();
            ReconfigureServer server = ReconfigureServer.start(n, spec(), listener);
            List<String> r = replies(peer("client", "/jclient", "{'gain': 0.25, 'enabled': 'false', 'steps': 7}"));
            assertEquals(List.of("{\"enabled\": false, \"frame\": \"hand\", \"gain\": 0.25, \"mode\": 0, \"steps\": 7}"), r);
            assertEquals(0.25, server.values().getDouble("gain"));
            assertEquals(7, server.values().getInt("steps"));
            assertFalse(server.values().getBool("enabled"));
            server.close();
        }
    }

    @Test
    void badRequestsAreIgnoredWithAWarningAndTheNodeGoesOn() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jcareless", new String[0]).withMaster(uri));
                Node watcher = Node.start(NodeArgs.parse("jrosout", new String[0]).withMaster(uri))) {
            List<String> rosout = Collections.synchronizedList(new ArrayList<>());
            watcher.subscribe("/rosout", Log.TYPE, m -> {
                if (m.name.equals("/jcareless")) rosout.add(m.msg);
            });
            Recorder listener = new Recorder();
            ReconfigureServer server = ReconfigureServer.start(n, spec(), listener);
            String unchanged = "{\"enabled\": true, \"frame\": \"hand\", \"gain\": 1.0, \"mode\": 0, \"steps\": 10}";
            List<String> r = replies(peer("raw", "/jcareless"));
            assertEquals(List.of(unchanged, unchanged, unchanged, unchanged,
                    "{\"enabled\": false, \"frame\": \"hand\", \"gain\": 4.0, \"mode\": 0, \"steps\": 10}",
                    "{\"enabled\": false, \"frame\": \"hand\", \"gain\": 4.0, \"mode\": 0, \"steps\": 10}"), r);

            // dynparam's own checks answer the user before anything is sent
            assertTrue(dynparam(30, "set", "/jcareless", "no_such", "1").contains("don't know parameter: no_such"));
            assertTrue(dynparam(30, "set", "/jcareless", "steps", "abc").contains("can't set parameter 'steps'"));
            // an int enum set to a number in range that is none of its choices keeps the value in force
            peer("client", "/jcareless", "{'mode': 2}");
            assertEquals(2, server.values().getInt("mode"));
            peer("client", "/jcareless", "{'mode': 1}");
            assertEquals(2, server.values().getInt("mode"));
            for (String said : new String[] {"unknown parameter 'no_such_parameter' ignored (parameters are: gain, steps, enabled, frame, mode)",
                    "parameter gain is a double, not a string (fast): ignored", "parameter gain = NaN is not a finite number: ignored",
                    "parameter steps is an int, not a double (2.5): ignored", "mode = 1 is none of [Slow=0, Fast=2]: kept 2"}) {
                waitUntil(() -> rosout.stream().anyMatch(l -> l.endsWith(said)), 10, "'" + said + "' on /rosout; it said " + rosout);
            }
            server.close();
        }
    }

    @Test
    void aListenerThatFailsKeepsTheValuesInForce() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jfailing", new String[0]).withMaster(uri))) {
            ReconfigureServer server = ReconfigureServer.start(n, spec(), (requested, previous) -> {
                if (requested.getDouble("gain") > 5) throw new IllegalStateException("too fast for now");
                return requested.getDouble("gain") > 4 ? null : requested;
            });
            dynparam(30, "set", "/jfailing", "gain", "6");
            assertEquals(1.0, server.values().getDouble("gain"));
            dynparam(30, "set", "/jfailing", "gain", "4.5");
            assertEquals(1.0, server.values().getDouble("gain"));
            dynparam(30, "set", "/jfailing", "gain", "3");
            assertEquals(3.0, server.values().getDouble("gain"), "and it still serves");
            assertTrue(dynparam(30, "get", "/jfailing").contains("'gain': 3.0"));
            server.close();
        }
    }
}
