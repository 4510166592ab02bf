package org.teachlearn.nodes.teleop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.PoseStamped;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * vr_teleop as a stranger drives it: a naive rospy client streams a headset's poses and buttons,
 * then every kind of bad input a browser or a tracker sends. Each is a clear error on /rosout and
 * the arm holds, until the clutch is pressed again. And the node's whole tick (pose in, joy in,
 * joint_states in → command, gripper, expert/action, latency out) allocates nothing.
 */
@Tag(TestNodes.REALTIME)
class VrTeleopTest {

    static final String URDF = "../urdf/teach_arm.urdf";

    /** The rospy operator: for each bad input, grip with good poses, send it, keep gripping with good poses, let go. */
    static final String STRANGER = String.join("\n",
            "import rospy, math, sys",
            "from geometry_msgs.msg import PoseStamped",
            "from sensor_msgs.msg import Joy",
            "rospy.init_node('stranger')",
            "poses = rospy.Publisher('vr/controller_pose', PoseStamped, queue_size=10)",
            "joys = rospy.Publisher('vr/joy', Joy, queue_size=10)",
            "rospy.sleep(1.0)",
            "def frame(pose, clutch, buttons=None):",
            "    p = PoseStamped()",
            "    p.header.stamp = rospy.Time.now()",
            "    p.pose.position.x, p.pose.position.y, p.pose.position.z = pose[0], pose[1], pose[2]",
            "    p.pose.orientation.x, p.pose.orientation.y, p.pose.orientation.z, p.pose.orientation.w = pose[3], pose[4], pose[5], pose[6]",
            "    poses.publish(p)",
            "    j = Joy()",
            "    j.header.stamp = p.header.stamp",
            "    j.buttons = buttons if buttons is not None else [1 if clutch else 0, 0, 0, 0, 0]",
            "    j.axes = [0, 0, 0, 0]",
            "    joys.publish(j)",
            "    rospy.sleep(0.011)",
            "good = [0.2, 1.1, -0.3, 0, 0, 0, 1]",
            "bad = {'nan': [float('nan'), 1.1, -0.3, 0, 0, 0, 1], 'inf': [0.2, float('inf'), -0.3, 0, 0, 0, 1],",
            "       'unit': [0.2, 1.1, -0.3, 0, 0, 0, 0.6], 'far': [10.0, 1.1, -0.3, 0, 0, 0, 1], 'zero': [0, 0, 0, 0, 0, 0, 1],",
            "       'jump': [0.2, 1.5, -0.3, 0, 0, 0, 1]}",
            "for name in ['nan', 'inf', 'unit', 'far', 'zero', 'jump', 'short']:",
            "    for _ in range(40): frame(good, True)",
            "    print('sent', name); sys.stdout.flush()",
            "    for _ in range(3):",
            "        if name == 'short': frame(good, True, buttons=[])",
            "        else: frame(bad[name], True)",
            "    for _ in range(30): frame(good, name != 'short')",
            "    for _ in range(20): frame(good, False)",
            "print('done')");

    @Test
    void everyBadInputIsAClearErrorAndTheArmHoldsUntilTheClutchIsPressedAgain() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        AtomicInteger rising = new AtomicInteger();
        boolean[] was = {false};
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=false", "_rate:=100", "_task:=none", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            Node teleop = node("vr_teleop", master.uri(), "_urdf:=" + URDF);
            new VrTeleop(teleop);
            Node watcher = node("watcher", master.uri());
            watcher.subscribe("/rosout", Log.TYPE, 1000, m -> {
                if (m.name.endsWith("vr_teleop") && m.level >= Log.ERROR) errors.add(m.msg);
            });
            watcher.subscribe("teleop/active", Bool.TYPE, 100, m -> {
                if (m.data && !was[0]) rising.incrementAndGet();
                was[0] = m.data;
            });
            try {
                String out = Peer.run(master.uri(), 120, RosPeers.PYTHON, "-c", STRANGER);
                assertTrue(out.contains("done"), out);
                Thread.sleep(300);
            } finally {
                watcher.shutdown("test over");
                teleop.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        String all = String.join("\n", errors);
        for (String expected : new String[] {"is NaN or infinite", "is not of unit length", "m from the tracking origin",
            "is the zero pose a lost tracker sends", "jumped", "buttons, but ~clutch_button is 0"}) {
            assertTrue(all.contains(expected), "no error saying '" + expected + "':\n" + all);
        }
        assertTrue(all.contains("holding until the clutch is pressed again"), all);
        // seven grips, one engagement each: after a bad input the good poses that follow, clutch held, never re-engage
        assertEquals(7, rising.get(), "engagements:\n" + all);
    }

    @Test
    void theNodesTickAllocatesNothing() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node teleopNode = node("vr_teleop", master.uri(), "_urdf:=" + URDF);
            VrTeleop teleop = new VrTeleop(teleopNode);
            Node peer = node("peer", master.uri());
            // listeners on every output: publishing to a subscriber must allocate nothing either
            AtomicInteger commands = new AtomicInteger();
            peer.subscribe("arm_controller/command", Float64MultiArray.TYPE, 10, m -> commands.incrementAndGet());
            peer.subscribe("expert/action", org.teachlearn.msgs.teach_learn.ActionStamped.TYPE, 10, m -> { });
            peer.subscribe("teleop/latency", Float64MultiArray.TYPE, 10, m -> { });
            try {
                Thread.sleep(500);
                JointState js = new JointState();
                js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
                    "finger_left_joint"};
                js.position = new double[] {0, -0.785, 0, -2.356, 0, 1.571, 0.785, 0.04};
                js.velocity = new double[8];
                js.effort = new double[0];
                PoseStamped pose = new PoseStamped();
                pose.pose.position.x = 0.2;
                pose.pose.position.y = 1.1;
                pose.pose.position.z = -0.3;
                pose.pose.orientation.w = 1;
                Joy joy = new Joy();
                joy.buttons = new int[] {1, 0, 0, 0, 0};   // vr_web's layout: the grip (clutch) held
                joy.axes = new float[] {0.3f, 0, 0, 0};     // the trigger a third of the way
                ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
                long quietest = Long.MAX_VALUE;
                int ticks = 5_000;
                for (int w = 0; w < 6; w++) {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < ticks; i++) {
                        double t = (w * ticks + i) * 0.01;
                        teleopNode.now(pose.header.stamp);
                        pose.pose.position.x = 0.2 + 0.03 * Math.sin(t);
                        teleop.onPose(pose);
                        teleop.onJoy(joy);
                        teleopNode.now(js.header.stamp);
                        teleop.onJoints(js);
                    }
                    quietest = Math.min(quietest, mx.getCurrentThreadAllocatedBytes() - before);
                }
                assertTrue(teleop.commands() > 5 * ticks, teleop.commands() + " commands while engaged");
                assertEquals(0, quietest, "bytes over " + ticks + " ticks in the quietest window");
            } finally {
                peer.shutdown("test over");
                teleopNode.shutdown("test over");
            }
        }
    }
}
