package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;


import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.LateSimulator;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/** sim_arm with the expert node and a listener, over TCPROS on an embedded master. */
@Tag(TestNodes.REALTIME)
class SimArmNodesTest {

    @Test
    void expertDrivesReachToSuccessAndLabelsEveryState() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=40", "_urdf:=../urdf/teach_arm.urdf");
            Thread loop = new SimArm(simNode).start();
            Node expertNode = node("expert", master.uri(), "_task:=reach", "_drive:=true");
            new ExpertNode(expertNode);
            Node listener = node("listener", master.uri());
            List<TaskState> done = new CopyOnWriteArrayList<>();
            AtomicInteger states = new AtomicInteger();
            java.util.Set<Long> labelStamps = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicReference<String> unmatched = new AtomicReference<>();
            List<Long> stateStamps = new CopyOnWriteArrayList<>();
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                states.incrementAndGet();
                if (!m.done) stateStamps.add(m.header.stamp.toNanos());
                if (m.done) {
                    TaskState copy = new TaskState();
                    copy.episode = m.episode;
                    copy.success = m.success;
                    copy.step = m.step;
                    done.add(copy);
                }
            });
            listener.subscribe("expert/action", ActionStamped.TYPE, 1000, m -> {
                labelStamps.add(m.header.stamp.toNanos());
                if (m.action.length != 8) unmatched.set("action has " + m.action.length + " values");
            });
            try {
                RosPeers.waitUntil(() -> done.size() >= 10, 120, "10 reach episodes driven by the expert");
                simNode.shutdown("enough episodes");   // no new states; let the labels still on the wire arrive
                loop.join(5000);
                Thread.sleep(500);
                long ok = done.stream().limit(10).filter(d -> d.success).count();
                assertTrue(ok >= 10, "expert reached the goal in " + ok + " of 10 episodes over ROS");
                assertEquals(null, unmatched.get());
                // every state that is not done gets a label with its stamp (once both listeners are connected)
                long first = labelStamps.stream().min(Long::compare).orElseThrow();
                long last = stateStamps.get(stateStamps.size() - 1);
                long unlabelled = stateStamps.stream().filter(t -> t >= first && t < last && !labelStamps.contains(t)).count();
                assertEquals(0, unlabelled, "states without an expert/action of the same stamp");
            } finally {
                listener.shutdown("test over");
                expertNode.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /** The driving expert, as policy_server (PolicyServerTest): a command topic echoed before the simulator subscribed ({@link LateSimulator}). */
    @Test
    void expertAnswersAStateSentAgainAfterTheSimulatorSubscribedLate() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node expertNode = node("expert", master.uri(), "_task:=reach", "_drive:=true", "_urdf:=../urdf/teach_arm.urdf");
            new ExpertNode(expertNode);
            try {
                LateSimulator.answeredAgainOnlyForANewSubscriber(master.uri(), 2_000_000_000L);
            } finally {
                expertNode.shutdown("test over");
            }
        }
    }

    @Test
    void lockstepStepsWithTheGripperCommandThatAnsweredTheState() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=3", "_urdf:=../urdf/teach_arm.urdf");
            Node driver = node("driver", master.uri());
            Publisher<Float64MultiArray> arm = driver.advertise("arm_controller/command", Float64MultiArray.TYPE, 1, false);
            Publisher<Float64MultiArray> gripper = driver.advertise("gripper_controller/command", Float64MultiArray.TYPE, 1, false);
            Float64MultiArray armMsg = new Float64MultiArray(), gripperMsg = new Float64MultiArray();
            armMsg.data = new double[7];
            gripperMsg.data = new double[1];
            List<double[]> states = new CopyOnWriteArrayList<>();   // step, finger position, finger velocity
            Thread loop = new SimArm(simNode).start();
            RosPeers.waitUntil(() -> arm.subscriberCount() > 0 && gripper.subscriberCount() > 0, 10, "sim_arm's command subscribers");
            driver.subscribe("joint_states", JointState.TYPE, 0, m -> {   // latched: the first state comes too
                int step = states.size(), fingers = java.util.Arrays.asList(m.name).indexOf("finger_left_joint");
                states.add(new double[] {step, m.position[fingers], m.velocity[fingers]});
                System.arraycopy(m.position, 0, armMsg.data, 0, 7);
                gripperMsg.data[0] = step % 2 == 0 ? 0.04 : 0.0;
                // the arm first: the order in which sim_arm would step before the gripper is in
                arm.publish(armMsg);
                if (step < 60) gripper.publish(gripperMsg);   // then the arm alone: sim_arm waits 0.1 s for the gripper, then steps
            });
            try {
                RosPeers.waitUntil(() -> states.size() >= 66, 20, "lockstep states, the last ones answered by the arm alone");
            } finally {
                driver.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
            // State k+1 shows the step commanded in answer to state k: fingers opening after 0.04, closing after 0.0.
            for (int k = 1; k < 59; k++) {
                double velocity = states.get(k + 1)[2];
                if (k % 2 == 1) assertTrue(velocity < 0, "step " + k + " was commanded to close but the fingers moved at " + velocity);
                else assertTrue(velocity > 0 || states.get(k + 1)[1] >= 0.0399, "step " + k + " was commanded to open but the fingers moved at " + velocity);
            }
        }
    }

    @Test
    void realTimeModePublishesAtItsRateAndTheWristFeelsSimWrench() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node simNode = node("sim_arm", master.uri(), "_task:=none", "_rate:=100", "_urdf:=../urdf/teach_arm.urdf");
            Thread loop = new SimArm(simNode).start();
            Node user = node("user", master.uri());
            AtomicInteger joints = new AtomicInteger();
            AtomicReference<double[]> sensed = new AtomicReference<>(new double[3]);
            user.subscribe("joint_states", JointState.TYPE, 1000, m -> joints.incrementAndGet());
            user.subscribe("ft_sensor/wrench", WrenchStamped.TYPE, 10,
                    m -> sensed.set(new double[] {m.wrench.force.x, m.wrench.force.y, m.wrench.force.z}));
            Publisher<WrenchStamped> push = user.advertise("sim/wrench", WrenchStamped.TYPE);
            try {
                RosPeers.waitUntil(() -> joints.get() > 0 && push.subscriberCount() > 0, 10, "sim_arm to connect");
                int before = joints.get();
                Thread.sleep(2000);
                int rate = (joints.get() - before) / 2;
                assertTrue(rate > 85 && rate < 110, "joint_states at " + rate + " Hz, expected 100");
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "hand";
                w.wrench.force.x = 3;
                w.wrench.force.z = -2;
                push.publish(w);
                RosPeers.waitUntil(() -> Math.abs(sensed.get()[0] - 3) < 0.3 && Math.abs(sensed.get()[2] + 2) < 0.3, 10,
                        "ft_sensor/wrench to read the 3 N / -2 N push on the hand");
            } finally {
                user.shutdown("test over");
                simNode.shutdown("test over");
                loop.join(5000);
            }
        }
    }
}
