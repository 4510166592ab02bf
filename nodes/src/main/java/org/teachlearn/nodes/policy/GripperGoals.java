package org.teachlearn.nodes.policy;

import java.io.IOException;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.control_msgs.GripperCommandAction;
import org.teachlearn.msgs.control_msgs.GripperCommandFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandResult;
import org.teachlearn.ros.action.ActionSpec;
import org.teachlearn.ros.action.SimpleActionClient;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.RosLog;

/**
 * The gripper opening as control_msgs/GripperCommand goals, for grippers behind a gripper_action_controller,
 * franka_gripper or Robotiq's action server. A goal goes out only when the opening moved more than
 * {@code deadband} from the last goal sent (a policy's opening wobbles by micrometres every tick, and
 * each goal preempts the one before); so a steady opening sends nothing and allocates nothing. Until the
 * server is connected nothing is sent (a goal before that would be lost) and the opening is tried again.
 */
final class GripperGoals implements GripperOutput {

    static final ActionSpec<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> SPEC = ActionSpec.of(
            GripperCommandAction.class, GripperCommandGoal.class, GripperCommandResult.class, GripperCommandFeedback.class);

    private final SimpleActionClient<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> client;
    private final RosLog log;
    private final double deadband;
    private final GripperCommandGoal goal = new GripperCommandGoal();
    private double lastSent = Double.NaN;
    private long sent;

    private GripperGoals(SimpleActionClient<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> client, RosLog log,
            double deadband, double maxEffort) {
        this.client = client;
        this.log = log;
        this.deadband = deadband;
        goal.command.max_effort = maxEffort;
    }

    static GripperGoals open(Node node, String action, double deadband, double maxEffort) throws IOException {
        if (!(deadband >= 0) || !Double.isFinite(maxEffort)) {
            throw new IllegalArgumentException("~gripper_deadband (" + deadband + " m) must be 0 or more and ~gripper_max_effort ("
                    + maxEffort + ") finite");
        }
        return new GripperGoals(SimpleActionClient.create(node, action, SPEC), node.log(), deadband, maxEffort);
    }

    @Override
    public void send(double opening) {
        if (!Double.isFinite(opening) || Math.abs(opening - lastSent) <= deadband) return;   // NaN lastSent: the first goal goes
        if (!client.isServerConnected()) {
            if (log.due("gripper-action", 5.0)) log.warn("policy_server: no server on " + client.name() + " yet: the gripper waits");
            return;
        }
        if (client.state() == SimpleActionClient.State.DONE && client.goalStatus() == GoalStatus.REJECTED && log.due("gripper-rejected", 5.0)) {
            log.warn("policy_server: " + client.name() + " rejected the opening " + lastSent + ": " + client.goalStatusText());
        }
        goal.command.position = opening;
        client.sendGoal(goal);
        lastSent = opening;
        sent++;
    }

    /** Goals sent so far. */
    long goalsSent() {
        return sent;
    }

    @Override
    public Publisher<?> waitsFor() {
        return null;
    }
}
