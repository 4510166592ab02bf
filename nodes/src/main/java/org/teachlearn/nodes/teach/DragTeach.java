package org.teachlearn.nodes.teach;

import java.util.Arrays;
import java.util.List;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.policy.ArmCommandOut;
import org.teachlearn.nodes.policy.GripperOutput;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.ReadingFreshness;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.teach.DragController;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.teach.GripperButtons;
import org.teachlearn.robot.teach.SensorLoad;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.RosLog;

/**
 * drag_teach: a person moves the arm by hand (docs/nodes.md, drag_teach). The logic is
 * {@link DragController}; this is its wiring.
 *
 * <pre>
 * params  ~mode (admittance | gravity), every tunable of {@link DragSettings} (~damping_x, ~tool_mass, …, run-time
 *         changes ramp), ~selected_axes ("x y z rx ry rz"), ~watchdog_timeout (0.2 s), ~max_stamp_age (0.5 s; 0 off),
 *         ~tare_window (0.25 s), ~tare_max_force_spread (0.5 N), ~tare_max_torque_spread (0.05 N m),
 *         ~tare_max_hand_speed (0.01 m/s), ~sensor_feels_links (true: the sensor reports the weight of the links beyond it), ~gripper_button (0), ~gripper_open_button (-1), ~gripper_close_button (-1),
 *         the arm's parameters of docs/nodes.md §1 (~arm_controller, ~gripper_controller, ~tip_link, ~ft_sensor_link, …),
 *         ~gripper_interface (topic | action), ARM_CONTROLLER/type (its command interface)
 * sub     joint_states (each one is a tick), ft_sensor/wrench (admittance), teach/joy
 * pub     ARM_CONTROLLER/command (positions or velocities for admittance, efforts for gravity; a JointTrajectory for a
 *         JointTrajectoryController), GRIPPER_CONTROLLER/command (or goals of the GripperCommand action)
 * srv     ft_sensor/tare (std_srvs/Trigger)
 * </pre>
 * Fails safe: before the first tare, on a stale joint_states or wrench (~watchdog_timeout), on a
 * NaN or absurd wrench, and at shutdown the arm holds, with a throttled error saying why.
 */
public final class DragTeach {

    private final Node node;
    private final Object lock = new Object();
    private final DragController drag;
    private final ArmCommandOut armOut;
    private final GripperOutput gripperOut;
    private final GripperButtons buttons;
    private final JointStateMap joints;
    private final ReadingFreshness jointsFresh, wrenchFresh;
    private final boolean admittance;
    private final int n, gripperIndex;
    private final int[] commandOrder;   // chain joint i goes to position commandOrder[i] of the command
    private final double[] q, qd, raw = new double[6], out, sent;
    private final double tareForce, tareTorque, tareSpeed;
    private final String sensorFrame;
    private final Time clock = new Time();
    private long jointsAt, jointsStamp, wrenchAt, wrenchStamp, lastTickStamp;
    private boolean haveJoints, staleHeld;

    public DragTeach(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        ArmDescription arm = ArmDescription.read(node, false);
        RobotModel model = arm.model();
        ArmLayout layout = arm.layout();
        DragController.Mode mode = DragController.Mode.named(p.getString("~mode", "admittance"));
        admittance = mode == DragController.Mode.ADMITTANCE;
        String armController = ArmDescription.armController(p);
        String type = p.getString(armController + "/type", admittance ? "position_controllers/JointGroupPositionController"
                : "effort_controllers/JointGroupEffortController");
        ControlMode command = ControlMode.ofControllerType(type);
        KinematicChain chain = layout.chain(model);
        n = chain.dof();
        String[] chainJoints = chain.jointNames();
        KinematicChain sensor = layout.sensorLink() == null ? null : new KinematicChain(model, layout.baseLink(), layout.sensorLink());
        DragSettings settings = ParametersOfDrag.read(p, DragSettings.DEFAULTS);
        double window = p.getDouble("~tare_window", 0.25);
        // a real sensor feels the gripper's weight (by the URDF) turning with the wrist; sim_arm's ideal sensor does not
        SensorLoad load = sensor != null && p.getBool("~sensor_feels_links", true) ? SensorLoad.of(model, layout.sensorLink()) : SensorLoad.NONE;
        drag = new DragController(mode, command, chain, sensor, sensor != null ? sensor : chain, new Dynamics(model, chain), load,
                layout.restPose(), settings, Math.max(2, (int) Math.round(window * 100)));
        tareForce = p.getDouble("~tare_max_force_spread", 0.5);
        tareTorque = p.getDouble("~tare_max_torque_spread", 0.05);
        tareSpeed = p.getDouble("~tare_max_hand_speed", 0.01);
        drag.tareSteadiness(tareForce, tareTorque, tareSpeed);
        sensorFrame = layout.sensorLink();

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
        String[] ordered = listed.toArray(new String[0]);
        armOut = ArmCommandOut.advertise(node, armController);
        armOut.configure(ordered, 0.01);
        gripperOut = layout.gripperJoint() == null ? null : GripperOutput.open(node);
        buttons = new GripperButtons(p.getInt("~gripper_button", 0), p.getInt("~gripper_open_button", -1),
                p.getInt("~gripper_close_button", -1), layout.gripperOpen());
        String[] wanted = layout.gripperJoint() == null ? chainJoints : Arrays.copyOf(chainJoints, n + 1);
        if (layout.gripperJoint() != null) wanted[n] = layout.gripperJoint();
        gripperIndex = layout.gripperJoint() == null ? -1 : n;
        joints = new JointStateMap(layout.gripperJoint() == null ? null : layout.gripper(), wanted);
        q = new double[wanted.length];
        qd = new double[wanted.length];
        out = new double[n];
        sent = new double[n];
        double watchdog = p.getDouble("~watchdog_timeout", 0.2), stampAge = p.getDouble("~max_stamp_age", 0.5);
        jointsFresh = new ReadingFreshness(watchdog, stampAge, node.usesSimTime());
        wrenchFresh = new ReadingFreshness(watchdog, stampAge, node.usesSimTime());

        // no queue: newest wins, on the connection's thread (one wake-up less per tick)
        if (admittance) node.subscribe("ft_sensor/wrench", WrenchStamped.TYPE, 0, this::onWrench);
        node.subscribe("joint_states", JointState.TYPE, 0, this::onJoints);
        node.subscribe("teach/joy", Joy.TYPE, 10, this::onJoy);
        node.advertiseService("ft_sensor/tare", Trigger.TYPE, (req, res) -> {
            String refused;
            synchronized (lock) {
                refused = drag.tare(tareForce, tareTorque, tareSpeed);
            }
            res.success = refused == null;
            res.message = refused == null ? "tared: bias " + Arrays.toString(drag.conditioning().bias()) : refused;
            if (refused == null) node.log().info("drag_teach: ft_sensor/tare: " + res.message);
            else node.log().warn("drag_teach: ft_sensor/tare " + refused);
        });
        ParametersOfDrag.follow(node, drag.settings());
        node.onShutdown(this::holdNow);
        Thread watchdogThread = new Thread(this::watch, "drag_teach watchdog");
        watchdogThread.setDaemon(true);
        watchdogThread.start();
        node.log().info("drag_teach: " + mode.name().toLowerCase() + " on " + armController + " (" + type + "), "
                + arm.source() + ": " + layout.describe(model) + (admittance ? "; waiting for a steady ft_sensor/wrench to tare"
                + " (nobody touching the arm)" : ""));
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("drag_teach", argv, DragTeach::run);
    }

    public static void run(Node node) throws Exception {
        new DragTeach(node);
        node.spin();
    }

    // --- messages in ---

    private void onWrench(WrenchStamped m) {
        String frame = m.header.frame_id;
        if (!frame.isEmpty() && !frame.equals(sensorFrame)) {
            node.log().errorThrottled("frame", 2.0, "drag_teach: ft_sensor/wrench is in frame '" + frame + "', not ~ft_sensor_link '"
                    + sensorFrame + "': refused (set ~ft_sensor_link to the sensor's frame)");
            return;
        }
        synchronized (lock) {
            raw[0] = m.wrench.force.x;
            raw[1] = m.wrench.force.y;
            raw[2] = m.wrench.force.z;
            raw[3] = m.wrench.torque.x;
            raw[4] = m.wrench.torque.y;
            raw[5] = m.wrench.torque.z;
            wrenchAt = System.nanoTime();
            wrenchStamp = m.header.stamp.toNanos();
        }
    }

    private void onJoints(JointState m) {
        synchronized (lock) {
            if (!joints.read(m, q, qd)) {
                node.log().errorThrottled("joints", 2.0, "drag_teach: " + joints.missing() + ": refused");
                return;
            }
            long now = System.nanoTime(), stamp = m.header.stamp.toNanos();
            double dt = haveJoints && stamp > lastTickStamp ? (stamp - lastTickStamp) * 1e-9
                    : haveJoints ? (now - jointsAt) * 1e-9 : 0.01;
            // after a stall, no catching up: at most two 100 Hz periods of motion in one command
            dt = Math.max(1e-4, Math.min(0.02, dt));
            if (!haveJoints && gripperIndex >= 0) buttons.measured(q[gripperIndex]);
            haveJoints = true;
            jointsAt = now;
            jointsStamp = stamp;
            lastTickStamp = stamp;
            tick(now, dt);
        }
    }

    private void onJoy(Joy m) {
        synchronized (lock) {
            String wrong = buttons.check(m.buttons);
            if (wrong != null) node.log().warnThrottled("joy", 5.0, "drag_teach: " + wrong);
            double opening = buttons.update(m.buttons);
            if (!Double.isNaN(opening) && gripperOut != null) {
                gripperOut.send(opening);
                node.log().info("drag_teach: gripper " + (opening > 0 ? "open" : "closed") + " (teach/joy)");
            }
        }
    }

    // --- the tick ---

    /** One tick on fresh joints; caller holds the lock. */
    private void tick(long now, double dt) {
        long clockNow = jointsFresh.checksStamps() ? node.now(clock).toNanos() : -1;
        int verdict = jointsFresh.judge(jointsAt, now, jointsStamp, clockNow);
        if (verdict == ReadingFreshness.FRESH && admittance) {
            int w = wrenchFresh.judge(wrenchAt, now, wrenchStamp, clockNow);
            if (w != ReadingFreshness.FRESH) {
                holdStale(node.log().due("stale", 1.0) ? wrenchFresh.describe(w, "ft_sensor/wrench", wrenchAt, now, wrenchStamp, clockNow) : null);
                return;
            }
        } else if (verdict != ReadingFreshness.FRESH) {
            holdStale(node.log().due("stale", 1.0) ? jointsFresh.describe(verdict, "joint_states", jointsAt, now, jointsStamp, clockNow) : null);
            return;
        }
        staleHeld = false;
        DragController.Outcome o = drag.tick(q, qd, raw, dt, out);
        // messages are built only when the throttle lets them out: a tick allocates nothing
        RosLog log = node.log();
        switch (o) {
            case BAD_WRENCH -> {
                if (log.due("wrench", 1.0)) log.error("drag_teach: " + drag.describeWrench() + ": holding");
            }
            case NOT_FINITE -> {
                if (log.due("nan", 1.0)) log.error("drag_teach: the command came out NaN or infinite: holding");
            }
            case WAITING_FOR_TARE -> {
                if (log.due("tare", 5.0)) log.warn("drag_teach: " + drag.describeTare());
            }
            default -> {
                if (drag.resyncs() != resyncsLogged && log.due("resync", 1.0)) {
                    resyncsLogged = drag.resyncs();
                    log.info("drag_teach: the arm was moved by something else (a reset, another controller): commanding where it is now");
                }
                if (drag.clampedJoint() >= 0 && log.due("clamp", 1.0)) log.warn("drag_teach: " + drag.describeClamp());
                if (drag.steppedJoint() >= 0 && log.due("step", 1.0)) log.warn("drag_teach: " + drag.describeStep());
            }
        }
        send(o != DragController.Outcome.COMMAND);
    }

    private long resyncsLogged;

    /** A reading went stale: hold (the controller keeps the hold's target); {@code why} is logged unless null (throttled by the caller). */
    private void holdStale(String why) {
        if (why != null) node.log().error("drag_teach: " + why + ": holding");
        if (!haveJoints) return;
        drag.hold(q, qd, out);
        send(true);
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
                if (verdict == ReadingFreshness.FRESH && admittance) verdict = wrenchFresh.judge(wrenchAt, now, wrenchStamp, -1);
                if (verdict != ReadingFreshness.FRESH) {
                    boolean joint = jointsFresh.judge(jointsAt, now, jointsStamp, -1) != ReadingFreshness.FRESH;
                    holdStale(!node.log().due("stale", 1.0) ? null : joint ? jointsFresh.describe(verdict, "joint_states", jointsAt, now, jointsStamp, -1)
                            : wrenchFresh.describe(verdict, "ft_sensor/wrench", wrenchAt, now, wrenchStamp, -1));
                }
            }
        }
    }

    private void holdNow() {
        synchronized (lock) {
            if (!haveJoints) return;
            drag.hold(q, qd, out);
            send(true);
        }
    }

    /** For tests: the controller (call under no lock only from the tick's point of view). */
    DragController controller() {
        return drag;
    }
}
