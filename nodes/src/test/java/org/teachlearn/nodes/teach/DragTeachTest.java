package org.teachlearn.nodes.teach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * drag_teach over TCPROS against an arm played by the test: joint_states and ft_sensor/wrench at
 * 100 Hz from a fixed pose, the commands recorded. The pose never follows the commands, so every
 * command is what drag_teach computed from one known reading.
 */
class DragTeachTest {

    static final double[] REST = ArmLayout.TEACH_ARM.restPose();

    /** The test's arm: a fixed pose, a wrench it can change, commands and /rosout errors recorded. */
    static final class FakeArm implements AutoCloseable {
        final Node node;
        final Publisher<JointState> joints;
        final Publisher<WrenchStamped> wrenches;
        final Publisher<Joy> joy;
        final List<double[]> commands = new CopyOnWriteArrayList<>();
        final List<double[]> gripper = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicReference<double[]> wrench = new AtomicReference<>(new double[6]);
        volatile boolean sendJoints = true, sendWrench = true;
        private final Thread loop;

        FakeArm(java.net.URI master) throws Exception {
            node = node("arm", master);
            joints = node.advertise("joint_states", JointState.TYPE);
            wrenches = node.advertise("ft_sensor/wrench", WrenchStamped.TYPE);
            joy = node.advertise("teach/joy", Joy.TYPE);
            node.subscribe("arm_controller/command", Float64MultiArray.TYPE, 10000, m -> commands.add(m.data.clone()));
            node.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 100, m -> gripper.add(m.data.clone()));
            node.subscribe("/rosout", Log.TYPE, 1000, m -> {
                if (m.level >= Log.ERROR && m.name.endsWith("drag_teach")) errors.add(m.msg);
            });
            loop = new Thread(this::run, "fake arm");
            loop.start();
        }

        private void run() {
            JointState js = new JointState();
            js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
                "finger_left_joint", "finger_right_joint"};
            js.position = java.util.Arrays.copyOf(REST, 9);
            js.position[7] = js.position[8] = 0.04;
            js.velocity = new double[9];
            WrenchStamped w = new WrenchStamped();
            w.header.frame_id = "hand";
            while (!node.isShutdown()) {
                node.now(js.header.stamp);
                w.header.stamp.set(js.header.stamp);
                double[] f = wrench.get();
                w.wrench.force.x = f[0];
                w.wrench.force.y = f[1];
                w.wrench.force.z = f[2];
                w.wrench.torque.x = f[3];
                w.wrench.torque.y = f[4];
                w.wrench.torque.z = f[5];
                if (sendWrench) wrenches.publish(w);
                if (sendJoints) joints.publish(js);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The commands from index {@code at} on, copied: the live list grows while a test reads it. */
        List<double[]> since(int at) {
            List<double[]> now = List.copyOf(commands);
            return now.subList(at, now.size());
        }

        double[] last() {
            return commands.get(commands.size() - 1);
        }

        @Override
        public void close() throws Exception {
            node.shutdown("test over");
            loop.join(2000);
        }
    }

    static void push(FakeArm arm, double fx, double fy, double fz) {
        arm.wrench.set(new double[] {fx, fy, fz, 0, 0, 0});
    }

    @Test
    void startsAtTheMeasuredPoseMovesWithAPushAndHoldsOnNanAbsurdAndStaleWrenches() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            FakeArm arm = new FakeArm(master.uri());
            Node dragNode = node("drag_teach", master.uri(), "_urdf:=../urdf/teach_arm.urdf");
            try (arm) {
                new DragTeach(dragNode);
                RosPeers.waitUntil(() -> arm.commands.size() > 50, 10, "drag_teach's first commands");
                // start-up: the measured pose, held until the tare (a steady, untouched wrench) is done
                assertArrayEquals(REST, arm.commands.get(0), 1e-12, "the first command is the measured pose: no jump");
                assertArrayEquals(REST, arm.last(), 1e-9, "nobody touching: nothing moves");

                push(arm, 0, 0, -8);   // along the hand's z: the base's −z at the rest pose (the hand points down)
                Thread.sleep(700);
                double[] moved = arm.last();
                assertTrue(moved[1] != REST[1] || moved[3] != REST[3], "a push moves the commanded joints");

                double[] before = arm.last();
                arm.wrench.set(new double[] {Double.NaN, 0, 0, 0, 0, 0});
                Thread.sleep(100);
                int at = arm.commands.size();
                Thread.sleep(300);
                for (double[] c : arm.since(at)) {
                    assertArrayEquals(arm.commands.get(at - 1), c, 0, "a NaN wrench holds the arm where it was commanded");
                }
                assertTrue(maxStep(before, arm.commands.get(at)) < 0.01, "the hold starts where the motion was (no jump)");
                RosPeers.waitUntil(() -> arm.errors.stream().anyMatch(e -> e.contains("NaN")), 5, "an error naming the NaN wrench on /rosout");

                push(arm, 1e9, 0, 0, 0);
                Thread.sleep(100);
                at = arm.commands.size();
                Thread.sleep(300);
                double[] held = arm.last();
                assertTrue(maxStep(arm.commands.get(at), held) < 1e-12, "a 1e9 N wrench holds too");
                RosPeers.waitUntil(() -> arm.errors.stream().anyMatch(e -> e.contains("1.0E9")), 5, "an error naming the 1e9 N wrench");

                // back to a sane reading: the motion goes on from the hold, without a jump
                push(arm, 0, 0, -8);
                at = arm.commands.size();
                Thread.sleep(300);
                double worst = 0;
                for (int i = at; i < arm.commands.size(); i++) worst = Math.max(worst, maxStep(arm.commands.get(i - 1), arm.commands.get(i)));
                assertTrue(worst < 0.02, "resuming after a hold moves at most 0.02 rad per tick, moved " + worst);

                // the sensor goes quiet: hold
                arm.sendWrench = false;
                Thread.sleep(400);
                at = arm.commands.size();
                Thread.sleep(300);
                for (double[] c : arm.since(at)) assertArrayEquals(arm.commands.get(at), c, 0, "stale wrench: held");
                RosPeers.waitUntil(() -> arm.errors.stream().anyMatch(e -> e.contains("ft_sensor/wrench")), 5, "an error about the stale wrench");
            } finally {
                dragNode.shutdown("test over");
            }
        }
    }

    private static void push(FakeArm arm, double fx, double fy, double fz, double tx) {
        arm.wrench.set(new double[] {fx, fy, fz, tx, 0, 0});
    }

    @Test
    void staleJointStatesHoldAndJoyTogglesTheGripper() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            FakeArm arm = new FakeArm(master.uri());
            Node dragNode = node("drag_teach", master.uri(), "_urdf:=../urdf/teach_arm.urdf", "_gripper_button:=2");
            try (arm) {
                new DragTeach(dragNode);
                RosPeers.waitUntil(() -> arm.commands.size() > 40, 10, "drag_teach's first commands");
                push(arm, 0, 0, -8);
                Thread.sleep(500);
                arm.sendJoints = false;
                Thread.sleep(300);
                int at = arm.commands.size();
                Thread.sleep(300);
                assertEquals(at, arm.commands.size(), "no joint_states, no ticks");
                RosPeers.waitUntil(() -> arm.errors.stream().anyMatch(e -> e.contains("joint_states")), 5, "an error about stale joint_states");

                Joy j = new Joy();
                j.axes = new float[2];
                j.buttons = new int[4];
                RosPeers.waitUntil(() -> arm.joy.subscriberCount() > 0, 5, "drag_teach on teach/joy");
                arm.joy.publish(j);
                j.buttons[2] = 1;
                arm.joy.publish(j);
                arm.joy.publish(j);   // held down: still one press
                j.buttons[2] = 0;
                arm.joy.publish(j);
                j.buttons[2] = 1;
                arm.joy.publish(j);
                RosPeers.waitUntil(() -> arm.gripper.size() >= 2, 5, "two gripper commands from two presses");
                Thread.sleep(200);
                assertEquals(2, arm.gripper.size(), "one command per press");
                assertEquals(0.0, arm.gripper.get(0)[0], "the open gripper closes on the first press");
                assertEquals(0.04, arm.gripper.get(1)[0], 1e-12, "and opens on the second");
            } finally {
                dragNode.shutdown("test over");
            }
        }
    }

    static double maxStep(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
