package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.msgs.visualization_msgs.Marker;
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

    @Test
    void taskMarkersReachRospyAsVisualizationMsgsInTheBaseFrame() throws Exception {
        Markers m = markers("pick_place");
        String[] cube = line(m.out(), "marker cube ").split(" ");
        String[] target = line(m.out(), "marker target ").split(" ");
        assertEquals(Marker.CUBE, Integer.parseInt(cube[2]));
        assertEquals(Marker.SPHERE, Integer.parseInt(target[2]));
        assertEquals("arm_link0", cube[3]);
        assertEquals("arm_link0", target[3]);
        assertEquals(1.0, Double.parseDouble(target[9]), "a marker's orientation must be a unit quaternion");
        // the target stays put for the episode: the marker is exactly the goal's target
        for (int a = 0; a < 3; a++) assertEquals(m.goal()[4 + a], Double.parseDouble(target[4 + a]), "target " + m.out());
        // the cube rests on the table where the goal put it
        for (int a = 0; a < 3; a++) assertEquals(m.goal()[a], Double.parseDouble(cube[4 + a]), 0.01, "cube " + m.out());
    }

    @Test
    void reachAroundDrawsItsPoleWhereTheGoalPutsIt() throws Exception {
        Markers m = markers("reach_around");
        String[] point = line(m.out(), "marker goal ").split(" ");
        String[] pole = line(m.out(), "marker pole ").split(" ");
        assertEquals(Marker.SPHERE, Integer.parseInt(point[2]));
        assertEquals(Marker.CYLINDER, Integer.parseInt(pole[2]));
        assertEquals(2 * org.teachlearn.robot.sim.ReachAroundTask.POLE_RADIUS, Double.parseDouble(pole[7]), 1e-9, "the pole's diameter");
        assertEquals(5, m.goal().length, "reach_around's goal: the point, then the pole's x, y");
        for (int a = 0; a < 3; a++) assertEquals(m.goal()[a], Double.parseDouble(point[4 + a]), "goal " + m.out());
        for (int a = 0; a < 2; a++) assertEquals(m.goal()[3 + a], Double.parseDouble(pole[4 + a]), "pole " + m.out());
    }

    @Test
    void reachViaDrawsItsViaPointAndItsGoal() throws Exception {
        Markers m = markers("reach_via");
        String[] goal = line(m.out(), "marker goal ").split(" ");
        String[] via = line(m.out(), "marker via ").split(" ");
        assertEquals(Marker.SPHERE, Integer.parseInt(via[2]));
        assertEquals(2 * org.teachlearn.robot.sim.ReachViaTask.VIA_TOLERANCE, Double.parseDouble(via[7]), 1e-9, "the via point's tolerance");
        assertEquals(6, m.goal().length, "reach_via's goal: the via point, then the goal point");
        for (int a = 0; a < 3; a++) assertEquals(m.goal()[a], Double.parseDouble(via[4 + a]), "via " + m.out());
        for (int a = 0; a < 3; a++) assertEquals(m.goal()[3 + a], Double.parseDouble(goal[4 + a]), "goal " + m.out());
    }

    /** What the rospy client task_markers.py printed of sim_arm's task/markers, and the episode's first goal. */
    private record Markers(String out, double[] goal) { }

    /** sim_arm running {@code task} under Debian's roscore, its markers read by a rospy client. */
    private static Markers markers(String task) throws Exception {
        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri)) {
            Node node = Node.start(NodeArgs.parse("sim_arm", new String[] {"__master:=" + uri[0], "_task:=" + task,
                "_urdf:=../urdf/teach_arm.urdf"}));
            double[][] goal = new double[1][];
            node.subscribe("task/state", TaskState.TYPE, 10, s -> {
                if (goal[0] == null) goal[0] = s.goal.clone();
            });
            Thread loop = new SimArm(node).start();
            try {
                String out = Peer.run(uri[0], 120, RosPeers.PYTHON, Path.of("src/test/peers/task_markers.py").toAbsolutePath().toString());
                RosPeers.waitUntil(() -> goal[0] != null, 30, "task/state");
                return new Markers(out, goal[0]);
            } finally {
                node.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' from task_markers.py; it printed:\n" + out));
    }

    private static void assertLine(String out, String line) {
        assertTrue(out.lines().anyMatch(line::equals), "expected the line '" + line + "' from the rospy client; it printed:\n" + out);
    }
}
