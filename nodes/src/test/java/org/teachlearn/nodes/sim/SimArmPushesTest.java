package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.arm.ArmSpec;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * sim_arm's {@code ~pushes}: an episode over ROS is pushed at the step the in-process episode of the
 * same seed is (ArmEnv, as {@code train --pushes} runs it). Each side runs the expert's episode with
 * and without pushes; the first state where the two differ is the first push's, on both sides.
 */
class SimArmPushesTest {

    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path URDF = HOME.resolve("urdf/teach_arm.urdf");

    @Test
    void aSeededEpisodeIsPushedAtTheSameStepAsInProcess() throws Exception {
        RobotModel model = UrdfParser.parse(URDF);
        Path srdf = ArmSpec.srdfNextTo(URDF);
        ArmLayout layout = ArmLayout.resolve(model, ArmSpec.NONE.withSrdf(Files.readString(srdf), srdf.toString(), null), URDF.toString());
        Pushes pushes = Pushes.reach(Pushes.linkOf(layout.chain(model), model));
        // an early push, so that it comes before the expert reaches the goal on either side
        long seed = -1;
        int inProcess = -1;
        for (long s = 1; s < 200 && seed < 0; s++) {
            int d = firstPushedState(model, layout, pushes, s);
            if (d > 2 && d < 15) {
                seed = s;
                inProcess = d;
            }
        }
        assertTrue(seed > 0, "some seed pushes within the first 15 steps");
        System.setProperty("teachlearn.home", HOME.toString());
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            List<Node> nodes = new ArrayList<>();
            try {
                Episode plain = episodeOverRos(master, "/plain", seed, false, nodes);
                Episode pushed = episodeOverRos(master, "/pushed", seed, true, nodes);
                RosPeers.waitUntil(() -> plain.states(20) != null && pushed.states(20) != null, 60, "20 states of each episode");
                List<double[]> p = plain.states(20), q = pushed.states(20);
                int overRos = -1;
                for (int k = 0; k < 20 && overRos < 0; k++) if (!Arrays.equals(p.get(k), q.get(k))) overRos = k;
                assertEquals(inProcess, overRos, "seed " + seed + ": the first pushed state over ROS and in process");
            } finally {
                for (Node n : nodes) n.shutdown("test over");
            }
        }
    }

    /** In process: the first state of episode {@code seed} that the pushes change, the expert driving. */
    static int firstPushedState(RobotModel model, ArmLayout layout, Pushes pushes, long seed) {
        ArmEnv plain = new ArmEnv(model, layout, "reach", 0.01, Pushes.NONE), pushed = new ArmEnv(model, layout, "reach", 0.01, pushes);
        int n = plain.layout().observationSize(), a = plain.layout().actionSize();
        double[] o1 = new double[n], o2 = new double[n], c1 = new double[a], c2 = new double[a];
        plain.reset(seed);
        pushed.reset(seed);
        for (int k = 0; k < 300 && !plain.done() && !pushed.done(); k++) {
            plain.observe(o1, 0);
            pushed.observe(o2, 0);
            if (!Arrays.equals(o1, o2)) return k;
            plain.expertCommand(c1, 0);
            pushed.expertCommand(c2, 0);
            plain.step(c1, 0);
            pushed.step(c2, 0);
        }
        return -1;
    }

    /** The arm positions of each state of episode 0 on one sim_arm: joint_states and task/state come on two connections, paired by stamp. */
    static final class Episode {
        final Map<Long, double[]> positions = new ConcurrentHashMap<>();
        final Map<Integer, Long> stamps = new ConcurrentHashMap<>();

        /** The first {@code n} states, or null while one is missing. */
        List<double[]> states(int n) {
            List<double[]> out = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                Long stamp = stamps.get(k);
                double[] q = stamp == null ? null : positions.get(stamp);
                if (q == null) return null;
                out.add(q);
            }
            return out;
        }
    }

    /** Over ROS: sim_arm in lockstep in {@code ns}, driven by the expert. */
    static Episode episodeOverRos(Master master, String ns, long seed, boolean pushes, List<Node> nodes) throws Exception {
        Node sim = node("sim_arm", master.uri(), "__ns:=" + ns, "/clock:=clock", "_lockstep:=true", "_task:=reach", "_seed:=" + seed,
                "_pushes:=" + pushes, "_urdf:=" + URDF);
        nodes.add(sim);
        Node listener = node("states", master.uri(), "__ns:=" + ns);
        nodes.add(listener);
        Episode e = new Episode();
        listener.subscribe("joint_states", JointState.TYPE, 1000, m -> e.positions.put(m.header.stamp.toNanos(), m.position.clone()));
        listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
            if (m.episode == 0) e.stamps.putIfAbsent((int) m.step, m.header.stamp.toNanos());
        });
        new SimArm(sim).start();
        RosPeers.waitUntil(() -> e.states(1) != null, 30, ns + ": the first state before the expert drives");
        Node expert = node("expert", master.uri(), "__ns:=" + ns, "/clock:=clock", "_task:=reach", "_drive:=true", "_urdf:=" + URDF);
        nodes.add(expert);
        new ExpertNode(expert);
        return e;
    }
}
