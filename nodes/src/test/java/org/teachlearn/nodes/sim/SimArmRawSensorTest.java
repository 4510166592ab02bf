package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * sim_arm's raw wrist sensor over ROS: with {@code ~ft_sensor_raw:=true}, {@code ft_sensor/wrench} reads
 * the bias plus the weight of the hand, its fingers and {@code ~tool_mass} at the orientation
 * {@code joint_states} gives, plus pushes; with noise, noise of the asked standard deviation.
 */
class SimArmRawSensorTest {

    static final double HAND_AND_FINGERS = 0.73 + 2 * 0.015;   // teach_arm.urdf's links beyond the sensor
    static final double TOOL_MASS = 0.4;
    static final double[] TOOL_COM = {0.02, 0.0, 0.09};
    static final double[] BIAS = {2.0, -1.0, 0.5, 0.04, 0.02, -0.06};

    /** joint_states and ft_sensor/wrench of the same state, by stamp. */
    static final class States {
        final Map<Long, double[]> joints = new ConcurrentHashMap<>();
        final Map<Long, double[]> wrenches = new ConcurrentHashMap<>();
        final List<Long> order = java.util.Collections.synchronizedList(new ArrayList<>());

        void listen(Node n) throws Exception {
            n.subscribe("joint_states", JointState.TYPE, 1000, m -> joints.put(m.header.stamp.toNanos(), Arrays.copyOf(m.position, 7)));
            n.subscribe("ft_sensor/wrench", WrenchStamped.TYPE, 1000, m -> {
                long t = m.header.stamp.toNanos();
                wrenches.put(t, new double[] {m.wrench.force.x, m.wrench.force.y, m.wrench.force.z,
                    m.wrench.torque.x, m.wrench.torque.y, m.wrench.torque.z});
                order.add(t);
            });
        }

        /** The last n states that have both messages. */
        List<double[][]> last(int n) {
            List<double[][]> out = new ArrayList<>();
            List<Long> ts;
            synchronized (order) {
                ts = new ArrayList<>(order);
            }
            for (int i = ts.size() - 1; i >= 0 && out.size() < n; i--) {
                double[] q = joints.get(ts.get(i));
                if (q != null) out.add(new double[][] {q, wrenches.get(ts.get(i))});
            }
            return out;
        }
    }

    /** What the sensor should read at joint positions q: the bias plus the weight beyond the sensor, rotated into the hand frame. */
    static double[] expected(KinematicChain toHand, double[] q, double[] bias) {
        double[] hand = new double[16];
        toHand.forward(q, hand);
        double m = HAND_AND_FINGERS + TOOL_MASS;
        // centre of mass in the hand frame: the hand's at z 0.03, the fingers' (moving symmetrically) at 0.0584 + 0.025, the tool's
        double[] c = {TOOL_MASS * TOOL_COM[0] / m, TOOL_MASS * TOOL_COM[1] / m,
            (0.73 * 0.03 + 0.03 * (0.0584 + 0.025) + TOOL_MASS * TOOL_COM[2]) / m};
        double[] f = {-9.81 * m * hand[8], -9.81 * m * hand[9], -9.81 * m * hand[10]};   // Rᵀ (0, 0, −m g)
        return new double[] {f[0] + bias[0], f[1] + bias[1], f[2] + bias[2],
            c[1] * f[2] - c[2] * f[1] + bias[3], c[2] * f[0] - c[0] * f[2] + bias[4], c[0] * f[1] - c[1] * f[0] + bias[5]};
    }

    static KinematicChain toHand() throws Exception {
        RobotModel model = UrdfParser.parse(Path.of("../urdf/teach_arm.urdf"));
        return new KinematicChain(model, "arm_link0", "hand");
    }

    static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("_task:=none", "_rate:=100", "_urdf:=../urdf/teach_arm.urdf", "_ft_sensor_raw:=true",
                "_tool_mass:=" + TOOL_MASS, "_tool_com:=" + Arrays.toString(TOOL_COM), "_ft_sensor_bias:=" + Arrays.toString(BIAS)));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void rawModePublishesBiasPlusTheWeightBeyondTheSensorAndPushesOnTop() throws Exception {
        KinematicChain chain = toHand();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), args());
            Thread loop = new SimArm(simNode).start();
            Node user = node("user", master.uri());
            States states = new States();
            states.listen(user);
            Publisher<WrenchStamped> push = user.advertise("sim/wrench", WrenchStamped.TYPE);
            try {
                assertEquals(HAND_AND_FINGERS + TOOL_MASS, user.params().getDouble("/sim_arm/ft_sensor_load/mass", -1), 1e-12,
                        "sim_arm says what hangs beyond the sensor");
                RosPeers.waitUntil(() -> states.last(200).size() >= 200 && push.subscriberCount() > 0, 20, "2 s of states");
                for (double[][] s : states.last(50)) {
                    double[] e = expected(chain, s[0], BIAS);
                    for (int i = 0; i < 6; i++) {
                        assertEquals(e[i], s[1][i], 1e-6, "axis " + i + " at " + Arrays.toString(s[0]) + ": " + Arrays.toString(s[1]));
                    }
                }
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "hand";
                w.wrench.force.x = 3;
                w.wrench.force.z = -2;
                w.wrench.torque.y = 0.25;
                push.publish(w);
                double[] pushed = {3, 0, -2, 0, 0.25, 0};
                RosPeers.waitUntil(() -> {
                    List<double[][]> l = states.last(1);
                    if (l.isEmpty()) return false;
                    double[] e = expected(chain, l.get(0)[0], BIAS);
                    for (int i = 0; i < 6; i++) if (Math.abs(l.get(0)[1][i] - e[i] - pushed[i]) > 1e-6) return false;
                    return true;
                }, 10, "the push on top of bias and weight");
            } finally {
                user.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void noiseHasTheStandardDeviationAsked() throws Exception {
        KinematicChain chain = toHand();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), args("_ft_sensor_noise:=[0.5, 0.02]", "_seed:=4"));
            Thread loop = new SimArm(simNode).start();
            Node user = node("user", master.uri());
            States states = new States();
            states.listen(user);
            try {
                RosPeers.waitUntil(() -> states.last(400).size() >= 400, 30, "4 s of states");
                double[] sq = new double[6];
                List<double[][]> l = states.last(400);
                for (double[][] s : l) {
                    double[] e = expected(chain, s[0], BIAS);
                    for (int i = 0; i < 6; i++) sq[i] += (s[1][i] - e[i]) * (s[1][i] - e[i]);
                }
                for (int i = 0; i < 6; i++) {
                    double sd = Math.sqrt(sq[i] / l.size()), want = i < 3 ? 0.5 : 0.02;
                    assertEquals(want, sd, 0.15 * want, "axis " + i + ": noise standard deviation " + sd);
                }
            } finally {
                user.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void malformedSensorParametersAreConfigurationErrorsThatSayWhatToGive() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            for (String[] bad : new String[][] {
                {"_ft_sensor_bias:=[1, 2]", "~ft_sensor_bias is [1.0, 2.0]: give [fx, fy, fz, tx, ty, tz] in N and N m"},
                {"_ft_sensor_noise:=[-1, 0]", "sensor noise must be finite standard deviations of 0 or more, got -1.0 N and 0.0 N m"},
                {"_tool_com:=[0, 0]", "~tool_com is [0.0, 0.0]: give [x, y, z] in m, in the sensor frame"},
                {"_tool_mass:=-0.5", "tool mass -0.5 kg must be finite and 0 or more"}}) {
                // a fresh name each time: the parameters of the one before stay on the master
                Node simNode = node("sim_arm_" + bad[0].substring(1, bad[0].indexOf(':')), master.uri(), args(bad[0]));
                try {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimArm(simNode), bad[0]);
                    assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
                } finally {
                    simNode.shutdown("test over");
                }
            }
        }
    }
}
