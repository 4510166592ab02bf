package org.teachlearn.nodes.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.control_msgs.GripperCommandFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandResult;
import org.teachlearn.ros.action.ActionServer;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/** policy_server's gripper through GripperCommand goals: a goal only on a change past the deadband, nothing allocated while steady. */
class GripperGoalsTest {

    @Test
    void aSteadyOpeningSendsOneGoalAndAllocatesNothingPerTick() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node gripper = node("gripper", master.uri());
            List<Double> goals = new CopyOnWriteArrayList<>();
            ActionServer.start(gripper, "/gripper_controller/gripper_cmd", GripperGoals.SPEC,
                    new ActionServer.Listener<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback>() {
                        @Override
                        public void onGoal(org.teachlearn.ros.action.ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> g) {
                            goals.add(g.goal().command.position);
                            g.accept("");
                        }
                    });
            Node server = node("policy_server", master.uri(), "_gripper_interface:=action");
            GripperOutput out = GripperOutput.open(server);
            GripperGoals g = (GripperGoals) out;
            out.send(0.03);   // no server connection yet: nothing goes, and the opening is tried again
            RosPeers.waitUntil(() -> {
                out.send(0.03);
                return g.goalsSent() == 1;
            }, 10, "the first goal, once the server is connected");
            RosPeers.waitUntil(() -> goals.size() == 1, 10, "the goal at the server");

            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            for (int i = 0; i < 20_000; i++) out.send(0.03 + 0.0009 * Math.sin(i));   // warm up
            long before = threads.getThreadAllocatedBytes(id);
            int ticks = 100_000;
            for (int i = 0; i < ticks; i++) out.send(0.03 + 0.0009 * Math.sin(i));   // wobbles inside the 1 mm deadband
            double perTick = (threads.getThreadAllocatedBytes(id) - before) / (double) ticks;
            System.out.printf("gripper goals: %.4f B allocated per steady tick%n", perTick);
            assertTrue(perTick < 0.1, perTick + " B per tick");
            assertEquals(1, g.goalsSent(), "goals sent while the opening stayed within the deadband");

            out.send(0.01);   // a real change: one new goal
            out.send(0.01);
            assertEquals(2, g.goalsSent());
            RosPeers.waitUntil(() -> goals.size() == 2, 10, "the second goal at the server");
            assertEquals(0.01, goals.get(1));
            out.send(Double.NaN);   // never sent
            assertEquals(2, g.goalsSent());
            server.shutdown("test over");
            gripper.shutdown("test over");
        }
    }
}
