package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.control_msgs.GripperCommandFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandResult;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.ros.action.SimpleActionClient;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/** sim_arm's gripper behind a GripperActionController: control_msgs/GripperCommand goals over TCPROS on an embedded master. */
class SimArmGripperActionTest {

    static final String URDF = "../urdf/teach_arm.urdf";
    static final String ACTION = "effort_controllers/GripperActionController";

    static SimpleActionClient<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> client(Node n) throws Exception {
        var c = SimpleActionClient.create(n, "gripper_controller/gripper_cmd", GripperCommandServer.SPEC);
        assertTrue(c.waitForServer(10_000), "sim_arm's gripper action server");
        return c;
    }

    static GripperCommandGoal goal(double opening) {
        GripperCommandGoal g = new GripperCommandGoal();
        g.command.position = opening;
        g.command.max_effort = 10;
        return g;
    }

    @Test
    void goalsMoveTheFingersAreRejectedOutOfRangeCancelAndPreempt() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node user = node("user", master.uri());
            user.params().set("/gripper_controller/type", ACTION);
            user.params().set("/gripper_controller/stall_timeout", 0.3);
            Node sim = node("sim_arm", master.uri(), "_task:=none", "_rate:=100", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            double[] finger = {Double.NaN};
            user.subscribe("joint_states", JointState.TYPE, 0, m -> finger[0] = m.position[java.util.Arrays.asList(m.name).indexOf("finger_left_joint")]);
            try {
                var c = client(user);
                AtomicInteger feedbacks = new AtomicInteger();
                c.onFeedback(f -> feedbacks.incrementAndGet());
                RosPeers.waitUntil(() -> !Double.isNaN(finger[0]), 10, "joint_states");
                assertEquals("effort_controllers/GripperActionController", user.params().getString("/gripper_controller/type", ""));
                assertEquals("finger_left_joint", user.params().getString("/gripper_controller/joint", ""), "joint written back");
                double open = finger[0];

                // Out of range: rejected with the valid range, and nothing moves.
                c.sendGoal(goal(0.5));
                assertTrue(c.waitForResult(5000));
                assertEquals(GoalStatus.REJECTED, c.goalStatus());
                assertTrue(c.goalStatusText().contains("[0, 0.04]"), c.goalStatusText());
                c.sendGoal(goal(Double.NaN));
                assertTrue(c.waitForResult(5000));
                assertEquals(GoalStatus.REJECTED, c.goalStatus(), c.goalStatusText());
                Thread.sleep(300);
                assertEquals(open, finger[0], 1e-4, "a rejected goal moved the finger");

                // Reached within tolerance, with feedback on the way.
                c.sendGoal(goal(0.01));
                assertTrue(c.waitForResult(10_000));
                assertEquals(GoalStatus.SUCCEEDED, c.goalStatus(), c.goalStatusText());
                assertTrue(c.result().reached_goal && !c.result().stalled);
                assertEquals(0.01, c.result().position, 0.002);
                assertTrue(feedbacks.get() > 0, "feedback while moving");

                // Cancelled on the way: preempted, and the fingers stop short of the goal.
                c.sendGoal(goal(0.04));
                RosPeers.waitUntil(() -> finger[0] > 0.013, 10, "fingers opening");
                c.cancelGoal();
                assertTrue(c.waitForResult(5000));
                assertEquals(GoalStatus.PREEMPTED, c.goalStatus());
                Thread.sleep(500);
                assertTrue(finger[0] < 0.035, "the fingers went on to " + finger[0] + " after the cancel");

                // A new goal (another client's) preempts the one running.
                Node other = node("other", master.uri());
                var c2 = client(other);
                c.sendGoal(goal(0.0));
                RosPeers.waitUntil(() -> c.state() == SimpleActionClient.State.ACTIVE, 5, "first goal active");
                c2.sendGoal(goal(0.03));
                assertTrue(c.waitForResult(5000));
                assertEquals(GoalStatus.PREEMPTED, c.goalStatus());
                assertTrue(c2.waitForResult(10_000));
                assertEquals(GoalStatus.SUCCEEDED, c2.goalStatus());
                other.shutdown("done");

            } finally {
                user.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void fingersThatStopShortOfTheToleranceEndStalledNotReached() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node user = node("user", master.uri());
            user.params().set("/gripper_controller/type", ACTION);
            user.params().set("/gripper_controller/goal_tolerance", 1e-9);   // tighter than the finger ever settles
            user.params().set("/gripper_controller/stall_timeout", 0.05);   // the finger settles exponentially: it stops moving long before 1e-9
            user.params().set("/gripper_controller/allow_stalling", false);
            Node sim = node("sim_arm", master.uri(), "_task:=none", "_rate:=100", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            try {
                var c = client(user);
                c.sendGoal(goal(0.02));
                assertTrue(c.waitForResult(10_000));
                assertEquals(GoalStatus.ABORTED, c.goalStatus(), c.goalStatusText());
                assertEquals("stalled", c.goalStatusText());
                assertTrue(c.result().stalled && !c.result().reached_goal);
                assertEquals(0.02, c.result().position, 0.001, "stopped near the goal");
            } finally {
                user.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void lockstepTakesAGoalAtTheNextStepAndNeverWaitsOnIt() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node driver = node("driver", master.uri());
            driver.params().set("/gripper_controller/type", "position_controllers/GripperActionController");
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=3", "_urdf:=" + URDF);
            Publisher<Float64MultiArray> arm = driver.advertise("arm_controller/command", Float64MultiArray.TYPE, 1, false);
            Float64MultiArray armMsg = new Float64MultiArray();
            armMsg.data = new double[7];
            List<double[]> states = new CopyOnWriteArrayList<>();   // finger position, velocity
            Thread loop = new SimArm(sim).start();
            try {
                var c = client(driver);
                RosPeers.waitUntil(() -> arm.subscriberCount() > 0, 10, "sim_arm's arm command subscriber");
                driver.subscribe("joint_states", JointState.TYPE, 0, m -> {   // answers every state with the arm alone
                    int f = java.util.Arrays.asList(m.name).indexOf("finger_left_joint");
                    states.add(new double[] {m.position[f], m.velocity[f]});
                    System.arraycopy(m.position, 0, armMsg.data, 0, 7);
                    arm.publish(armMsg);
                });
                RosPeers.waitUntil(() -> states.size() >= 20, 20, "lockstep steps answered by the arm alone");
                int before = states.size();
                c.sendGoal(goal(0.0));
                assertTrue(c.waitForResult(20_000), "result in lockstep");
                assertTrue(c.goalStatus() == GoalStatus.SUCCEEDED || c.result().stalled, c.goalStatusText());
                assertTrue(states.get(states.size() - 1)[0] < states.get(before - 1)[0] - 0.01, "the fingers closed");
            } finally {
                driver.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }
}
