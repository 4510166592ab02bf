package org.teachlearn.nodes.sim;

import java.io.IOException;
import org.teachlearn.msgs.control_msgs.GripperCommandAction;
import org.teachlearn.msgs.control_msgs.GripperCommandFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandResult;
import org.teachlearn.robot.control.GripperGoalMonitor;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.ros.action.ActionServer;
import org.teachlearn.ros.action.ActionSpec;
import org.teachlearn.ros.action.ServerGoalHandle;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Parameters;

/**
 * sim_arm's gripper as ros_control's gripper_action_controller serves it: control_msgs/GripperCommand
 * goals on {@code ~gripper_action} (default GRIPPER_CONTROLLER/gripper_cmd), used when the gripper
 * controller's type is a GripperActionController. A goal's position is each finger's opening (m). One
 * outside [0, max opening] or not finite is rejected and moves nothing; a new goal preempts the one
 * before; a cancel stops the fingers where they are. After each simulation step the goal succeeds
 * when the opening is within GRIPPER_CONTROLLER/goal_tolerance, or ends stalled (reached_goal false:
 * a grasp) when the fingers have not moved for GRIPPER_CONTROLLER/stall_timeout s of simulated time:
 * aborted, or succeeded with GRIPPER_CONTROLLER/allow_stalling. Feedback goes out at
 * GRIPPER_CONTROLLER/action_monitor_rate Hz of simulated time. max_effort is not applied: the finger's
 * gains and URDF effort limit bound the grip. A step allocates nothing.
 */
final class GripperCommandServer implements ActionServer.Listener<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> {

    static final ActionSpec<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> SPEC = ActionSpec.of(
            GripperCommandAction.class, GripperCommandGoal.class, GripperCommandResult.class, GripperCommandFeedback.class);

    private final CommandInbox commands;
    private final ArmWorld world;
    private final int joint;
    private final double maxOpening;
    private final GripperGoalMonitor monitor;
    private final boolean allowStalling;
    private final double feedbackPeriod;
    private final ActionServer<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> server;

    // Between the subscriber thread (goals, cancels) and the stepping thread.
    private volatile ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> current;
    private volatile double lastOpening = Double.NaN;
    private volatile double lastEffort;
    private final GripperCommandResult answerResult = new GripperCommandResult();   // under the server's lock

    // The stepping thread's own.
    private ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> monitored;
    private double simTime;
    private double lastFeedbackAt;
    private final GripperCommandResult stepResult = new GripperCommandResult();
    private final GripperCommandFeedback feedback = new GripperCommandFeedback();

    private GripperCommandServer(Node node, String actionName, String controller, ArmWorld world, String gripperJoint,
            CommandInbox commands) throws IOException {
        Parameters p = node.params();
        this.commands = commands;
        this.world = world;
        this.joint = world.jointIndex(gripperJoint);
        this.maxOpening = world.joint(joint).upper();
        monitor = new GripperGoalMonitor(p.getDouble(controller + "/goal_tolerance", 0.002),
                p.getDouble(controller + "/stall_velocity_threshold", 0.001), p.getDouble(controller + "/stall_timeout", 1.0));
        allowStalling = p.getBool(controller + "/allow_stalling", false);
        double rate = p.getDouble(controller + "/action_monitor_rate", 20.0);
        if (!(rate > 0)) throw new IllegalArgumentException(controller + "/action_monitor_rate must be positive, not " + rate);
        feedbackPeriod = 1 / rate;
        server = ActionServer.start(node, actionName, SPEC, this);
    }

    /** Serves the gripper of {@code world} through {@code commands} (whose gripper target it sets). */
    static GripperCommandServer start(Node node, String actionName, String controller, ArmWorld world, String gripperJoint,
            CommandInbox commands) throws IOException {
        if (gripperJoint == null) throw new IllegalArgumentException(controller + " is a GripperActionController but the arm has no gripper");
        return new GripperCommandServer(node, actionName, controller, world, gripperJoint, commands);
    }

    String name() {
        return server.name();
    }

    // --- subscriber thread, the server's lock held ---

    @Override
    public void onGoal(ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> goal) {
        double opening = goal.goal().command.position, effort = goal.goal().command.max_effort;
        if (!(opening >= 0 && opening <= maxOpening)) {
            goal.reject(null, "position " + opening + " is outside the gripper's range [0, " + maxOpening
                    + "] (each finger's opening in metres): rejected, the gripper does not move");
            return;
        }
        if (Double.isNaN(effort)) {
            goal.reject(null, "max_effort is NaN: rejected, the gripper does not move");
            return;
        }
        var before = current;
        if (before != null && !before.isTerminal()) before.cancelled(answer(false), "preempted by a new goal");
        goal.accept("");
        commands.setGripperTarget(opening);
        current = goal;
    }

    @Override
    public void onCancel(ServerGoalHandle<GripperCommandGoal, GripperCommandResult, GripperCommandFeedback> goal) {
        double here = lastOpening;
        if (goal == current && !Double.isNaN(here)) commands.setGripperTarget(here);   // stop where the fingers are
        goal.cancelled(answer(false), "cancelled");
    }

    private GripperCommandResult answer(boolean reached) {
        answerResult.position = lastOpening;
        answerResult.effort = lastEffort;
        answerResult.stalled = false;
        answerResult.reached_goal = reached;
        return answerResult;
    }

    // --- the stepping thread ---

    /** After each simulation step of {@code dt} s: judges the goal, and sends feedback or its result. */
    void update(double dt) {
        simTime += dt;
        double opening = world.position(joint), velocity = world.velocity(joint), effort = world.effort(joint);
        lastOpening = opening;
        lastEffort = effort;
        var goal = current;
        if (goal == null || goal.isTerminal()) return;
        if (goal != monitored) {
            monitored = goal;
            monitor.start(goal.goal().command.position, simTime - dt);
            lastFeedbackAt = Double.NEGATIVE_INFINITY;
        }
        stepResult.position = opening;
        stepResult.effort = effort;
        switch (monitor.update(opening, velocity, simTime)) {
            case REACHED -> {
                stepResult.stalled = false;
                stepResult.reached_goal = true;
                goal.succeed(stepResult, "");
            }
            case STALLED -> {
                stepResult.stalled = true;
                stepResult.reached_goal = false;
                if (allowStalling) goal.succeed(stepResult, "stalled");
                else goal.abort(stepResult, "stalled");
            }
            case MOVING -> {
                if (simTime - lastFeedbackAt < feedbackPeriod) return;
                lastFeedbackAt = simTime;
                feedback.position = opening;
                feedback.effort = effort;
                feedback.stalled = false;
                feedback.reached_goal = false;
                goal.publishFeedback(feedback);
            }
        }
    }

    /** A new episode: the goal being executed ends, aborted (the world it was for is gone). */
    void episodeReset() {
        var goal = current;
        if (goal == null || goal.isTerminal()) return;
        stepResult.position = lastOpening;
        stepResult.effort = lastEffort;
        stepResult.stalled = false;
        stepResult.reached_goal = false;
        goal.abort(stepResult, "the simulation started a new episode");
    }
}
