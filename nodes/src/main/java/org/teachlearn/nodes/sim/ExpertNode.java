package org.teachlearn.nodes.sim;

import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.observe.RecentJointStates;
import org.teachlearn.nodes.observe.SubscriberWait;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.arm.GripperScale;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * expert: the scripted expert of a simulated task as a ROS node. For every state that is not done
 * it answers on {@code expert/action} (stamp = the state's), and with {@code ~drive:=true} it also
 * commands the arm and gripper (position controllers), so it can give demonstrations. With
 * {@code ~noise} > 0 the arm is commanded the expert's targets plus Gaussian noise of that many
 * radians while {@code expert/action} keeps the expert's own (DART, as {@code train bc} does in
 * process): recorded demonstrations then show how to come back from small errors.
 *
 * <pre>
 * params  ~task reach|pick_place|reach_around, ~drive (false), ~arm_controller, ~gripper_controller, ~cube_size (0.05),
 *         ~control_period (0.01), ~noise (0 rad), ~seed (0); the URDF from ~urdf, /robot_description or the shipped arm
 * sub     joint_states, task/state (paired by stamp)
 * pub     expert/action; ARM_CONTROLLER/command and GRIPPER_CONTROLLER/command when driving
 * </pre>
 */
public final class ExpertNode {

    private final Node node;
    private final Expert expert;
    private final JointStateMap joints;
    private final boolean drive;
    private final int[] commandOrder;      // chain index of each value of the arm command
    private final Publisher<ActionStamped> actions;
    private final Publisher<Float64MultiArray> armCommand;
    private final Publisher<Float64MultiArray> gripperCommand;
    private final Object lock = new Object();
    // The last few joint states by stamp: under load a state's task/state can arrive after the next
    // joint_states (separate connections), and a single slot would skip that state unlabelled.
    private final RecentJointStates recent;
    private double[] positions;
    private final double[] arm;
    private double gripper;
    // Impossible stamps until the first state: sim time starts at 0.
    private final Time stateStamp = new Time(-3, 0);
    private final Time answered = new Time(-1, 0);   // no state answered yet (sim time starts at 0)
    private final double[] goal;
    private final int goalSize;
    private final String taskName;
    private boolean stateDone = true;
    private boolean resent;          // drive: the last task/state was the answered state's again
    private final ActionStamped action = new ActionStamped();
    private final Float64MultiArray armMsg = new Float64MultiArray();
    private final Float64MultiArray gripperMsg = new Float64MultiArray();
    private final SubscriberWait armListens;
    private final GripperScale gripperScale;   // null: an arm without gripper
    private final double noise;
    private final java.util.Random noiseRng;

    /** The expert on a started node; it answers from its subscriptions (so it can share another program's JVM). */
    public ExpertNode(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        ArmDescription description = ArmDescription.read(node, false);
        ArmLayout layout = description.layout();
        KinematicChain chain = layout.chain(description.model());
        gripperScale = layout.gripper();
        String task = p.getString("~task", "reach");
        taskName = task;
        goalSize = Task.named(task).goalSize();
        goal = new double[goalSize];
        expert = Expert.forTask(task, chain, layout, p.getDouble("~control_period", 0.01), p.getDouble("~cube_size", 0.05));
        String[] names = chain.jointNames();
        String[] all = java.util.Arrays.copyOf(names, names.length + (gripperScale != null ? 1 : 0));
        if (gripperScale != null) all[names.length] = layout.gripperJoint();
        joints = new JointStateMap(all);
        recent = new RecentJointStates(joints, all.length, 8, false);
        arm = new double[names.length + 1];
        drive = p.getBool("~drive", false);
        noise = p.getDouble("~noise", 0.0);
        if (!(noise >= 0) || !Double.isFinite(noise)) throw new IllegalArgumentException("~noise must be a finite number of radians >= 0, got " + noise);
        noiseRng = new java.util.Random(p.getInt("~seed", 0));
        String armController = ArmDescription.armController(p);
        String type = p.getString(armController + "/type", "effort_controllers/JointGroupPositionController");
        if (drive && org.teachlearn.robot.control.ControlMode.isTrajectoryController(type)) {
            throw new IllegalArgumentException("the scripted expert drives JointGroupPositionControllers (std_msgs/Float64MultiArray), but "
                    + armController + " is a " + type + " (run with ~drive:=false to label only)");
        }
        if (drive && org.teachlearn.robot.control.ControlMode.ofControllerType(type)
                != org.teachlearn.robot.control.ControlMode.POSITION) {
            throw new IllegalArgumentException("the scripted expert commands joint positions, but " + armController + " is a " + type
                    + " (drive a position controller, or run with ~drive:=false to label only)");
        }
        java.util.List<String> listed = p.getStringList(armController + "/joints", java.util.List.of(names));
        if (listed.size() != names.length || !listed.containsAll(java.util.List.of(names))) {
            throw new IllegalArgumentException(armController + "/joints " + listed + " must name the arm's joints "
                    + String.join(", ", names));
        }
        commandOrder = listed.stream().mapToInt(java.util.List.of(names)::indexOf).toArray();
        actions = node.advertise("expert/action", ActionStamped.TYPE);
        armCommand = drive ? node.advertise(armController + "/command", Float64MultiArray.TYPE) : null;
        gripperCommand = drive && gripperScale != null ? node.advertise(ArmDescription.gripperController(p) + "/command",
                Float64MultiArray.TYPE) : null;
        armListens = !drive ? null : gripperCommand != null ? new SubscriberWait(node, lock, armCommand, gripperCommand)
                : new SubscriberWait(node, lock, armCommand);
        action.action = new double[all.length];
        armMsg.data = new double[names.length];
        gripperMsg.data = new double[1];
        node.subscribe("joint_states", JointState.TYPE, 100, this::onJoints);   // deep: a label is lost only when the expert falls a whole batch behind
        node.subscribe("task/state", TaskState.TYPE, 100, this::onState);
        node.log().info("expert: " + task + (drive ? ", driving the arm" + (noise > 0 ? " with " + noise + " rad of noise (DART)" : "")
                : ", labelling only (~drive:=false)"));
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("expert", argv, ExpertNode::run);
    }

    public static void run(Node node) throws Exception {
        new ExpertNode(node);
        node.spin();
    }

    private void onJoints(JointState m) {
        synchronized (lock) {
            if (!recent.put(m)) {
                node.log().errorThrottled("joints", 2.0, "expert: " + recent.missing());
                return;
            }
            answerIfPaired();
        }
    }

    private void onState(TaskState m) {
        if (m.goal.length != goalSize || !CommandLimits.finite(m.goal, goalSize)) {
            node.log().errorThrottled("goal", 2.0, "expert: task/state.goal " + java.util.Arrays.toString(m.goal) + " is not " + goalSize
                    + " finite values (task " + taskName + "): refused");
            return;
        }
        synchronized (lock) {
            // the simulator sends a state again while it waits for its answer: see answerIfPaired
            resent = drive && answered.secs >= 0 && m.header.stamp.equals(answered);
            stateStamp.set(m.header.stamp);
            System.arraycopy(m.goal, 0, goal, 0, goal.length);
            stateDone = m.done;
            answerIfPaired();
        }
    }

    /** Points {@link #positions} at the joint state stamped {@code stamp}; false when none of the recent ones is. */
    private boolean findPositions(long stamp) {
        int slot = recent.slotOf(stamp);
        if (slot < 0) return false;
        positions = recent.positions(slot);
        return true;
    }

    /** Acts once both messages of a state are in (they travel on separate connections). */
    private void answerIfPaired() {
        if (resent) {
            resent = false;
            // the simulator asks again and subscribed after our answer went out: the same commands again
            if (armListens.joinedSinceSending()) {
                armListens.sending();
                if (gripperCommand != null) gripperCommand.publish(gripperMsg);
                armCommand.publish(armMsg);
                node.log().warnThrottled("resent", 5.0, "expert: the simulator asked again for a state answered before it subscribed: "
                        + "sending the same command again");
            }
            return;
        }
        if (stateDone || stateStamp.equals(answered) || !findPositions(stateStamp.toNanos())) return;
        if (drive && !armListens.ready()) {
            armListens.retryWhenSubscribed(this::answerIfPaired);
            return;
        }
        answered.set(stateStamp);
        // the expert speaks each finger's opening in metres; the controller, the joint's position
        expert.act(positions, gripperScale != null ? gripperScale.toWidth(positions[positions.length - 1]) : 0, goal, arm);
        System.arraycopy(arm, 0, action.action, 0, action.action.length);
        action.header.stamp.set(stateStamp);
        actions.publish(action);
        if (drive) {
            for (int i = 0; i < armMsg.data.length; i++) armMsg.data[i] = arm[commandOrder[i]] + (noise > 0 ? noise * noiseRng.nextGaussian() : 0);
            armListens.sending();
            if (gripperCommand != null) {
                gripperMsg.data[0] = gripperScale.toJoint(arm[arm.length - 1]);
                gripperCommand.publish(gripperMsg);
            }
            armCommand.publish(armMsg);
        }
    }
}
