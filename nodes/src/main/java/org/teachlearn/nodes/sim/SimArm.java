package org.teachlearn.nodes.sim;

import java.util.Arrays;
import java.util.List;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.rosgraph_msgs.Clock;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.Reset;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.arm.GripperScale;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.JointGroupController;
import org.teachlearn.robot.sim.PushSchedule;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.ros.message.Time;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * sim_arm: the built-in physics simulator as a ROS node, standing in for Gazebo + ros_control or a
 * real arm (docs/nodes.md §2).
 *
 * <pre>
 * params  ~urdf (else /robot_description, else urdf/teach_arm.urdf; /robot_description is set when absent), the arm's
 *         parameters of docs/nodes.md §1 (~base_link, ~tip_link, ~ft_sensor_link, ~rest_positions, ~srdf, ~group_state, …)
 *         ~task reach|pick_place|reach_around|none, ~seed, ~lockstep, ~rate (Hz, real time), ~control_period (s, lockstep),
 *         ~lockstep_rate (Hz of wall time lockstep steps at most, 0 = as fast as answered),
 *         ~physics_dt, ~gravity_compensation, ~arm_controller, ~gripper_controller, ~max_wrench_force (500 N),
 *         ~gripper_action (GRIPPER_CONTROLLER/gripper_cmd, when that controller is a GripperActionController),
 *         ~max_wrench_torque (50 N m), ~tool_mass, ~tool_com, ~ft_sensor_raw, ~ft_sensor_bias, ~ft_sensor_noise (WristSensorParams),
 *         ~settle (0 s of successful periods a succeeded episode goes on before it is done, as a person demonstrating
 *         holds the arm on the goal: demonstrations recorded with it label states inside the tolerance),
 *         ~pushes (false: reach with pushes, the random pushes of `train --pushes`, drawn from each episode's seed),
 *         ARM_CONTROLLER/{type,joints,JOINT/pid/{p,i,d,i_clamp}} (ros_control layout; defaults written back)
 * pub     joint_states, task/state, ft_sensor/wrench, /clock (lockstep or /use_sim_time),
 *         task/markers (visualization_msgs/MarkerArray for RViz, latched, every 0.1 s of simulated time)
 * sub     ARM_CONTROLLER/command (std_msgs/Float64MultiArray; trajectory_msgs/JointTrajectory when ARM_CONTROLLER/type
 *         is a JointTrajectoryController), GRIPPER_CONTROLLER/command (or the action below), sim/wrench
 * srv     sim/reset
 * action  control_msgs/GripperCommand on ~gripper_action, instead of the gripper's command topic (GripperCommandServer)
 * </pre>
 *
 * Lockstep: publish the state of step t, wait for the arm command that answers it, integrate one
 * control period, publish step t+1; after a done state, reset and publish step 0 instead of
 * waiting. Real time: integrate at {@code ~rate} with the newest commands. A command of the wrong
 * length or with a NaN is refused with a throttled error and the arm holds where it is; position
 * targets move at most the URDF velocity limit per control period; a wrench that is not finite,
 * over its cap or on an unknown or fixed link is refused and zeroes the held wrenches; a world that
 * diverges numerically is reset to the next episode, never published.
 */
public final class SimArm {

    private final Node node;
    private final Simulation sim;
    private final CommandInbox commands;
    private final boolean lockstep;
    private final boolean publishClock;
    private final double controlPeriod;
    private final int[] armOrder;            // position in the command of each chain joint
    private final double[] chainCommand;
    private final Publisher<JointState> jointStates;
    private final Publisher<TaskState> taskStates;
    private final Publisher<WrenchStamped> wrenches;
    private final Publisher<Clock> clock;
    private final TaskMarkers markers;      // null for a task with nothing to draw
    private GripperCommandServer gripperAction;   // null unless the gripper controller is a GripperActionController
    private final JointState js = new JointState();
    private final TaskState ts = new TaskState();
    private final WrenchStamped ws = new WrenchStamped();
    private final Clock clockMsg = new Clock();
    private final double[] wrench = new double[6];
    private final Time stamp = new Time();
    private final long firstSeed;
    private final GripperScale gripperScale;   // null without a gripper
    // Lockstep steps run on whichever thread brings what the step waits for (the arm command's
    // connection thread, the reset service's thread), one at a time under this lock: handing each
    // command over to a loop thread cost a thread wake-up per step.
    private final Object stepLock = new Object();
    private long seed;
    private volatile long lastStepAt = System.nanoTime();
    private final long lockstepPeriodNanos;   // ~lockstep_rate's period; 0: as fast as answered
    private long lastStepStart;               // wall time of the last lockstep step's start (answer's thread, under stepLock)
    private org.teachlearn.ros.node.Subscriber<?> armCommands;
    private volatile long stateNanos;   // the stamp of the last state published: a JointTrajectoryController's clock
    // Lockstep: when the pending state went out (or was last sent again), and how many arm command
    // publishers were connected then. Under stepLock.
    private long pendingSentAt;
    private int publishersAtSend;
    /** Lockstep: an unanswered state is sent again after this long (a command sent before its publisher connected is lost). */
    static final long RESEND_NANOS = 500_000_000L;
    private long simNanos;
    private long statesPublished;
    private final int settleSteps;   // states an episode goes on for once it has succeeded (~settle)
    private final PushSchedule pushes;   // ~pushes: the same for a seed as in process
    private int settled;             // succeeded states the episode has gone on past
    private boolean succeeded, over;  // the episode has succeeded once; the state published ends it

    /** sim_arm on a started node; {@link #run} or {@link #start} steps it (so it can share another program's JVM). */
    public SimArm(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        ArmDescription description = ArmDescription.read(node, true);
        RobotModel model = description.model();
        ArmLayout layout = description.layout();
        gripperScale = layout.gripper();
        Task task = Task.named(p.getString("~task", "reach"));
        lockstep = p.getBool("~lockstep", false);
        controlPeriod = lockstep ? p.getDouble("~control_period", 0.01) : 1.0 / p.getDouble("~rate", 100.0);
        double lockstepRate = lockstep ? p.getDouble("~lockstep_rate", 0.0) : 0;
        if (!(lockstepRate >= 0) || Double.isInfinite(lockstepRate)) {
            throw new IllegalArgumentException("~lockstep_rate must be 0 (as fast as commands answer) or a rate in Hz, not " + lockstepRate);
        }
        lockstepPeriodNanos = lockstepRate > 0 ? Math.round(1e9 / lockstepRate) : 0;
        lastStepStart = System.nanoTime() - lockstepPeriodNanos;   // nanoTime has no fixed origin: the first step waits for nothing
        double physicsDt = p.getDouble("~physics_dt", 0.002);
        WristSensorParams wrist = WristSensorParams.read(p, layout.sensorLink() != null);
        ArmWorld.Settings physics = task.physics().withDt(physicsDt).withTool(wrist.toolMass(), wrist.toolCom());
        String[] chainJoints = layout.chain(model).jointNames();
        Simulation.Settings defaults = Simulation.Settings.forArm(ControlMode.POSITION, layout.chain(model));

        ControllerParams arm = ControllerParams.read(p, ArmDescription.armController(p),
                "effort_controllers/JointGroupPositionController", chainJoints, defaults.armGains());
        if (ControlMode.isGripperAction(arm.type)) throw new IllegalArgumentException(arm.name + "/type " + arm.type + " is for grippers");
        armOrder = orderOf(arm, chainJoints, layout);
        JointGroupController.Gains[] chainGains = new JointGroupController.Gains[chainJoints.length];
        for (int i = 0; i < chainJoints.length; i++) chainGains[i] = arm.gains[armOrder[i]];
        // an arm without gripper has no gripper controller (ArmDescription checked its joints)
        ControllerParams gripper = layout.gripperJoint() == null ? null : ControllerParams.read(p, ArmDescription.gripperController(p),
                "effort_controllers/JointGroupPositionController", new String[] {layout.gripperJoint()},
                new JointGroupController.Gains[] {defaults.gripperGains()});
        if (gripper != null && ControlMode.isTrajectoryController(gripper.type)) {
            throw new IllegalArgumentException(gripper.name + "/type " + gripper.type + ": sim_arm takes a JointTrajectoryController"
                    + " for the arm only; give the gripper a JointGroupPositionController or a GripperActionController");
        }
        Simulation.Settings settings = defaults.withControlPeriod(controlPeriod).withArm(arm.mode(), chainGains)
                .withGravityCompensation(p.getBool("~gravity_compensation", true));
        if (gripper != null) settings = settings.withGripperGains(gripper.gains[0]);
        try {
            sim = new Simulation(model, layout, physics, settings, task);
        } catch (IllegalArgumentException | org.teachlearn.robot.urdf.UrdfException e) {
            throw new IllegalArgumentException("sim_arm cannot simulate " + description.source() + ": " + e.getMessage(), e);
        }
        sim.world().setWristSensorModel(wrist.model());
        chainCommand = new double[chainJoints.length];
        firstSeed = p.getInt("~seed", 0);
        double settle = p.getDouble("~settle", 0.0);
        if (!(settle >= 0) || !Double.isFinite(settle)) throw new IllegalArgumentException("~settle must be a finite number of seconds >= 0, got " + settle);
        settleSteps = (int) Math.round(settle / controlPeriod);
        Pushes push = p.getBool("~pushes", false) ? Pushes.reach(Pushes.linkOf(layout.chain(model), model)) : Pushes.NONE;
        pushes = new PushSchedule(push, task.timeLimit(), controlPeriod);

        publishClock = lockstep || node.usesSimTime();
        // lockstep latches the state it waits on, so a policy that connects late still gets it
        jointStates = node.advertise("joint_states", JointState.TYPE, Node.DEFAULT_QUEUE, lockstep);
        taskStates = node.advertise("task/state", TaskState.TYPE, Node.DEFAULT_QUEUE, lockstep);
        wrenches = node.advertise("ft_sensor/wrench", WrenchStamped.TYPE, Node.DEFAULT_QUEUE, lockstep);
        clock = publishClock ? node.advertise("/clock", Clock.TYPE, Node.DEFAULT_QUEUE, lockstep) : null;
        markers = TaskMarkers.advertise(node, task.name(), layout.baseLink(), physics.cubeSize());
        commands = new CommandInbox(node, sim, arm.name, chainJoints.length, controlPeriod,
                p.getDouble("~max_wrench_force", 500.0), p.getDouble("~max_wrench_torque", 50.0));
        // no queue: a command reaches the inbox on its connection's thread, one wake-up less per lockstep step
        if (ControlMode.isTrajectoryController(arm.type)) {
            commands.followTrajectories(arm.joints, chainJoints, this::trajectoryClock);
            armCommands = node.subscribe(arm.name + "/command", JointTrajectory.TYPE, 0, commands::onTrajectory);
        } else {
            armCommands = node.subscribe(arm.name + "/command", Float64MultiArray.TYPE, 0, commands::onArm);
        }
        if (gripper != null && ControlMode.isGripperAction(gripper.type)) {   // control_msgs/GripperCommand goals; lockstep never waits on them
            gripperAction = GripperCommandServer.start(node, p.getString("~gripper_action", gripper.name + "/gripper_cmd"),
                    gripper.name, sim.world(), layout.gripperJoint(), commands);
        } else if (gripper != null) {
            var gripperCommands = node.subscribe(gripper.name + "/command", Float64MultiArray.TYPE, 0, commands::onGripper);
            if (lockstep) commands.pairGripper(gripperCommands);
        }
        node.subscribe("sim/wrench", WrenchStamped.TYPE, 10, commands::onWrench);
        node.advertiseService("sim/reset", Reset.TYPE, (req, res) -> {
            res.episode = commands.requestReset(req.seed);
            res.ok = true;
            res.message = "episode " + res.episode + " from seed " + req.seed;
        });

        String[] names = sim.world().jointNames();
        js.name = names;
        js.position = new double[names.length];
        js.velocity = new double[names.length];
        js.effort = new double[names.length];
        ts.goal = new double[task.goalSize()];
        ws.header.frame_id = layout.sensorLink();
        node.log().info("sim_arm: " + description.source() + ": " + layout.describe(model));
        if (layout.sensorLink() != null) describeWrist(wrist, layout.sensorLink());
        node.log().info("sim_arm: task " + task.name() + ", " + (lockstep ? "lockstep, " + controlPeriod + " s per step"
                : "real time at " + (1 / controlPeriod) + " Hz") + ", arm " + arm.type + " on " + arm.name + "/command ("
                + (ControlMode.isTrajectoryController(arm.type) ? JointTrajectory.TYPE : Float64MultiArray.TYPE).name() + ")"
                + (push.any() ? String.format(java.util.Locale.ROOT, ", pushes: %d of %.0f N for %.2f s on %s per episode", push.count(), push.force(),
                        push.duration(), push.link()) : ""));
    }

    /**
     * Says how the wrist sensor reads and what hangs beyond it, and writes that load to
     * {@code ~ft_sensor_load/mass} and {@code ~ft_sensor_load/com}: the tool_mass and tool_com that
     * compensating a raw reading needs (the hand's own links count, as on a real arm).
     */
    private void describeWrist(WristSensorParams wrist, String sensorLink) {
        double[] load = new double[4];
        sim.world().wristLoad(load);
        double[] com = {load[1], load[2], load[3]};
        node.params().set("~ft_sensor_load/mass", load[0]);
        node.params().set("~ft_sensor_load/com", List.of(com[0], com[1], com[2]));
        node.log().info(String.format("sim_arm: wrist sensor %s in %s; beyond it %.4g kg (tool %.4g kg) with its centre of mass at %s m"
                + " (~ft_sensor_load)", wrist.model(), sensorLink, load[0], wrist.toolMass(), Arrays.toString(com)));
        if (wrist.ignoresRawSettings(node.params())) {
            node.log().warn("sim_arm: ~ft_sensor_bias and ~ft_sensor_noise act only with ~ft_sensor_raw:=true; the sensor reads ideal");
        }
    }

    /** Runs the simulation loop on a thread of its own until the node shuts down. */
    public Thread start() {
        Thread t = new Thread(() -> {
            try {
                run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sim_arm");
        t.start();
        return t;
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("sim_arm", argv, node -> new SimArm(node).run());
    }

    public void run() throws InterruptedException {
        if (lockstep) {
            runLockstep();
            return;
        }
        startEpisode(firstSeed);
        long period = (long) (controlPeriod * 1e9);
        long next = System.nanoTime();
        while (!node.isShutdown()) {
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            else next = System.nanoTime();   // fell behind: don't catch up in a burst
            if (commands.takeReset()) {
                resetTo(commands.resetSeed());
                continue;
            }
            step();
        }
    }

    /** Publishes the first state, then steps whenever a command answers the last one; returns at shutdown. */
    private void runLockstep() throws InterruptedException {
        synchronized (stepLock) {
            startEpisode(firstSeed);
        }
        commands.onAnswer(this::answer);
        answer();   // a command that came before the line above
        while (!node.isShutdown()) {
            Thread.sleep(10);
            resendIfLost();
            if (!node.isShutdown() && System.nanoTime() - lastStepAt > 5_000_000_000L) {
                node.log().warn("lockstep: waiting for " + commands.controller() + "/command to answer step " + sim.step()
                        + " of episode " + sim.episode());
                lastStepAt = System.nanoTime();
            }
        }
    }

    /**
     * Lockstep: a client that answers each joint_states at once, the obvious way, publishes its first
     * command before its publisher has connected to us, and ROS drops it; both sides would then wait
     * for ever. So the pending state goes out again, same stamp and content, as soon as a new arm
     * command publisher has connected, and after {@link #RESEND_NANOS} without an answer. A client
     * answering each state it gets answers the copy; one that answers each stamp once ignores it.
     */
    private void resendIfLost() {
        synchronized (stepLock) {
            if (node.isShutdown() || commands.armAnswered()) return;
            int publishers = armCommands.publisherCount();
            long now = System.nanoTime();
            if (publishers <= publishersAtSend && now - pendingSentAt < RESEND_NANOS) return;
            publishersAtSend = publishers;
            pendingSentAt = now;
            sendState();
        }
    }

    /** Lockstep: a reset, or one step if a command answered the last state. */
    private void answer() {
        synchronized (stepLock) {
            if (node.isShutdown()) return;
            if (commands.takeReset()) {
                resetTo(commands.resetSeed());
            } else if (commands.answered()) {
                pace();
                step();
            } else {
                return;
            }
            lastStepAt = System.nanoTime();
        }
    }

    /**
     * ~lockstep_rate: a step starts no sooner than one period of wall time after the last one did,
     * so a simulated worker makes experience no faster than a real arm at that rate would (a learner
     * sharing the computer keeps up). Sleeps on the answering command's connection thread.
     */
    private void pace() {
        if (lockstepPeriodNanos == 0) return;
        long wait = lastStepStart + lockstepPeriodNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lastStepStart = System.nanoTime();
    }

    private void resetTo(long newSeed) {
        commands.resetDone(startEpisode(newSeed));
    }

    /** Resets the world to an episode from {@code newSeed} and publishes its first state; returns the episode number. */
    private int startEpisode(long newSeed) {
        seed = newSeed;
        int episode = sim.reset(seed);
        pushes.reset(seed);
        settled = 0;
        succeeded = false;
        commands.episodeReset();
        if (gripperAction != null) gripperAction.episodeReset();
        publishState();
        return episode;
    }

    /** One control period with what the inbox holds, then the state; a finished episode starts the next. */
    private void step() {
        // the gripper controller speaks its joint's position, the simulation each finger's opening
        double g = commands.gripper();
        if (gripperScale != null && !Double.isNaN(g)) g = gripperScale.toWidth(g);
        pushes.apply(sim);
        switch (commands.take(armOrder, chainCommand)) {
            case NEW_COMMAND -> sim.step(chainCommand, g);
            case HOLD -> {
                sim.hold();
                sim.keep(g);
            }
            case KEEP -> sim.keep(g);
        }
        int diverged = sim.divergedJoint();
        if (diverged >= 0) {
            // never publish a non-finite world: start the next episode and say why
            ArmWorld w = sim.world();
            node.log().error("sim_arm: the simulation diverged (joint " + w.jointNames()[diverged] + " at " + w.position(diverged) + ", "
                    + w.velocity(diverged) + "/s) in episode " + sim.episode() + " step " + sim.step() + ": resetting to the next episode");
            startEpisode(seed + 1);
            return;
        }
        if (gripperAction != null) gripperAction.update(controlPeriod);
        publishState();
        if (over) startEpisode(seed + 1);
    }

    /** Publishes /clock, joint_states, ft_sensor/wrench and task/state of the current state, in that order. */
    private void publishState() {
        commands.published();   // first: a driver may answer on any of the messages below, joint_states included
        pendingSentAt = System.nanoTime();
        publishersAtSend = armCommands.publisherCount();
        if (statesPublished++ > 0) simNanos += (long) (controlPeriod * 1e9);
        if (publishClock) {
            clockMsg.clock.setNanos(simNanos);
            stamp.setNanos(simNanos);
        } else {
            node.now(stamp);
        }
        ArmWorld w = sim.world();
        for (int i = 0; i < js.name.length; i++) {
            js.position[i] = w.position(i);
            js.velocity[i] = w.velocity(i);
            js.effort[i] = w.effort(i);
        }
        js.header.stamp.set(stamp);
        stateNanos = stamp.toNanos();
        w.sensedWrench(wrench);
        ws.header.stamp.set(stamp);
        ws.wrench.force.x = wrench[0];
        ws.wrench.force.y = wrench[1];
        ws.wrench.force.z = wrench[2];
        ws.wrench.torque.x = wrench[3];
        ws.wrench.torque.y = wrench[4];
        ws.wrench.torque.z = wrench[5];
        ts.header.stamp.set(stamp);
        ts.episode = sim.episode();
        ts.step = sim.step();
        ts.reward = sim.step() == 0 ? 0 : sim.reward();
        // ~settle: a succeeded episode goes on (train bc's demo-settle); one that then drifts out of
        // the tolerance goes on as any episode and, having succeeded, ends as a success
        succeeded |= sim.done() && sim.success();
        over = sim.done() && !(sim.success() && settled++ < settleSteps);
        ts.done = over;
        ts.success = sim.success() || (over && succeeded);
        ts.truncated = sim.truncated() && !succeeded;
        System.arraycopy(sim.goal(), 0, ts.goal, 0, ts.goal.length);
        sendState();
        if (markers != null) markers.publish(sim, stamp);
    }

    /** Time for a JointTrajectoryController arm (ns): simulated time when states carry it, else the node's clock. */
    private long trajectoryClock() {
        return publishClock ? stateNanos : node.nowNanos();
    }

    /** Sends the state the messages hold (again, when a lockstep answer was lost). */
    private void sendState() {
        if (publishClock) clock.publish(clockMsg);
        jointStates.publish(js);
        wrenches.publish(ws);
        taskStates.publish(ts);
    }

    /** For each chain joint, its position in the arm controller's command. */
    private static int[] orderOf(ControllerParams arm, String[] chainJoints, ArmLayout layout) {
        List<String> listed = List.of(arm.joints);
        if (listed.size() != chainJoints.length || !listed.containsAll(List.of(chainJoints))) {
            throw new IllegalArgumentException(arm.name + "/joints " + listed + " must name the " + chainJoints.length
                    + " joints of the arm from " + layout.baseLink() + " to " + layout.tcpLink() + " (they are: "
                    + String.join(", ", chainJoints) + ")");
        }
        int[] order = new int[chainJoints.length];
        for (int i = 0; i < chainJoints.length; i++) order[i] = listed.indexOf(chainJoints[i]);
        return order;
    }
}
