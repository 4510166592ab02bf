package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;


import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/** sim_arm with the expert node and a listener, over TCPROS on an embedded master. */
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
