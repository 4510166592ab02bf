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
    void gravityModeFloatsAnEffortControlledArm() throws Exception {
        double[] r = pushAndMeasure("effort_controllers/JointGroupEffortController", "_mode:=gravity");
        assertTrue(r[0] < 1e-3, "nobody touching: the arm floats where it is (" + r[0] + " m)");
        assertTrue(r[1] > 0.03, "a 6 N push moves the floating hand along it: " + r[1] + " m");
    }
}
