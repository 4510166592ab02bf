package org.teachlearn.nodes.teleop;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.teachlearn.msgs.geometry_msgs.PoseStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.StopDemoRequest;
import org.teachlearn.msgs.teach_learn.StopDemoResponse;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.policy.ArmCommandOut;
import org.teachlearn.nodes.policy.GripperOutput;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.ReadingFreshness;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.teleop.PoseGuard;
import org.teachlearn.robot.teleop.TeleopController;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.RosLog;
import org.teachlearn.ros.node.ServiceClient;

/**
 * vr_teleop: a VR controller drives the arm's tool (docs/nodes.md §15). The logic is
 * {@link TeleopController}; this is its wiring.
 *
 * <pre>
 * params  ~scale (1), ~rotation (true), ~gain (20 1/s), ~pose_timeout (0.1 s), ~max_pose_jump (0.1 m), ~max_tracking_distance (5 m),
 *         ~tracking_to_base ([x y z qx qy qz qw]; WebXR y-up → base z-up), ~clutch_button (0), ~trigger_axis (0),
 *         ~success_button (1), ~failure_button (2) (-1: none; vr_web's vr/joy layout), ~idle (hold | yield: send nothing while released, for a policy
 *         to drive), ~watchdog_timeout (0.2 s), ~max_stamp_age (0.5 s; 0 off), drag_teach's limits by name
 *         ({@link ParametersOfTeleop#SHARED}), the arm's parameters of docs/nodes.md §1, ARM_CONTROLLER/type (its interface)
 * sub     joint_states (each one is a tick), vr/controller_pose (geometry_msgs/PoseStamped), vr/joy (sensor_msgs/Joy),
 *         ARM_CONTROLLER/command (~idle yield: where the policy left the targets, for a take-over without a step back)
 * pub     ARM_CONTROLLER/command, GRIPPER_CONTROLLER/command (or GripperCommand goals) while engaged (and holds, ~idle hold),
 *         teleop/active (std_msgs/Bool, latched), expert/action (teach_learn/ActionStamped, while engaged),
 *         teleop/latency (std_msgs/Float64MultiArray [controller stamp → command, pose arrival → command] s, per command)
 * calls   demo/stop (teach_learn/StopDemo) on the success or failure button
 * </pre>
 * Released (~idle hold), the hold goes out once: a position controller keeps it, and a simulator
 * reset is not pulled back. Fails safe: tracking loss (a stale, NaN, non-unit, zero, far or jumping pose), a release, a stale
 * joint_states, a Joy message too short for the clutch, and shutdown all hold the arm, with a
 * throttled error saying why; after a tracking loss the clutch must be pressed again.
 */
public final class VrTeleop {

    private final Node node;
    private final Object lock = new Object();
    private final TeleopController teleop;
    private final ArmCommandOut armOut;
    private final GripperOutput gripperOut;
    private final Publisher<Bool> activeOut;
    private final Publisher<ActionStamped> expertOut;
    private final Publisher<Float64MultiArray> latencyOut;
    private final ServiceClient<StopDemoRequest, StopDemoResponse> stop;
    private final ExecutorService stopCalls;
    private final JointStateMap joints;
    private final ReadingFreshness jointsFresh;
    private final ParametersOfTeleop.JoyLayout layout;
    private final boolean yieldWhenIdle;
    private final int n;
    private final int[] commandOrder;
    private final double[] q, qd, out, sent, others;
    private final Bool active = new Bool();
    private final ActionStamped expert = new ActionStamped();
    private final Float64MultiArray latency = new Float64MultiArray();
    private final Time clock = new Time(), poseStamp = new Time();
    private long jointsAt, jointsStamp, lastTickStamp, poseArrival;
    private boolean haveJoints, staleHeld, holdSent, successWas, failureWas, wasActive;
    private long commands;

    public VrTeleop(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        ArmDescription arm = ArmDescription.read(node, false);
        ArmLayout armLayout = arm.layout();
        String armController = ArmDescription.armController(p);
        ControlMode command = ControlMode.ofControllerType(p.getString(armController + "/type", "position_controllers/JointGroupPositionController"));
        KinematicChain chain = armLayout.chain(arm.model());
        n = chain.dof();
        String[] chainJoints = chain.jointNames();
        teleop = new TeleopController(chain, command, armLayout.restPose(), ParametersOfTeleop.limits(p), ParametersOfTeleop.settings(p),
                ParametersOfTeleop.trackingToBase(p), armLayout.gripperOpen());
        layout = ParametersOfTeleop.joy(p);
        String idle = p.getString("~idle", "hold");
        if (!idle.equals("hold") && !idle.equals("yield")) {
            throw new IllegalArgumentException("~idle must be hold (the clutch released holds the arm) or yield (send nothing while released:"
                    + " a policy_server drives the arm and the operator intervenes), got '" + idle + "'");
        }
        yieldWhenIdle = idle.equals("yield");

        // the command follows ARM_CONTROLLER/joints' order (Float64MultiArray has no names)
        List<String> listed = p.getStringList(armController + "/joints", List.of(chainJoints));
        commandOrder = new int[n];
        for (int i = 0; i < n; i++) {
            commandOrder[i] = listed.indexOf(chainJoints[i]);
            if (commandOrder[i] < 0 || listed.size() != n) {
                throw new IllegalArgumentException(armController + "/joints " + listed + " must name the arm's " + n + " joints "
                        + Arrays.toString(chainJoints));
            }
        }
        armOut = ArmCommandOut.advertise(node, armController);
        armOut.configure(listed.toArray(new String[0]), 0.01);
        gripperOut = armLayout.gripperJoint() == null ? null : GripperOutput.open(node);
        String[] wanted = armLayout.gripperJoint() == null ? chainJoints : Arrays.copyOf(chainJoints, n + 1);
        if (armLayout.gripperJoint() != null) wanted[n] = armLayout.gripperJoint();
        joints = new JointStateMap(armLayout.gripperJoint() == null ? null : armLayout.gripper(), wanted);
        q = new double[wanted.length];
        qd = new double[wanted.length];
        out = new double[n];
        sent = new double[n];
        expert.action = new double[n + (gripperOut != null ? 1 : 0)];
        latency.data = new double[2];
        jointsFresh = new ReadingFreshness(p.getDouble("~watchdog_timeout", 0.2), p.getDouble("~max_stamp_age", 0.5), node.usesSimTime());

        activeOut = node.advertise("teleop/active", Bool.TYPE, Node.DEFAULT_QUEUE, true);
        expertOut = node.advertise("expert/action", ActionStamped.TYPE);
        latencyOut = node.advertise("teleop/latency", Float64MultiArray.TYPE);
        stop = layout.success() >= 0 || layout.failure() >= 0 ? node.serviceClient("demo/stop", StopDemo.TYPE, false) : null;
        stopCalls = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vr_teleop demo/stop");
            t.setDaemon(true);
            return t;
        });
        activeOut.publish(active);   // false: latched, so a policy_server that connects later knows nobody holds the clutch

        // no queue: newest wins, on the connection's thread
        node.subscribe("joint_states", JointState.TYPE, 0, this::onJoints);
        node.subscribe("vr/controller_pose", PoseStamped.TYPE, 0, this::onPose);
        node.subscribe("vr/joy", Joy.TYPE, 10, this::onJoy);
        // yielding to a policy: its last target is where a take-over starts (Float64MultiArray controllers; others: the measured arm)
        if (yieldWhenIdle && !ControlMode.isTrajectoryController(p.getString(armController + "/type", ""))) {
            others = new double[n];
            node.subscribe(armController + "/command", Float64MultiArray.TYPE, 0, this::onOthersCommand);
        } else {
            others = null;
        }
        node.onShutdown(this::holdNow);
        Thread watchdog = new Thread(this::watch, "vr_teleop watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        node.log().info("vr_teleop: " + armController + " (" + command.name().toLowerCase() + "), " + arm.source() + ": "
                + armLayout.describe(arm.model()) + "; clutch button " + layout.clutch() + ", trigger axis " + layout.trigger()
                + ", success/failure buttons " + layout.success() + "/" + layout.failure() + ", released: " + idle);
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("vr_teleop", argv, VrTeleop::run);
    }

    public static void run(Node node) throws Exception {
        new VrTeleop(node);
        node.spin();
    }

    // --- messages in ---

    void onPose(PoseStamped m) {
        long now = System.nanoTime();
        synchronized (lock) {
            var pos = m.pose.position;
            var o = m.pose.orientation;
            int verdict = teleop.pose(pos.x, pos.y, pos.z, o.x, o.y, o.z, o.w, now);
            if (verdict == PoseGuard.OK) {
                poseStamp.set(m.header.stamp);
                poseArrival = now;
            } else if (node.log().due("pose", 1.0)) {
                node.log().error("vr_teleop: " + teleop.guard().describe(verdict) + ": " + (teleop.state() == TeleopController.State.IDLE
                        ? "refused" : "tracking lost, holding until the clutch is pressed again"));
            }
            announce();
        }
    }

    void onJoy(Joy m) {
        synchronized (lock) {
            boolean clutch;
            if (layout.clutch() >= m.buttons.length) {
                clutch = false;   // a clutch we cannot see is a released one
                if (node.log().due("joy", 2.0)) {
                    node.log().error("vr_teleop: vr/joy has " + m.buttons.length + " buttons, but ~clutch_button is " + layout.clutch()
                            + ": the clutch counts as released, holding (set ~clutch_button to the grip button's index)");
                }
            } else {
                clutch = m.buttons[layout.clutch()] != 0;
            }
            double trigger = Double.NaN;
            if (layout.trigger() >= 0 && layout.trigger() < m.axes.length) trigger = m.axes[layout.trigger()];
            else if (layout.trigger() >= 0 && node.log().due("trigger", 5.0)) {
                node.log().warn("vr_teleop: vr/joy has " + m.axes.length + " axes, but ~trigger_axis is " + layout.trigger()
                        + ": the gripper stays as it is");
            }
            teleop.buttons(clutch, trigger);
            boolean success = pressed(m.buttons, layout.success()), failure = pressed(m.buttons, layout.failure());
            if (success && !successWas) endDemo(true);
            else if (failure && !failureWas) endDemo(false);
            successWas = success;
            failureWas = failure;
            announce();
        }
    }

    /** Another source's arm command (or this node's own, ignored while engaged by the controller). */
    private void onOthersCommand(Float64MultiArray m) {
        if (m.data.length != n || !org.teachlearn.robot.control.CommandLimits.finite(m.data, n)) return;
        synchronized (lock) {
            for (int i = 0; i < n; i++) others[i] = m.data[commandOrder[i]];
            teleop.othersCommand(others);
        }
    }

    private static boolean pressed(int[] buttons, int i) {
        return i >= 0 && i < buttons.length && buttons[i] != 0;
    }

    /** A/B: the demonstration is over, as the operator judges it; the arm holds, the recorder completes the take (off this thread). */
    private void endDemo(boolean success) {
        teleop.disengage();
        if (stop == null) return;
        String button = success ? "success button " + layout.success() : "failure button " + layout.failure();
        stopCalls.execute(() -> {
            try {
                StopDemoRequest r = stop.newRequest();
                r.success = success;
                r.notes = "ended by the operator's " + button + " on vr/joy";
                StopDemoResponse res = stop.call(r);
                if (res.ok) node.log().info("vr_teleop: demo/stop (" + (success ? "success" : "failure") + "): " + res.path);
                else node.log().warn("vr_teleop: demo/stop refused: " + res.message);
            } catch (Exception e) {
                node.log().error("vr_teleop: demo/stop failed (" + e.getMessage() + "): is the recorder running?");
            }
        });
    }

    void onJoints(JointState m) {
        synchronized (lock) {
            if (!joints.read(m, q, qd)) {
                if (node.log().due("joints", 2.0)) node.log().error("vr_teleop: " + joints.missing() + ": refused");
                return;
            }
            long now = System.nanoTime(), stamp = m.header.stamp.toNanos();
            double dt = haveJoints && stamp > lastTickStamp ? (stamp - lastTickStamp) * 1e-9 : haveJoints ? (now - jointsAt) * 1e-9 : 0.01;
            dt = Math.max(1e-4, Math.min(0.02, dt));   // after a stall, no catching up
            haveJoints = true;
            jointsAt = now;
            jointsStamp = stamp;
            lastTickStamp = stamp;
            tick(now, dt, m.header.stamp);
        }
    }

    // --- the tick ---

    /** One tick on a fresh joint reading; caller holds the lock. Builds text only when a throttled log line is due. */
    private void tick(long now, double dt, Time stamp) {
        long clockNow = jointsFresh.checksStamps() ? node.now(clock).toNanos() : -1;
        int verdict = jointsFresh.judge(jointsAt, now, jointsStamp, clockNow);
        if (verdict != ReadingFreshness.FRESH) {
            teleop.disengage();
            holdStale(node.log().due("stale", 1.0) ? jointsFresh.describe(verdict, "joint_states", jointsAt, now, jointsStamp, clockNow) : null);
            return;
        }
        staleHeld = false;
        boolean engaged = teleop.tick(q, dt, now, out);
        RosLog log = node.log();
        if (teleop.takeLoss() && log.due("loss", 1.0)) {
            log.error("vr_teleop: disengaged (" + teleop.describeLoss() + "): holding until the clutch is pressed again");
        }
        if (!engaged) {
            announce();
            if (yieldWhenIdle) {
                teleop.yielded();
            } else if (!holdSent) {
                // once: a position controller keeps its target; sent again every tick it would pull a reset arm back
                send(true);
                holdSent = true;
            }
            return;
        }
        holdSent = false;
        announce();   // true before the first command goes out: a policy_server stops first
        if (teleop.clampedJoint() >= 0 && log.due("clamp", 1.0)) log.warn("vr_teleop: " + teleop.describeClamp());
        send(false);
        if (gripperOut != null) gripperOut.send(teleop.gripperOpening());
        long after = System.nanoTime();
        // the operator's command for this state: a label for human-gated DAgger
        expert.header.stamp.set(stamp);
        for (int i = 0; i < n; i++) expert.action[i] = out[i];
        if (gripperOut != null) expert.action[n] = teleop.gripperOpening();
        expertOut.publish(expert);
        long ps = poseStamp.toNanos();
        latency.data[0] = ps > 0 ? (node.now(clock).toNanos() - ps) * 1e-9 : Double.NaN;
        latency.data[1] = (after - poseArrival) * 1e-9;
        latencyOut.publish(latency);
        commands++;
    }

    /** Publishes teleop/active when it changes: true from a clutch press (before the first command) until the engagement ends. */
    private void announce() {
        boolean now = teleop.state() == TeleopController.State.ENGAGED || teleop.engagePending();
        if (now == wasActive) return;
        wasActive = now;
        active.data = now;
        activeOut.publish(active);
        node.log().info("vr_teleop: " + (now ? "engaged: the tool follows the controller" : "released: holding"));
    }

    private void holdStale(String why) {
        if (why != null) node.log().error("vr_teleop: " + why + ": holding");
        announce();
        if (!haveJoints) return;
        teleop.hold(q, out);
        if (!yieldWhenIdle) send(true);
        holdSent = true;
        staleHeld = true;
    }

    private void send(boolean hold) {
        for (int i = 0; i < n; i++) sent[commandOrder[i]] = out[i];
        armOut.send(sent, hold);
    }

    /** Joint states stopped coming (no tick runs): hold once they are late. */
    private void watch() {
        while (!node.isShutdown()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (!haveJoints || staleHeld || node.isShutdown()) continue;
                long now = System.nanoTime();
                int verdict = jointsFresh.judge(jointsAt, now, jointsStamp, -1);
                if (verdict != ReadingFreshness.FRESH) {
                    teleop.disengage();
                    holdStale(node.log().due("stale", 1.0) ? jointsFresh.describe(verdict, "joint_states", jointsAt, now, jointsStamp, -1) : null);
                }
            }
        }
    }

    private void holdNow() {
        synchronized (lock) {
            boolean commanding = teleop.state() == TeleopController.State.ENGAGED;
            teleop.disengage();
            active.data = false;
            activeOut.publish(active);
            // yielding, the arm is the policy's unless the operator had it: never two sources, not even at shutdown
            if (!haveJoints || (yieldWhenIdle && !commanding)) return;
            teleop.hold(q, out);
            send(true);
        }
    }

    /** Commands sent while engaged (for tests). */
    long commands() {
        synchronized (lock) {
            return commands;
        }
    }
}
