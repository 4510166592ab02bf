package org.teachlearn.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.teachlearn.nodes.TestNodes.node;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * A lockstep simulator that subscribes to the commands late, for the nodes that answer its states
 * (policy_server, the driving expert): a {@code rostopic echo} of the command topic, started
 * first, makes the node see a listener and answer the first state, which only the echo gets. The
 * simulator, once its own subscription connects, sends the state again with the same stamp: the
 * node must send the same command again (before, both waited for ever). Sent again with nobody new
 * listening to the arm's commands (a new gripper subscriber does not count), the state gets no
 * second answer: that one would count for the next state.
 */
public final class LateSimulator {

    private static final String[] JOINTS = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6",
        "arm_joint7", "finger_left_joint"};

    private LateSimulator() {
    }

    /** Runs the scenario against a node already answering states on {@code master} (teach_arm, reach). */
    public static void answeredAgainOnlyForANewSubscriber(URI master, long stampNanos) throws Exception {
        List<double[]> echoed = new CopyOnWriteArrayList<>(), simulator = new CopyOnWriteArrayList<>();
        Node echo = node("echo", master);
        Node sim = node("late_sim", master);
        Node gripperViewer = node("gripper_viewer", master);
        try {
            echo.subscribe("arm_controller/command", Float64MultiArray.TYPE, 100, m -> echoed.add(m.data.clone()));
            echo.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 100, m -> { });
            Publisher<JointState> joints = sim.advertise("joint_states", JointState.TYPE);
            Publisher<TaskState> states = sim.advertise("task/state", TaskState.TYPE);
            RosPeers.waitUntil(() -> joints.subscriberCount() > 0 && states.subscriberCount() > 0, 20, "the answering node subscribed");
            JointState js = new JointState();
            js.header.stamp.setNanos(stampNanos);
            js.name = JOINTS.clone();
            js.position = new double[] {0, -0.785, 0, -2.356, 0, 1.571, 0.785, 0.04};
            TaskState ts = new TaskState();
            ts.header.stamp.setNanos(stampNanos);
            ts.goal = new double[] {0.5, 0.1, 0.4};
            joints.publish(js);
            states.publish(ts);
            RosPeers.waitUntil(() -> echoed.size() == 1, 20, "the answer, to the echo only");
            var subscription = sim.subscribe("arm_controller/command", Float64MultiArray.TYPE, 100, m -> simulator.add(m.data.clone()));
            sim.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 100, m -> { });
            RosPeers.waitUntil(() -> subscription.publisherCount() > 0, 20, "the simulator's subscription connected");
            Thread.sleep(200);
            joints.publish(js);   // the simulator's resend: the same state, the same stamp
            states.publish(ts);
            RosPeers.waitUntil(() -> simulator.size() == 1, 20, "the answer again, now to the simulator too");
            assertArrayEquals(echoed.get(0), simulator.get(0), 0.0, "the same command, not a new one");
            // a new subscriber of the gripper's commands only: the arm command was not missed
            var gripperOnly = gripperViewer.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 100, m -> { });
            RosPeers.waitUntil(() -> gripperOnly.publisherCount() > 0, 20, "a late gripper-only subscription connected");
            Thread.sleep(200);
            joints.publish(js);   // again, nobody new listening to the arm: the answer is only slow, no second one
            states.publish(ts);
            Thread.sleep(1000);
            assertEquals(1, simulator.size(), "a state sent again with no new arm command subscriber gets no second answer");
            assertEquals(2, echoed.size());
        } finally {
            gripperViewer.shutdown("test over");
            sim.shutdown("test over");
            echo.shutdown("test over");
        }
    }
}
