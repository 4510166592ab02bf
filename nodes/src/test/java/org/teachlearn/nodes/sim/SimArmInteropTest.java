package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/** sim_arm in lockstep under Debian's roscore, driven by a rospy client (docs/nodes.md §2, §7). */
class SimArmInteropTest {

    @Test
    void lockstepAnswersEveryCommandWithOneStateAndResetsAfterDone() throws Exception {
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri)) {
            Node node = Node.start(NodeArgs.parse("sim_arm", new String[] {"__master:=" + uri[0], "_lockstep:=true",
                "_task:=reach", "_urdf:=../urdf/teach_arm.urdf"}));
            Thread loop = new SimArm(node).start();
            try {
                String out = Peer.run(uri[0], 180, RosPeers.PYTHON, Path.of("src/test/peers/lockstep_client.py").toAbsolutePath().toString(),
                        Path.of("..").toAbsolutePath().normalize().toString());
                assertLine(out, "reset ok True episode 1");
                assertLine(out, "after reset step 0 episode 1 done False goal 3");
                assertLine(out, "states while waiting 1");
                assertLine(out, "joint_states paired True");
                for (int i = 0; i < 5; i++) assertLine(out, "command " + i + " states 1 step " + (i + 1));
                assertLine(out, "stamp step ns 10000000");
                assertLine(out, "bad command states 1 refused reported True");
                assertLine(out, "done at step 300 truncated True success False");
                assertLine(out, "after done step 0 episode 2 previous episode 1");
                assertLine(out, "deterministic True moved True");
            } finally {
                node.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    private static void assertLine(String out, String line) {
        assertTrue(out.lines().anyMatch(line::equals), "expected the line '" + line + "' from the rospy client; it printed:\n" + out);
    }
}
