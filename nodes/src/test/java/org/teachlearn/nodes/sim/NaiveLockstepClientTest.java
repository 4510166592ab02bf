package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Lockstep as a stranger drives it: a rospy and a roscpp client that answer every joint_states
 * with an arm command at once, without waiting for connections. Their first command goes out
 * before their publisher has connected and is lost; sim_arm sends the pending state again once the
 * publisher connects, so neither deadlocks. Each client is started again and again against the
 * same sim_arm, which is the race every time.
 */
class NaiveLockstepClientTest {

    static final Pattern ANSWERED = Pattern.compile("answered (\\d+) states in ([\\d.]+) s");

    @Test
    void naiveRospyAndRoscppClientsNeverDeadlockLockstep() throws Exception {
        String cpp = buildCppClient();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=11", "_urdf:=../urdf/teach_arm.urdf");
            Thread loop = new SimArm(sim).start();
            try {
                for (int start = 0; start < 6; start++) {
                    run(master, "rospy", 300, new String[] {"/usr/bin/python3", Path.of("src/test/peers/naive_lockstep.py").toAbsolutePath().toString()});
                    run(master, "roscpp", 300, new String[] {cpp});
                }
                double py = run(master, "rospy", 5000, new String[] {"/usr/bin/python3", Path.of("src/test/peers/naive_lockstep.py").toAbsolutePath().toString()});
                double c = run(master, "roscpp", 10_000, new String[] {cpp});
                System.out.printf("naive lockstep clients: rospy %.0f steps/s over 5,000, roscpp %.0f steps/s over 10,000; 12 starts, none deadlocked%n", py, c);
            } finally {
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /** Runs a client for {@code steps} states (30 s at most); returns its steps per second. */
    private static double run(Master master, String what, int steps, String[] command) throws Exception {
        String[] cmd = java.util.Arrays.copyOf(command, command.length + 2);
        cmd[command.length] = Integer.toString(steps);
        cmd[command.length + 1] = "30";
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ROS_MASTER_URI", master.uri().toString());
        pb.environment().put("ROS_IP", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), what + ": " + out);
        Matcher m = ANSWERED.matcher(out);
        assertTrue(m.find(), what + " printed: " + out);
        int answered = Integer.parseInt(m.group(1));
        assertTrue(answered >= steps, "the naive " + what + " client answered only " + answered + " of " + steps + " states in 30 s: deadlocked");
        return answered / Double.parseDouble(m.group(2));
    }

    private static String buildCppClient() throws Exception {
        Path bin = Path.of("target/peers/naive_lockstep").toAbsolutePath();
        Files.createDirectories(bin.getParent());
        Process p = new ProcessBuilder("bash", "-c", "g++ -O2 -o '" + bin + "' src/test/peers/naive_lockstep.cpp "
                + "$(pkg-config --cflags --libs roscpp std_msgs sensor_msgs)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "building the roscpp client failed (is libroscpp-dev installed?):\n" + out);
        return bin.toString();
    }
}
