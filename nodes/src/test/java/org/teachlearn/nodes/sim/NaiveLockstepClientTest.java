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
        String cpp = buildCpp("naive_lockstep");
        String[] py = {"/usr/bin/python3", Path.of("src/test/peers/naive_lockstep.py").toAbsolutePath().toString()};
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=11", "_urdf:=../urdf/teach_arm.urdf");
            Thread loop = new SimArm(sim).start();
            try {
                for (int start = 0; start < 6; start++) {
                    run(master, "rospy", 300, py);
                    run(master, "roscpp", 300, new String[] {cpp});
                }
                // one longer run each (the rates are bench clients' figure; here they are only printed)
                double pyRate = run(master, "rospy", 1500, py);
                double c = run(master, "roscpp", 3000, new String[] {cpp});
                System.out.printf("naive lockstep clients: rospy %.0f steps/s over 1,500, roscpp %.0f steps/s over 3,000; 12 starts, none deadlocked%n", pyRate, c);
            } finally {
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /** Runs a naive client ({@code client STEPS 30 modeArgs...}) for {@code steps} states (30 s at most); returns its steps per second. */
    static double run(Master master, String what, int steps, String[] client, String... modeArgs) throws Exception {
        String out = output(master, what, steps, client, modeArgs);
        Matcher m = ANSWERED.matcher(out);
        assertTrue(m.find(), what + " printed: " + out);
        return Integer.parseInt(m.group(1)) / Double.parseDouble(m.group(2));
    }

    /** Runs a naive client for {@code steps} states (30 s at most) and checks it answered them all; returns what it printed. */
    static String output(Master master, String what, int steps, String[] client, String... modeArgs) throws Exception {
        String[] cmd = java.util.Arrays.copyOf(client, client.length + 2 + modeArgs.length);
        cmd[client.length] = Integer.toString(steps);
        cmd[client.length + 1] = "30";
        System.arraycopy(modeArgs, 0, cmd, client.length + 2, modeArgs.length);
        String out = exec(master, cmd);
        Matcher m = ANSWERED.matcher(out);
        assertTrue(m.find(), what + " printed: " + out);
        int answered = Integer.parseInt(m.group(1));
        assertTrue(answered >= steps, "the naive " + what + " client answered only " + answered + " of " + steps + " states in 30 s: deadlocked");
        return out;
    }

    /** Runs a peer program against {@code master}; it must exit with 0. Returns what it printed. */
    static String exec(Master master, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ROS_MASTER_URI", master.uri().toString());
        pb.environment().put("ROS_IP", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), cmd[0] + ": " + out);
        return out;
    }

    /** Builds the roscpp peer {@code src/test/peers/NAME.cpp} into target/peers; returns the program's path. */
    static String buildCpp(String name) throws Exception {
        Path bin = Path.of("target/peers/" + name).toAbsolutePath(), source = Path.of("src/test/peers/" + name + ".cpp");
        if (Files.exists(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(source)) > 0) return bin.toString();
        Files.createDirectories(bin.getParent());
        Process p = new ProcessBuilder("bash", "-c", "g++ -O2 -o '" + bin + "' src/test/peers/" + name + ".cpp "
                + "$(pkg-config --cflags --libs roscpp std_msgs sensor_msgs trajectory_msgs)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "building the roscpp client failed (is libroscpp-dev installed?):\n" + out);
        return bin.toString();
    }
}
