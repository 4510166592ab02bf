package org.teachlearn.nodes.teach;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * drag_teach on sim_arm's other arm interfaces: admittance streaming to a JointTrajectoryController,
 * and gravity mode on an effort controller (the arm floats: no push, it stays; a push moves it).
 */
class DragTeachInterfacesTest {

    /** Starts both nodes with ARM/type {@code type}; pushes 6 N along the hand's x after the settle; returns {still drift, pushed distance along x}. */
    static double[] pushAndMeasure(String type, String... dragParams) throws Exception {
        KinematicChain tcp = new KinematicChain(UrdfParser.parse(Path.of("../urdf/teach_arm.urdf")), "arm_link0", "hand_tcp");
        KinematicChain hand = new KinematicChain(UrdfParser.parse(Path.of("../urdf/teach_arm.urdf")), "arm_link0", "hand");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), "_task:=none", "_rate:=100", "_urdf:=../urdf/teach_arm.urdf");
            simNode.params().set("arm_controller/type", type);
            Thread loop = new SimArm(simNode).start();
            String[] args = new String[dragParams.length + 1];
            args[0] = "_urdf:=../urdf/teach_arm.urdf";
            System.arraycopy(dragParams, 0, args, 1, dragParams.length);
            Node dragNode = node("drag_teach", master.uri(), args);
            new DragTeach(dragNode);
            Node user = node("user", master.uri());
            AtomicReference<double[]> q = new AtomicReference<>();
            user.subscribe("joint_states", JointState.TYPE, 10, m -> q.set(java.util.Arrays.copyOf(m.position, 7)));
            Publisher<WrenchStamped> push = user.advertise("sim/wrench", WrenchStamped.TYPE);
            try {
                RosPeers.waitUntil(() -> q.get() != null && push.subscriberCount() > 0, 20, "sim_arm running");
                Thread.sleep(1500);   // the start-up tare
                double[] a = new double[16], b = new double[16], h = new double[16];
                tcp.forward(q.get(), a);
                Thread.sleep(1000);
                tcp.forward(q.get(), b);
                double still = dist(a, b);
                hand.forward(q.get(), h);
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "hand";
                w.wrench.force.x = 6;
                push.publish(w);
                Thread.sleep(800);
                tcp.forward(q.get(), a);
                double along = (a[3] - b[3]) * h[0] + (a[7] - b[7]) * h[4] + (a[11] - b[11]) * h[8];
                return new double[] {still, along};
            } finally {
                user.shutdown("test over");
                dragNode.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    static double dist(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[3] - b[3], 2) + Math.pow(a[7] - b[7], 2) + Math.pow(a[11] - b[11], 2));
    }

    @Test
    void admittanceDrivesAJointTrajectoryController() throws Exception {
        double[] r = pushAndMeasure("position_controllers/JointTrajectoryController", "_selected_axes:=x y z", "_sensor_feels_links:=false");
        assertTrue(r[0] < 1e-3, "nobody touching: still (" + r[0] + " m)");
        assertTrue(r[1] > 0.03, "a 6 N push moves the hand along it through streamed trajectories: " + r[1] + " m");
    }

    @Test
    void onLab6ArmAPushThroughTheRawSensorMovesTheHandAlongIt() throws Exception {
        // the second shipped arm: 6 joints with a UR5e's kinematics, its own joint, link and controller names
        java.nio.file.Path root = java.nio.file.Path.of("..").toAbsolutePath().normalize();
        KinematicChain tcp = new KinematicChain(UrdfParser.parse(root.resolve("urdf/lab6_arm.urdf")), "base_link", "gripper_tcp");
        KinematicChain hand = new KinematicChain(UrdfParser.parse(root.resolve("urdf/lab6_arm.urdf")), "base_link", "gripper_base");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            String[] arm = {"_urdf:=" + root.resolve("urdf/lab6_arm.urdf"), "_arm_controller:=arm_position_controller",
                "_gripper_controller:=gripper_position_controller"};
            Node simNode = node("sim_arm", master.uri(), concat(arm, "_task:=none", "_rate:=100", "_ft_sensor_raw:=true",
                    "_ft_sensor_bias:=[1.0, 2.0, -1.0, 0.05, 0.0, -0.03]", "_ft_sensor_noise:=[0.05, 0.003]"));
            // the arm's controllers as `rosparam load urdf/lab6_controllers.yaml` sets them
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> yaml = (java.util.Map<String, Object>) org.teachlearn.ros.launch.LaunchValues.yaml(
                    java.nio.file.Files.readString(root.resolve("urdf/lab6_controllers.yaml")));
            for (var e : yaml.entrySet()) simNode.params().set("/" + e.getKey(), e.getValue());
            Thread loop = new SimArm(simNode).start();
            Node dragNode = node("drag_teach", master.uri(), concat(arm, "_selected_axes:=x y z"));
            DragTeach drag = new DragTeach(dragNode);
            Node user = node("user", master.uri());
            AtomicReference<double[]> q = new AtomicReference<>();
            user.subscribe("joint_states", JointState.TYPE, 10, m -> {
                double[] p = new double[6];
                java.util.List<String> names = java.util.Arrays.asList(m.name);
                String[] joints = tcp.jointNames();
                for (int i = 0; i < 6; i++) p[i] = m.position[names.indexOf(joints[i])];
                q.set(p);
            });
            Publisher<WrenchStamped> push = user.advertise("sim/wrench", WrenchStamped.TYPE);
            try {
                RosPeers.waitUntil(() -> q.get() != null && push.subscriberCount() > 0 && drag.controller().tared(), 20,
                        "sim_arm (lab6) running and drag_teach tared");
                double[] a = new double[16], b = new double[16], h = new double[16];
                tcp.forward(q.get(), a);
                hand.forward(q.get(), h);
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "gripper_base";
                w.wrench.force.x = 6;
                push.publish(w);
                Thread.sleep(1000);
                tcp.forward(q.get(), b);
                double dx = b[3] - a[3], dy = b[7] - a[7], dz = b[11] - a[11], d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                double along = (dx * h[0] + dy * h[4] + dz * h[8]) / d;
                assertTrue(d > 0.05 && along > 0.95, "lab6's hand moved " + d + " m, cosine to the push " + along);
            } finally {
                user.shutdown("test over");
                dragNode.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void gravityModeFloatsAnEffortControlledArm() throws Exception {
        double[] r = pushAndMeasure("effort_controllers/JointGroupEffortController", "_mode:=gravity");
        System.out.println("gravity mode over ROS: still " + r[0] + " m in 1 s, pushed " + r[1] + " m");
        // torques through ROS at 100 Hz: on a loaded 2-core machine a stalled tick leaves a stale torque on for a while
        // (0.2-1.6 mm seen here); the drift figure itself is measured in process (DragBenchTest: under 1 mm in 10 s)
        assertTrue(r[0] < 3e-3, "nobody touching: the arm floats where it is (" + r[0] + " m)");
        assertTrue(r[1] > 0.03, "a 6 N push moves the floating hand along it: " + r[1] + " m");
    }
}
