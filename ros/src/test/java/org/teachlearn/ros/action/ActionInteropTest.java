package org.teachlearn.ros.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.actionlib_msgs.GoalStatusArray;
import org.teachlearn.msgs.control_msgs.GripperCommandAction;
import org.teachlearn.msgs.control_msgs.GripperCommandFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandResult;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Our ActionServer and SimpleActionClient against actionlib's own (Debian's python3-actionlib), with
 * control_msgs/GripperCommand from the checkout's devel/, under Debian's roscore.
 */
class ActionInteropTest {

    static final ActionSpec<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> GRIPPER = ActionSpec.of(
            GripperCommandAction.class, GripperCommandGoal.class, GripperCommandResult.class, GripperCommandFeedback.class);
    static final Map<String, String> DEVEL = Map.of("PYTHONPATH",
            Path.of("../devel/lib/python3/dist-packages").toAbsolutePath().normalize().toString());
    static Peer roscore;
    static URI uri;

    @BeforeAll
    static void startRoscore() throws Exception {
        URI[] u = new URI[1];
        roscore = RosPeers.roscore(u);
        uri = u[0];
    }

    @AfterAll
    static void stopRoscore() {
        roscore.close();
    }

    static Peer python(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = RosPeers.PYTHON;
        cmd[1] = Path.of("src/test/peers/action_peer.py").toAbsolutePath().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Peer.start(uri, DEVEL, cmd);
    }

    /**
     * A gripper in miniature: openings in [0, 0.04] m; a goal is reached 0.1 s after it is accepted, with
     * feedback on the way, except one with a negative max_effort, which it holds until cancelled; a new goal
     * preempts the one before.
     */
    static final class TestGripper implements ActionServer.Listener<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> {
        volatile ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> current;
        volatile long acceptedAt;
        final GripperCommandFeedback feedback = new GripperCommandFeedback();
        final GripperCommandResult result = new GripperCommandResult();

        @Override
        public void onGoal(ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> goal) {
            double p = goal.goal().command.position;
            if (!(p >= 0 && p <= 0.04)) {
                goal.reject(null, "opening " + p + " m is outside [0, 0.04] m");
                return;
            }
            ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> before = current;
            if (before != null && !before.isTerminal()) before.cancelled(null, "preempted by a new goal");
            goal.accept("");
            acceptedAt = System.nanoTime();
            current = goal;
        }

        /** One control step. */
        void step() {
            ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> g = current;
            if (g == null || g.isTerminal()) return;
            double target = g.goal().command.position;
            double done = Math.min(1, (System.nanoTime() - acceptedAt) / 1e8);
            result.position = target;
            result.reached_goal = true;
            if (g.isCancelRequested()) {
                result.reached_goal = false;
                g.cancelled(result, "cancelled");
            } else if (done >= 1 && g.goal().command.max_effort >= 0) {
                g.succeed(result, "reached");
            } else {
                feedback.position = target * done;
                g.publishFeedback(feedback);
            }
        }
    }

    @Test
    void actionlibsSimpleActionClientUsesOurServer() throws Exception {
        try (Node n = Node.start(NodeArgs.parse("jgripper", new String[0]).withMaster(uri)); Node watcher = Node.start(NodeArgs.parse("jwatch", new String[0]).withMaster(uri))) {
            n.params().set("/actionlib_status_frequency", 20.0);
            n.params().set("/gripper_action/status_list_timeout", 0.5);
            TestGripper gripper = new TestGripper();
            ActionServer<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> server =
                    ActionServer.start(n, "/gripper_action", GRIPPER, gripper);
            assertEquals(20.0, server.statusFrequency());
            Thread loop = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    gripper.step();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            loop.start();
            try (Peer py = python("client", "/gripper_action")) {
                py.awaitLine("done", 90);
                List<String> lines = py.lines();
                assertTrue(lines.contains("reach SUCCEEDED 0.0200 True False feedback True"), py.output());
                assertTrue(lines.contains("out_of_range REJECTED opening 0.5 m is outside [0, 0.04] m"), py.output());
                assertTrue(lines.contains("cancel PREEMPTED"), py.output());
                assertTrue(lines.contains("cancel_all PREEMPTED"), py.output());
                assertTrue(lines.contains("cancel_before PREEMPTED"), py.output());
                assertTrue(lines.contains("preempted_by_new PREEMPTED SUCCEEDED 0.0150"), py.output());
            } finally {
                loop.interrupt();
                loop.join();
            }
            // Finished goals are forgotten after status_list_timeout: the status list does not grow.
            waitUntil(() -> server.trackedGoals() == 0, 5, "finished goals forgotten");
            // Status at the configured rate, latched for a late subscriber.
            AtomicInteger statuses = new AtomicInteger();
            watcher.subscribe("/gripper_action/status", GoalStatusArray.TYPE, s -> statuses.incrementAndGet());
            waitUntil(() -> statuses.get() > 0, 10, "the latched status");
            int first = statuses.get();
            Thread.sleep(1000);
            int perSecond = statuses.get() - first;
            assertTrue(perSecond >= 15 && perSecond <= 25, "status messages in 1 s at 20 Hz: " + perSecond);
            server.close();
        }
    }

    @Test
    void ourSimpleActionClientUsesActionlibsServer() throws Exception {
        try (Peer py = python("server", "/py_gripper"); Node n = Node.start(NodeArgs.parse("jclient", new String[0]).withMaster(uri))) {
            py.awaitLine("ready", 60);
            SimpleActionClient<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> c =
                    SimpleActionClient.create(n, "/py_gripper", GRIPPER);
            assertTrue(c.waitForServer(20_000), "server connected");
            AtomicInteger feedbacks = new AtomicInteger();
            c.onFeedback(f -> feedbacks.incrementAndGet());
            GripperCommandGoal goal = new GripperCommandGoal();

            goal.command.position = 0.02;
            c.sendGoal(goal);
            assertTrue(c.waitForResult(10_000), "result of 0.02");
            assertEquals(SimpleActionClient.State.DONE, c.state());
            assertEquals(GoalStatus.SUCCEEDED, c.goalStatus(), c.goalStatusText());
            assertEquals(0.02, c.result().position, 1e-12);
            assertTrue(c.result().reached_goal);
            assertEquals(1.5, c.result().effort);
            assertTrue(feedbacks.get() > 0, "feedback arrived");

            goal.command.position = -0.1;
            c.sendGoal(goal);
            assertTrue(c.waitForResult(10_000), "result of -0.1");
            assertEquals(GoalStatus.ABORTED, c.goalStatus());
            assertEquals("negative opening -0.100", c.goalStatusText());

            goal.command.position = 0.03;
            c.sendGoal(goal);
            waitUntil(() -> c.state() == SimpleActionClient.State.ACTIVE, 10, "goal active");
            c.cancelGoal();
            assertTrue(c.waitForResult(10_000), "result after cancel");
            assertEquals(GoalStatus.PREEMPTED, c.goalStatus(), c.goalStatusText());
            assertEquals(-1.0, c.result().position);

            goal.command.position = 0.035;
            c.sendGoal(goal);
            String first = c.goalId();
            goal.command.position = 0.01;
            c.sendGoal(goal);
            assertTrue(!first.equals(c.goalId()) && c.goalId().startsWith("/jclient-"), c.goalId());
            assertTrue(c.waitForResult(10_000), "result of the second goal");
            assertEquals(GoalStatus.SUCCEEDED, c.goalStatus());
            assertEquals(0.01, c.result().position, 1e-12);
            c.close();
        }
    }
}
