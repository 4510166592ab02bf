package org.teachlearn.nodes.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/** Our graph command line prints what rostopic, rosnode, rosservice and rosparam print, on Debian's roscore. */
class GraphCommandTest {

    @Test
    void listsAndParametersMatchTheRosTools() throws Exception {
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri)) {
            String master = "__master:=" + uri[0];
            Node talker = Node.start(NodeArgs.parse("talker", new String[] {master}));
            talker.advertise("/chatter", org.teachlearn.msgs.std_msgs.String.TYPE);
            talker.subscribe("/heard", org.teachlearn.msgs.std_msgs.String.TYPE, 10, m -> { });
            try {
                ours("param", "set", "/demo/gain", "2.5", master);
                ours("param", "set", "/demo/name", "arm", master);
                assertEquals(ros(uri[0], "rostopic", "list"), ours("topic", "list", master));
                assertEquals(ros(uri[0], "rosnode", "list"), ours("node", "list", master));
                assertEquals(ros(uri[0], "rosservice", "list"), ours("service", "list", master));
                assertEquals(ros(uri[0], "rosparam", "list"), ours("param", "list", master));
                assertEquals(ros(uri[0], "rosparam", "get", "/demo/gain"), ours("param", "get", "/demo/gain", master));
                assertEquals(ros(uri[0], "rosparam", "get", "/demo/name"), ours("param", "get", "/demo/name", master));
                assertEquals(ros(uri[0], "rosparam", "get", "/demo"), ours("param", "get", "/demo", master));
                ours("param", "delete", "/demo/name", master);
                assertEquals(ros(uri[0], "rosparam", "list"), ours("param", "list", master));
            } finally {
                talker.shutdown("test over");
            }
        }
    }

    private static String ours(String tool, String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            GraphCommand.run(tool, List.of(args));
        } finally {
            System.setOut(old);
        }
        return out.toString().strip();
    }

    private static String ros(URI master, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ROS_MASTER_URI", master.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
