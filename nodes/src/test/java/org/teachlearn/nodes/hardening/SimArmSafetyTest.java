package org.teachlearn.nodes.hardening;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * sim_arm against the wrenches and commands that once broke it: a NaN wrench made every later
 * joint_states NaN, 1e9 N drove joints far past their limits, and raw position commands ran a
 * joint at 92.7 rad/s against a 2.6 rad/s limit.
 */
class SimArmSafetyTest {

    static final String URDF = MalformedMessagesTest.URDF;
    static final double[] REST = MalformedMessagesTest.REST;

    @Test
    void badWrenchesAreRefusedZeroTheHeldOneAndCommandsMoveAtMostTheVelocityLimit() throws Exception {
        RobotModel robot = UrdfParser.parse(Path.of(URDF));
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=false", "_rate:=100", "_task:=none", "_seed:=5", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            Node peer = node("peer", master.uri());
            List<String> bad = new CopyOnWriteArrayList<>();
            double[] sensed = new double[1], joint1 = new double[2];
            AtomicLong states = new AtomicLong();
            Joint j1 = robot.joint("arm_joint1");
            peer.subscribe("ft_sensor/wrench", WrenchStamped.TYPE, 0, w -> sensed[0] = Math.sqrt(w.wrench.force.x * w.wrench.force.x
                    + w.wrench.force.y * w.wrench.force.y + w.wrench.force.z * w.wrench.force.z));
            peer.subscribe("joint_states", JointState.TYPE, 0, m -> {
                for (int i = 0; i < m.position.length; i++) {
                    Joint j = robot.joint(m.name[i]);
                    if (!Double.isFinite(m.position[i]) || m.position[i] < j.lower() - 0.05 || m.position[i] > j.upper() + 0.05
                            || Math.abs(m.velocity[i]) > 3 * j.velocity()) {
                        bad.add(m.name[i] + " at " + m.position[i] + ", " + m.velocity[i] + "/s");
                    }
                }
                joint1[0] = m.position[0];
                joint1[1] = Math.max(joint1[1], Math.abs(m.velocity[0]));
                states.incrementAndGet();
            });
            Publisher<Float64MultiArray> arm = peer.advertise("arm_controller/command", Float64MultiArray.TYPE);
            Publisher<WrenchStamped> wrench = peer.advertise("sim/wrench", WrenchStamped.TYPE);
            RosPeers.waitUntil(() -> arm.subscriberCount() > 0 && wrench.subscriberCount() > 0 && states.get() > 10, 10, "sim_arm to connect");
            try {
                wrench.publish(push(peer, 30, 0));
                RosPeers.waitUntil(() -> sensed[0] > 20, 5, "the 30 N push to be sensed");
                wrench.publish(push(peer, Double.NaN, 0));
                RosPeers.waitUntil(() -> sensed[0] < 3, 5, "a NaN wrench to zero the held 30 N push");
                wrench.publish(push(peer, 30, 0));
                RosPeers.waitUntil(() -> sensed[0] > 20, 5, "a good push after the NaN one");
                wrench.publish(push(peer, 1e9, 0));
                RosPeers.waitUntil(() -> sensed[0] < 3, 5, "a 1e9 N wrench to be refused and zero the held push");
                wrench.publish(push(peer, 0, 1e4));
                Thread.sleep(200);
                assertTrue(sensed[0] < 3, "a 1e4 N m torque was applied");
                assertTrue(bad.isEmpty(), "joint states after bad wrenches: " + bad);

                // a position command 2 rad away: the target ramps at the URDF velocity limit
                joint1[1] = 0;
                double[] far = REST.clone();
                far[0] = REST[0] + 2.0;
                Float64MultiArray c = new Float64MultiArray();
                c.data = far;
                arm.publish(c);
                RosPeers.waitUntil(() -> Math.abs(joint1[0] - far[0]) < 0.02, 10, "joint 1 to reach the far target");
                System.out.printf("sim_arm: 2 rad command, joint 1 peak speed %.3f rad/s (URDF limit %.3f)%n", joint1[1], j1.velocity());
                assertTrue(joint1[1] <= 1.15 * j1.velocity(), "joint 1 moved at " + joint1[1] + " rad/s, limit " + j1.velocity());
                assertTrue(joint1[1] >= 0.8 * j1.velocity(), "joint 1 crawled at " + joint1[1] + " rad/s (limit " + j1.velocity() + ")");
                assertTrue(bad.isEmpty(), "joint states: " + bad);
            } finally {
                peer.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    private static WrenchStamped push(Node peer, double force, double torque) {
        WrenchStamped w = new WrenchStamped();
        w.header.frame_id = "hand";
        w.header.stamp.set(peer.now());
        w.wrench.force.x = force;
        w.wrench.torque.z = torque;
        return w;
    }
}
