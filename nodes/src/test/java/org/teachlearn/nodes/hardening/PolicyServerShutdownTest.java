package org.teachlearn.nodes.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The policy server leaves the arm holding however it is stopped: SIGTERM as a script sends it,
 * and {@code rosnode kill} from Debian's ROS tools. The test plays the arm, standing still at
 * {@link MalformedMessagesTest#REST} while the policy drives its targets away from it; the last
 * command must be that measured position.
 */
class PolicyServerShutdownTest {

    static final String URDF = MalformedMessagesTest.URDF;
    static final double[] REST = StillArm.REST;

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void aModel() throws Exception {
        MalformedMessagesTest.robot = UrdfParser.parse(Path.of(URDF));
        model = MalformedMessagesTest.constantModel(dir, 0.1);
    }

    @Test
    void sigtermLeavesTheArmHolding() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Process server = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                    PolicyServer.class.getName(), "__master:=" + master.uri(), "_model:=" + model, "_urdf:=" + URDF, "_lockstep:=false",
                    "_rate:=100", "_realtime_priority:=0").redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            try {
                List<double[]> commands = drive(master, () -> {
                    server.destroy();   // SIGTERM
                    assertTrue(server.waitFor(20, TimeUnit.SECONDS), "policy_server did not exit on SIGTERM");
                });
                assertHeld(commands);
            } finally {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void rosnodeKillLeavesTheArmHolding() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node serverNode = node("policy_server", master.uri(), "_model:=" + model, "_urdf:=" + URDF, "_lockstep:=false", "_rate:=100",
                    "_realtime_priority:=0");
            new PolicyServer(serverNode);
            List<double[]> commands = drive(master, () -> {
                ProcessBuilder pb = new ProcessBuilder(RosPeers.tool("rosnode"), "kill", "/policy_server").redirectErrorStream(true);
                pb.environment().put("ROS_MASTER_URI", master.uri().toString());
                Process kill = pb.start();
                String out = new String(kill.getInputStream().readAllBytes());
                assertEquals(0, kill.waitFor(), out);
                RosPeers.waitUntil(serverNode::isShutdown, 10, "rosnode kill to shut policy_server down");
            });
            assertHeld(commands);
        }
    }

    private interface Stop {
        void run() throws Exception;
    }

    /** Plays the arm at REST until the policy has moved its targets, stops the server, returns every command seen. */
    private static List<double[]> drive(Master master, Stop stop) throws Exception {
        Node node = node("arm", master.uri());
        try (StillArm arm = new StillArm(node)) {
            RosPeers.waitUntil(() -> arm.commands.size() >= 30, 60, "30 commands from policy_server");
            stop.run();
            Thread.sleep(300);
            return arm.commands;
        } finally {
            node.shutdown("test over");
        }
    }

    /** The policy moved the targets away from REST, and the last command is REST again: holding where the arm was measured. */
    private static void assertHeld(List<double[]> commands) {
        // the most the policy moved joint 1's target before the stop: on a loaded machine a stale reading just before it
        // makes a hold at the measured pose, from where the step limit lets the target move only 0.02 rad per tick again
        double moved = 0;
        for (int k = 0; k < commands.size() - 1; k++) moved = Math.max(moved, Math.abs(commands.get(k)[0] - REST[0]));
        double[] last = commands.get(commands.size() - 1);
        assertTrue(moved > 0.05, "the policy had not moved joint 1's target: at most " + moved + " from rest");
        for (int i = 0; i < REST.length; i++) assertEquals(REST[i], last[i], 1e-9, "joint " + (i + 1) + ": the last command holds the measured position");
    }
}
