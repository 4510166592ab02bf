package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectoryPoint;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.message.Duration;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * sim_arm as a JointTrajectoryController (ARM/type position_controllers/JointTrajectoryController),
 * driven by strangers: a naive rospy client streaming single-point goals in lockstep, a roscpp
 * servo loop streaming in real time, and goals a JointTrajectoryController must refuse. Tagged
 * realtime: the arm runs at 100 Hz of wall-clock time and the refusals are judged by how far it
 * moved in 150 ms (under the parallel test load on CI it once braked later than that).
 */
@Tag(TestNodes.REALTIME)
class TrajectoryControllerTest {

    static final String URDF = "../urdf/teach_arm.urdf";
    static final String JTC = "position_controllers/JointTrajectoryController";
    static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};
    /** A pose away from the rest pose (rest: 0, -0.3, 0, -2.0, 0, 1.8, 0.8). */
    static final double[] TARGET = {0.5, -0.1, 0.2, -1.6, 0.1, 1.5, 0.6};
    static final String[] PY = {"/usr/bin/python3", Path.of("src/test/peers/naive_lockstep.py").toAbsolutePath().toString()};
    static final Pattern LAST = Pattern.compile("last arm positions((?: -?[\\d.]+){7})");

    /** sim_arm with the arm controller a JointTrajectoryController, stepping on a thread of its own. */
    static Node simArm(Master master, String... params) throws Exception {
        String[] all = Arrays.copyOf(params, params.length + 1);
        all[params.length] = "_urdf:=" + URDF;
        Node sim = node("sim_arm", master.uri(), all);
        sim.params().set("arm_controller/type", JTC);
        return sim;
    }

    @Test
    void naiveRospyTrajectoryClientStreamsLockstepWithoutDeadlockAndReachesItsTarget() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = simArm(master, "_lockstep:=true", "_task:=none", "_seed:=4");
            Thread loop = new SimArm(sim).start();
            try {
                for (int start = 0; start < 2; start++) NaiveLockstepClientTest.output(master, "rospy trajectory", 300, PY, "trajectory");
                String[] target = new String[8];
                target[0] = "trajectory";
                for (int i = 0; i < 7; i++) target[1 + i] = Double.toString(TARGET[i]);
                assertReached(NaiveLockstepClientTest.output(master, "rospy trajectory", 300, PY, target), 0.01);
            } finally {
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void roscppServoLoopStreamsGoalsInRealTime() throws Exception {
        String bin = NaiveLockstepClientTest.buildCpp("trajectory_stream");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = simArm(master, "_lockstep:=false", "_rate:=100", "_task:=none", "_seed:=5");
            Thread loop = new SimArm(sim).start();
            try {
                String[] cmd = new String[9];
                cmd[0] = bin;
                cmd[1] = "2.0";
                for (int i = 0; i < 7; i++) cmd[2 + i] = Double.toString(TARGET[i]);
                String out = NaiveLockstepClientTest.exec(master, cmd);
                Matcher sent = Pattern.compile("sent (\\d+) goals").matcher(out);
                assertTrue(sent.find(), out);
                assertTrue(Integer.parseInt(sent.group(1)) >= 150, "the servo loop sent only " + sent.group(1) + " goals in 2 s: " + out);
                assertReached(out, 0.02);
            } finally {
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /**
     * While a slow two-second goal moves joint 1, a malformed goal comes: it is refused with an error
     * that names the controller's joints, and the arm stops and stays (measured positions unchanged).
     * A goal every point of which is in the past is refused too, but the current trajectory goes on.
     */
    @Test
    void malformedGoalsAreRefusedAndTheArmHoldsWhereItIs() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = simArm(master, "_lockstep:=false", "_rate:=100", "_task:=none", "_seed:=6");
            Thread loop = new SimArm(sim).start();
            Node peer = node("peer", master.uri());
            List<String> errors = new CopyOnWriteArrayList<>();
            double[] latest = new double[7];
            AtomicLong states = new AtomicLong();
            peer.subscribe("/rosout", Log.TYPE, 1000, m -> {
                if (m.level >= Log.ERROR && m.name.equals("/sim_arm")) errors.add(m.msg);
            });
            peer.subscribe("joint_states", JointState.TYPE, 0, m -> {
                synchronized (latest) {
                    for (int i = 0; i < 7; i++) latest[i] = m.position[Arrays.asList(m.name).indexOf(ARM[i])];
                }
                states.incrementAndGet();
            });
            Publisher<JointTrajectory> arm = peer.advertise("arm_controller/command", JointTrajectory.TYPE);
            RosPeers.waitUntil(() -> arm.subscriberCount() > 0 && states.get() > 10, 10, "sim_arm to connect");
            List<String> names = new ArrayList<>();
            List<Consumer<JointTrajectory>> breakages = new ArrayList<>();
            names.add("a joint missing");
            breakages.add(t -> drop(t, 6));
            names.add("an extra joint");
            breakages.add(t -> {
                t.joint_names = Arrays.copyOf(t.joint_names, 8);
                t.joint_names[7] = "finger_left_joint";
                for (JointTrajectoryPoint p : t.points) p.positions = Arrays.copyOf(p.positions, 8);
            });
            names.add("an unknown joint");
            breakages.add(t -> t.joint_names[2] = "panda_joint3");
            names.add("a joint twice");
            breakages.add(t -> t.joint_names[2] = t.joint_names[3]);
            names.add("positions one short");
            breakages.add(t -> t.points[1].positions = Arrays.copyOf(t.points[1].positions, 6));
            names.add("velocities one short");
            breakages.add(t -> t.points[0].velocities = new double[6]);
            names.add("a NaN position");
            breakages.add(t -> t.points[1].positions[4] = Double.NaN);
            names.add("an infinite position");
            breakages.add(t -> t.points[0].positions[0] = Double.POSITIVE_INFINITY);
            names.add("times not increasing");
            breakages.add(t -> t.points[1].time_from_start = new Duration(0, 500_000_000));
            try {
                for (int c = 0; c < breakages.size(); c++) {
                    double[] from = snapshot(latest);
                    double to = from[0] + (c % 2 == 0 ? 1.0 : -1.0);
                    arm.publish(slowGoal(from, to));
                    Thread.sleep(250);
                    double[] moving = snapshot(latest);
                    assertTrue(Math.abs(moving[0] - from[0]) > 0.03, names.get(c) + ": the good goal did not move joint 1: " + moving[0]);
                    JointTrajectory bad = slowGoal(moving, to);
                    breakages.get(c).accept(bad);
                    int errorsBefore = errors.size();
                    arm.publish(bad);
                    Thread.sleep(150);   // the arm brakes to a stop
                    double[] held = snapshot(latest);
                    Thread.sleep(300);
                    double[] later = snapshot(latest);
                    for (int i = 0; i < 7; i++) {
                        assertEquals(held[i], later[i], 2e-3, names.get(c) + ": " + ARM[i] + " moved after the goal was refused");
                    }
                    assertTrue(Math.abs(later[0] - to) > 0.5, names.get(c) + ": joint 1 went on toward the refused goal's end: " + later[0]);
                    if (c == 0) {
                        RosPeers.waitUntil(() -> errors.size() > errorsBefore, 5, "an error about the goal with a joint missing");
                    }
                }
                String first = errors.get(0);
                assertTrue(first.contains("arm_controller/command") && first.contains("lacks arm_joint1")
                        && first.contains(Arrays.toString(ARM)), "the refusal names the topic, the problem and the expected joints: " + first);
                for (String e : errors) {
                    if (e.contains("trajectory_msgs/JointTrajectory")) assertTrue(e.contains(Arrays.toString(ARM)), e);
                }

                // stamped an hour ago: refused, and the goal before it goes on
                double[] from = snapshot(latest);
                arm.publish(slowGoal(from, from[0] + 0.6));
                Thread.sleep(200);
                JointTrajectory late = slowGoal(snapshot(latest), from[0] - 1.0);
                late.header.stamp.setNanos(peer.nowNanos() - 3_600_000_000_000L);
                arm.publish(late);
                RosPeers.waitUntil(() -> Math.abs(snapshot(latest)[0] - (from[0] + 0.6)) < 0.02, 5,
                        "the goal before the late one to go on to its end");
            } finally {
                peer.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /** A goal that takes joint 1 from {@code from} to {@code to} in two points over 2 s, the other joints staying; stamp 0, names reversed. */
    static JointTrajectory slowGoal(double[] from, double to) {
        JointTrajectory t = new JointTrajectory();
        t.joint_names = new String[7];
        for (int i = 0; i < 7; i++) t.joint_names[i] = ARM[6 - i];
        t.points = new JointTrajectoryPoint[2];
        for (int k = 0; k < 2; k++) {
            JointTrajectoryPoint p = new JointTrajectoryPoint();
            p.positions = new double[7];
            for (int i = 0; i < 7; i++) p.positions[i] = from[6 - i];
            p.positions[6] = from[0] + (k + 1) / 2.0 * (to - from[0]);
            p.velocities = new double[7];
            p.time_from_start = new Duration(k + 1, 0);
            t.points[k] = p;
        }
        return t;
    }

    private static void drop(JointTrajectory t, int field) {
        t.joint_names = Arrays.copyOf(t.joint_names, field);
        for (JointTrajectoryPoint p : t.points) {
            p.positions = Arrays.copyOf(p.positions, field);
            p.velocities = Arrays.copyOf(p.velocities, field);
        }
    }

    private static double[] snapshot(double[] latest) {
        synchronized (latest) {
            return latest.clone();
        }
    }


    /** The client's last arm positions are {@link #TARGET} within {@code tolerance} rad. */
    private static void assertReached(String out, double tolerance) {
        Matcher m = LAST.matcher(out);
        assertTrue(m.find(), "no last positions in: " + out);
        double[] last = Arrays.stream(m.group(1).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        for (int i = 0; i < 7; i++) assertEquals(TARGET[i], last[i], tolerance, ARM[i] + " did not reach its target: " + out);
    }
}
