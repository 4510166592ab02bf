package org.teachlearn.nodes.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * drag_teach on sim_arm (real time, 100 Hz, no task, a raw sensor with bias, noise and a 0.5 kg tool) with a person's hand played through
 * sim/wrench: the hand goes where it is pushed (orientation locked by ~selected_axes); Debian's rosservice tares the sensor (and is
 * refused while the hand is pushed); Debian's dynparam changes the damping, which ramps in
 * (the settings' ramp itself is tested without ROS in DragControllerTest).
 */
@Tag(TestNodes.REALTIME)
class DragTeachSimTest {

    /** sim_arm with a real sensor's reading: a bias, noise, the weight of the hand and a 0.5 kg tool at the current orientation. */
    static final String[] RAW_SENSOR = {"_task:=none", "_rate:=100", "_urdf:=../urdf/teach_arm.urdf", "_ft_sensor_raw:=true",
        "_ft_sensor_bias:=[2.0, -1.5, 3.0, 0.1, -0.05, 0.02]", "_ft_sensor_noise:=[0.05, 0.003]", "_tool_mass:=0.5", "_tool_com:=[0, 0, 0.08]"};

    static final Map<String, String> DEBIAN_PYTHON = Map.of("PATH", "/usr/bin:/bin:" + System.getenv("PATH"));

    @Test
    void theHandGoesWherePushedTareWorksFromRosserviceAndDynparamRampsTheDamping() throws Exception {
        RobotModel model = UrdfParser.parse(Path.of("../urdf/teach_arm.urdf"));
        KinematicChain tcp = new KinematicChain(model, "arm_link0", "hand_tcp"), hand = new KinematicChain(model, "arm_link0", "hand");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), RAW_SENSOR);
            Thread loop = new SimArm(simNode).start();
            // orientation locked: the push at the hand's origin turns nothing, so the hand's path is the push's line
            Node dragNode = node("drag_teach", master.uri(), "_urdf:=../urdf/teach_arm.urdf", "_selected_axes:=x y z", "_tool_mass:=0.5",
                    "_tool_com_z:=0.08");
            DragTeach drag = new DragTeach(dragNode);
            Node user = node("user", master.uri());
            AtomicReference<double[]> q = new AtomicReference<>();
            user.subscribe("joint_states", JointState.TYPE, 10, m -> q.set(java.util.Arrays.copyOf(m.position, 7)));
            List<double[]> commands = new CopyOnWriteArrayList<>();
            user.subscribe("arm_controller/command", Float64MultiArray.TYPE, 10000, m -> commands.add(m.data.clone()));
            Publisher<WrenchStamped> push = user.advertise("sim/wrench", WrenchStamped.TYPE);
            try {
                RosPeers.waitUntil(() -> q.get() != null && push.subscriberCount() > 0 && drag.controller().tared(), 20,
                        "sim_arm running and drag_teach tared");
                assertTrue(tare(master).contains("success: True"), "rosservice call /ft_sensor/tare with nobody touching succeeds");

                // push 6 N along the hand's x axis, the way a person's hand pushes (sim/wrench is in the link's frame)
                double[] q0 = q.get(), h = new double[16], p0 = new double[16], p1 = new double[16];
                hand.forward(q0, h);
                tcp.forward(q0, p0);
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "hand";
                w.wrench.force.x = 6;
                push.publish(w);
                Thread.sleep(600);
                String refused = tare(master);
                assertTrue(refused.contains("success: False") && refused.contains("moving"), "a tare while the hand is pushed is refused: " + refused);
                Thread.sleep(400);
                tcp.forward(q.get(), p1);
                double dx = p1[3] - p0[3], dy = p1[7] - p0[7], dz = p1[11] - p0[11], d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                double along = (dx * h[0] + dy * h[4] + dz * h[8]) / d;
                assertTrue(d > 0.05, "6 N for 1 s moved the hand " + d + " m");
                assertTrue(along > 0.95, "the hand moved along the push (cosine " + along + ")");

                // dynparam raises the damping while the push goes on: the value ramps, the hand slows down
                int before = commands.size();
                Thread.sleep(300);
                List<double[]> during = new ArrayList<>(commands);
                List<Double> damping = new ArrayList<>();
                Thread sampler = new Thread(() -> {
                    // dynparam takes seconds to start: sample until the new value has been in force for a while
                    for (int i = 0, settled = 0; i < 800 && settled < 20; i++) {
                        double v = drag.controller().settings().live().damping(0);
                        damping.add(v);
                        if (v == 75) settled++;
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                int from = commands.size();
                sampler.start();
                dynparam(master, "set", "/drag_teach", "damping_x", "75");
                sampler.join();
                List<double[]> after = new ArrayList<>(commands);
                assertEquals(75.0, drag.controller().settings().live().damping(0), 1e-9, "the new damping is in force after the ramp");
                assertTrue(damping.stream().anyMatch(v -> v > 25.5 && v < 74.5), "the damping passed through values between 25 and 75: " + damping);
                int end = after.size();
                double medianAfter = medianTickStep(after.subList(Math.max(from, end - 30), end)), medianBefore = medianTickStep(during.subList(before, during.size()));
                assertTrue(medianAfter < 0.7 * medianBefore, "three times the damping slows the hand: " + medianAfter + " rad per tick after, "
                        + medianBefore + " before");
                assertEquals(75.0, dragNode.params().getDouble("~damping_x", 0), "dynparam's value is written back to ~damping_x");
            } finally {
                user.shutdown("test over");
                dragNode.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void afterTheHandIsTurnedAndLetGoTheRawSensorsToolWeightMovesNothing() throws Exception {
        RobotModel model = UrdfParser.parse(Path.of("../urdf/teach_arm.urdf"));
        KinematicChain tcp = new KinematicChain(model, "arm_link0", "hand_tcp");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), RAW_SENSOR);
            Thread loop = new SimArm(simNode).start();
            Node dragNode = node("drag_teach", master.uri(), "_urdf:=../urdf/teach_arm.urdf", "_tool_mass:=0.5", "_tool_com_z:=0.08");
            DragTeach drag = new DragTeach(dragNode);
            Node user = node("user", master.uri());
            AtomicReference<double[]> q = new AtomicReference<>();
            user.subscribe("joint_states", JointState.TYPE, 10, m -> q.set(java.util.Arrays.copyOf(m.position, 7)));
            Publisher<WrenchStamped> push = user.advertise("sim/wrench", WrenchStamped.TYPE);
            try {
                RosPeers.waitUntil(() -> q.get() != null && push.subscriberCount() > 0 && drag.controller().tared(), 20,
                        "sim_arm running and drag_teach tared against the raw sensor");
                double[] before = new double[16], after = new double[16], start = new double[16], end = new double[16];
                tcp.forward(q.get(), before);
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "hand";
                w.wrench.torque.y = 1.0;   // a hand turning the tool: the tool's weight now loads the sensor at another angle
                push.publish(w);
                Thread.sleep(800);
                w.wrench.torque.y = 0;
                push.publish(w);
                Thread.sleep(1500);
                tcp.forward(q.get(), after);
                double turned = Math.acos(Math.min(1, (before[0] * after[0] + before[4] * after[4] + before[8] * after[8] + before[1] * after[1]
                        + before[5] * after[5] + before[9] * after[9] + before[2] * after[2] + before[6] * after[6] + before[10] * after[10] - 1) / 2));
                assertTrue(turned > 0.15, "the push turned the hand (" + turned + " rad)");
                tcp.forward(q.get(), start);
                Thread.sleep(3000);
                tcp.forward(q.get(), end);
                double drift = Math.sqrt(Math.pow(end[3] - start[3], 2) + Math.pow(end[7] - start[7], 2) + Math.pow(end[11] - start[11], 2));
                assertTrue(drift < 1e-3, "nobody touching, the tool compensated at the new orientation: the hand drifted " + drift * 1e3
                        + " mm in 3 s");
            } finally {
                user.shutdown("test over");
                dragNode.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    static double medianTickStep(List<double[]> commands) {
        double[] steps = new double[commands.size() - 1];
        for (int i = 1; i < commands.size(); i++) steps[i - 1] = DragTeachTest.maxStep(commands.get(i - 1), commands.get(i));
        java.util.Arrays.sort(steps);
        return steps[steps.length / 2];
    }

    static String tare(Master master) throws Exception {
        return Peer.run(master.uri(), 30, RosPeers.tool("rosservice"), "call", "/ft_sensor/tare");
    }

    static void dynparam(Master master, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = RosPeers.tool("rosrun");
        cmd[1] = "dynamic_reconfigure";
        cmd[2] = "dynparam";
        System.arraycopy(args, 0, cmd, 3, args.length);
        try (Peer p = Peer.start(master.uri(), DEBIAN_PYTHON, cmd)) {
            assertTrue(p.waitFor(30), "dynparam did not finish:\n" + p.output());
            assertEquals(0, p.exitValue(), "dynparam " + String.join(" ", args) + ":\n" + p.output());
        }
    }
}
