package org.teachlearn.nodes.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.policy.MixtureChoice;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.serve.PolicyInfo;
import org.teachlearn.learn.serve.PolicySlot;
import org.teachlearn.learn.serve.SafeAction;
import org.teachlearn.learn.serve.TimedLoop;
import org.teachlearn.msgs.rosgraph_msgs.Clock;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.observe.RecentJointStates;
import org.teachlearn.nodes.observe.SubscriberWait;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.robot.arm.GripperScale;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.HoldCommand;
import org.teachlearn.robot.control.ReadingFreshness;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.Subscriber;

/**
 * policy_server: runs an ONNX policy on the arm (docs/nodes.md). Every observation built from
 * {@code joint_states} (by joint name) and {@code task/state.goal} goes through the model and the
 * {@link SafeAction} pipeline to the arm's position controllers: in lockstep once per state
 * ({@link LockstepPairing}), or at {@code ~rate} on the newest observation ({@link TimedLoop},
 * {@link LatestObservation}). Models come from {@code ~model} or {@code /policy/model}
 * ({@link ModelLoader}); transitions go to {@code /experience} ({@link ExperienceOut}).
 *
 * <pre>
 * params  ~model, ~lockstep (true), ~rate (Hz; 1 / the model's control period), ~watchdog_timeout (s; 3 control
 *         periods), ~max_stamp_age (s; 5 control periods; 0 off), ~max_velocity_scale (1), ~realtime_priority (50),
 *         ~stochastic (false), ~seed (0), ~experience (true), ~experience_batch (256), ~expert_timeout (0.1 s),
 *         ~accept_updates (true), ~version_pin (0: none),
 *         ~stats_period (10 s), ~chunk_mode (open_loop | ensemble), ~mixture (likely | sample | episode), ~ensemble_decay (0.01), ~speculate (true), ~task (""),
 *         ~arm_controller, ~gripper_controller, ~gripper_interface (topic | action), ~gripper_action
 *         (GRIPPER_CONTROLLER/gripper_cmd), ~gripper_deadband (0.001 m), ~gripper_max_effort (10);
 *         for models without teach_learn metadata: ~joint_names,
 *         ~gripper_joint, ~goal_size (3), ~control_period, ~gripper_command (continuous | binary)
 * sub     joint_states, task/state, /policy/model (latched), expert/action (labels for experience), teleop/active (while
 *         true a person commands the arm through vr_teleop: nothing is sent, lockstep transitions are interventions),
 *         /clock (lockstep without /use_sim_time: the simulator's time, for the stamp check), /policy/deterministic
 *         (std_msgs/Bool, the trainer's, latched: while true a ~stochastic server takes its mean action from its next episode on)
 * pub     ARM_CONTROLLER/command (std_msgs/Float64MultiArray; a single-point trajectory_msgs/JointTrajectory per tick when
 *         ARM_CONTROLLER/type is a JointTrajectoryController: {@link ArmCommandOut}), GRIPPER_CONTROLLER/command (or goals of
 *         the action ~gripper_action),
 *         /experience (lockstep; batches of transitions), policy/version (std_msgs/UInt32, latched: the running model's)
 * srv     policy/enable (std_srvs/SetBool): false holds the arm where it is; policy/accept_updates (std_srvs/SetBool):
 *         install /policy/model updates or not; policy/rollback (std_srvs/Trigger): back to the previous model, updates off
 * </pre>
 * Safety: a malformed message is refused on its own and the next good one is used; the arm acts
 * only on a fresh joint reading ({@link ReadingFreshness}) and otherwise holds ({@link HoldCommand}),
 * as it does on a failing model, {@code policy/enable} false and shutdown.
 */
public final class PolicyServer {

    private final Node node;
    private final Object lock = new Object();
    private final PolicySlot slot = new PolicySlot();
    private final RobotModel robot;
    private final ModelLoader models;
    private final boolean lockstep, stochastic, speculate;
    private final MixtureChoice mixture;   // ~mixture sample | episode; null: likely
    private volatile long mixtureEpisode = -1;
    private final double rate;   // Hz of the timed loop; 0: 1 / the model's control period
    private final ArmCommandOut armCommand;
    private final GripperOutput gripperOut;
    private final Publisher<Experience> experiencePub;
    private final Subscriber<ActionStamped> expertLabels;
    private final SubscriberWait armListens;
    private final LockstepPairing pairing;
    private final Time clockNow = new Time();
    private volatile long lockstepClock = -1;   // lockstep without /use_sim_time: the newest /clock (ns); -1: none yet
    private volatile boolean enabled = true;
    private volatile boolean teleop;   // teleop/active: a person has the arm, this server sends nothing
    private boolean meanOnly;          // /policy/deterministic: applied at the next episode in lockstep, at once when timed
    private long timedEpisode = -1;    // timed: the episode of the last task/state (its subscriber's thread)
    private volatile boolean timedEpisodeStarted;   // timed: a new episode began; the loop's next tick restarts the plan and history
    private double[] operatorTargets;  // the operator's last arm targets (expert/action while teleop/active)
    private boolean leftToOperator;    // lockstep: the pending state was left to the operator, whose command for it has not come
    private boolean operatorSent;
    private final Subscriber<Bool> teleopActive;
    private final java.util.function.BooleanSupplier stillFresh = this::readingStillFresh;   // made once: a tick allocates nothing

    // Set by the first model (configure); later models share its layout.
    private PolicyLayout layout;
    private RecentJointStates readings;   // lockstep: the last joint_states by stamp, paired with task/state
    private Joint gripperJoint;
    private ArmOutput output;
    private ReadingFreshness freshness;
    private ExperienceOut experience;
    private Speculation speculation;
    private volatile LatestObservation latest;   // the timed loop's observations (null in lockstep)
    private double[] positions, velocities, goal, obs, expertAction;
    private double period;
    private boolean haveJoints, staleHeld;
    private long readingAt, readingStamp;   // timed loop: when the reading acted on arrived, and its stamp (ns)

    public PolicyServer(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        robot = ArmDescription.robot(node);
        lockstep = p.getBool("~lockstep", true);
        speculate = lockstep && p.getBool("~speculate", true);
        stochastic = p.getBool("~stochastic", false);
        rate = p.getDouble("~rate", 0);
        armCommand = ArmCommandOut.advertise(node, p.getString("~arm_controller", "arm_controller"));
        gripperOut = GripperOutput.open(node);   // ~gripper_interface: the command topic, or GripperCommand goals
        armListens = gripperOut.waitsFor() != null ? new SubscriberWait(node, lock, armCommand.publisher(), gripperOut.waitsFor())
                : new SubscriberWait(node, lock, armCommand.publisher());
        experiencePub = p.getBool("~experience", true) ? node.advertise("/experience", Experience.TYPE) : null;
        pairing = new LockstepPairing((long) (p.getDouble("~expert_timeout", 0.1) * 1e9), node.log(), this::recheck);
        MixtureChoice.Mode mixtureMode = MixtureChoice.Mode.named(p.getString("~mixture", "likely"));
        // likely: the model's own action is already its most likely component's, no choice to make
        mixture = mixtureMode == MixtureChoice.Mode.LIKELY ? null : new MixtureChoice(mixtureMode);
        models = new ModelLoader(node, robot, slot, lock, stochastic, mixture, new Rng(p.getInt("~seed", 0) * 1_000_003L + 17), this::configure);
        String model = p.getString("~model", "");
        if (!model.isEmpty()) models.installFile(Files.readAllBytes(Path.of(model)), model);
        // before joint_states: their callbacks ask it whether an expert is labelling
        expertLabels = experiencePub != null ? node.subscribe("expert/action", ActionStamped.TYPE, 100, this::onExpert) : null;
        teleopActive = node.subscribe("teleop/active", Bool.TYPE, 10, this::onTeleop);
        // no queue (callbacks on the connections' threads): newest-wins copies, and lockstep saves a wake-up per message
        node.subscribe("joint_states", JointState.TYPE, 0, this::onJoints);
        node.subscribe("task/state", TaskState.TYPE, 0, this::onState);
        node.subscribe("/policy/model", ModelUpdate.TYPE, 2, models::onUpdate);
        node.subscribe("/policy/deterministic", Bool.TYPE, 2, this::onDeterministic);
        // lockstep stamps are the simulator's time: without /use_sim_time the node's clock is the wall's, so follow /clock here
        if (lockstep && !node.usesSimTime()) node.subscribe("/clock", Clock.TYPE, 0, c -> lockstepClock = c.clock.toNanos());
        node.advertiseService("policy/enable", SetBool.TYPE, (req, res) -> {
            enabled = req.data;
            if (!enabled) holdNow();
            res.success = true;
            res.message = enabled ? "policy enabled" : "policy disabled: holding position";
            node.log().info("policy_server: " + res.message);
        });
        node.advertiseService("policy/accept_updates", SetBool.TYPE, (req, res) -> {
            var a = models.acceptUpdates(req.data);
            res.success = a.success();
            res.message = a.message();
        });
        node.advertiseService("policy/rollback", Trigger.TYPE, (req, res) -> {
            var a = models.rollback();
            res.success = a.success();
            res.message = a.message();
        });
        node.onShutdown(() -> {
            pairing.close();
            models.close();
            holdNow();
            try {
                slot.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!lockstep) {
            new TimedLoop("policy_server loop", () -> (long) (1e9 / (rate > 0 ? rate : period > 0 ? 1 / period : 10)),
                    p.getInt("~realtime_priority", 50), (long) (p.getDouble("~stats_period", 10.0) * 1e9), this::timedTick,
                    node.log()::info, node.log()::warn, node::isShutdown).start();
        }
        node.log().info("policy_server: " + (lockstep ? "lockstep" : "timed") + (model.isEmpty() ? ", waiting for /policy/model" : "")
                + "; " + models.updates());
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("policy_server", argv, PolicyServer::run);
    }

    public static void run(Node node) throws Exception {
        new PolicyServer(node);
        node.spin();
    }

    /** The first model's layout sizes everything (under the lock). */
    private void configure(PolicyInfo i) {
        var p = node.params();
        // A target is to be reached by the next tick: the model's period in lockstep, 1 / ~rate when timed.
        double tick = lockstep || rate <= 0 ? i.controlPeriod() : 1 / rate;
        armCommand.configure(i.jointNames(), tick);   // first: it may refuse the model, before anything is set
        period = i.controlPeriod();
        freshness = new ReadingFreshness(p.getDouble("~watchdog_timeout", 3 * period), p.getDouble("~max_stamp_age", 5 * period),
                lockstep || node.usesSimTime());
        String gripper = i.gripperJoint();
        int arm = i.jointNames().length, goalSize = i.obsDim() - 2 * arm - (gripper.isEmpty() ? 0 : 1);
        if (goalSize < 0) throw new IllegalArgumentException("obs_dim " + i.obsDim() + " is too small for " + arm + " joints");
        layout = PolicyLayout.forObservation(i.jointNames(), gripper, goalSize);
        List<Joint> armJoints = new ArrayList<>();
        for (String name : i.jointNames()) armJoints.add(robot.joint(name));
        // the policy speaks each finger's opening in metres: a revolute gripper is read and commanded through its calibration
        GripperScale gripperScale = gripper.isEmpty() ? null : ArmDescription.gripperScale(node, robot.joint(gripper));
        GripperScale convert = gripperScale == null || gripperScale.isIdentity() ? null : gripperScale;
        gripperJoint = gripperScale == null ? null : gripperScale.asOpening(robot.joint(gripper));
        String[] all = java.util.Arrays.copyOf(i.jointNames(), arm + (gripper.isEmpty() ? 0 : 1));
        if (!gripper.isEmpty()) all[arm] = gripper;
        readings = new RecentJointStates(new JointStateMap(convert, all), all.length, 8, true);
        pairing.joints(readings);
        positions = new double[all.length];
        velocities = new double[all.length];
        obs = new double[i.obsDim()];
        goal = new double[goalSize];
        expertAction = new double[i.actDim()];
        // A target moves at most URDF velocity × the time between two ticks.
        double scale = p.getDouble("~max_velocity_scale", 1.0);
        double[] maxStep = new double[arm];
        for (int k = 0; k < arm; k++) maxStep[k] = armJoints.get(k).velocity() * tick * scale;
        String chunkMode = p.getString("~chunk_mode", "open_loop");
        if (!chunkMode.equals("open_loop") && !chunkMode.equals("ensemble")) {
            throw new IllegalArgumentException("~chunk_mode must be open_loop or ensemble, got '" + chunkMode + "'");
        }
        SafeAction safe = new SafeAction(new CommandLimits(armJoints, ControlMode.POSITION), gripperJoint, maxStep, stochastic,
                new Rng(p.getInt("~seed", 0)), chunkMode.equals("ensemble"), p.getDouble("~ensemble_decay", 0.01));
        if (!lockstep) safe.meanOnly(meanOnly);
        output = new ArmOutput(node.log(), armCommand, convert == null ? gripperOut : GripperOutput.scaled(gripperOut, convert), safe, new HoldCommand(ControlMode.POSITION, null, null), arm,
                gripperJoint != null, armListens::sending);
        if (experiencePub != null) {
            experience = new ExperienceOut(experiencePub, node.name(), p.getString("~task", ""), i.obsDim(), i.actDim(),
                    p.getInt("~experience_batch", 256));
        }
        if (speculate) speculation = new Speculation(i.obsDim(), i.actDim());
        if (!lockstep) latest = new LatestObservation(all, convert, goalSize);   // last: its presence says the rest is ready
    }

    // --- messages in ---

    private void onJoints(JointState m) {
        if (!lockstep) {
            LatestObservation l = latest;
            if (l != null && !l.putJoints(m)) node.log().errorThrottled("joints", 2.0, "policy_server: " + l.missing() + ": refused");
            return;
        }
        synchronized (lock) {
            if (readings == null) return;
            if (!readings.put(m)) {
                node.log().errorThrottled("joints", 2.0, "policy_server: " + readings.missing() + ": refused");
                return;
            }
            if (!speculating()) {
                tickIfPaired();
                return;
            }
        }
        speculation.run();   // outside the lock: task/state may come in meanwhile
        synchronized (lock) {
            speculation.end();
            tickIfPaired();
        }
    }

    /** Lockstep: starts the model on a state's joint_states with the episode's goal (see {@link Speculation}); false when that cannot pay off. */
    private boolean speculating() {
        if (speculation == null || !pairing.jointsAhead() || !enabled || pairing.done()) return false;
        useReading(readings.newestSlot());
        observe();
        return speculation.begin(slot, obs);
    }

    private void onState(TaskState m) {
        if (mixture != null && m.episode != mixtureEpisode) {   // a new episode: ~mixture episode draws its component again
            mixtureEpisode = m.episode;
            mixture.reset();
        }
        LatestObservation l = latest;
        if (!lockstep) {
            if (m.episode != timedEpisode) {   // the next tick starts afresh: no plan, no history from the last episode
                timedEpisode = m.episode;
                timedEpisodeStarted = true;
            }
            if (l != null && goalUsable(m, l.goalSize())) l.putGoal(m.goal);
            return;
        }
        synchronized (lock) {
            if (layout == null || !goalUsable(m, layout.goalSize())) return;
            pairing.state(m, goal);   // first: a done state it replaces keeps its own goal
            System.arraycopy(m.goal, 0, goal, 0, goal.length);
            tickIfPaired();
        }
    }

    /** A task/state whose goal the model can use; otherwise refused with a throttled error (the previous goal stays). */
    private boolean goalUsable(TaskState m, int goalSize) {
        boolean ok = m.goal.length == goalSize && CommandLimits.finite(m.goal, goalSize);
        if (!ok) {
            node.log().errorThrottled("goal", 2.0, "policy_server: task/state.goal " + java.util.Arrays.toString(m.goal) + " is not "
                    + goalSize + " finite values, as the model expects: refused");
        }
        return ok;
    }

    private void onExpert(ActionStamped m) {
        synchronized (lock) {
            if (experience == null) return;
            if (m.action.length != experience.actDim() || !CommandLimits.finite(m.action, m.action.length)) {
                node.log().errorThrottled("expert", 2.0, "policy_server: expert/action " + java.util.Arrays.toString(m.action) + " is not "
                        + experience.actDim() + " finite values: refused as a label");
                return;
            }
            System.arraycopy(m.action, 0, expertAction, 0, expertAction.length);
            if (teleop) {   // the operator's command: where the hand-back continues from
                if (operatorTargets == null) operatorTargets = new double[layout.armJoints().length];
                System.arraycopy(m.action, 0, operatorTargets, 0, operatorTargets.length);
                operatorSent = true;
            }
            pairing.label(m.header.stamp);
            if (pairing.labelled()) leftToOperator = false;
            experience.label(m.header.stamp, expertAction);   // false before the policy acted on it: tickIfPaired labels it then
            tickIfPaired();   // the state may have been waiting for this label
        }
    }

    /**
     * teleop/active: true, the operator takes the arm (vr_teleop publishes it before its first
     * command): from now nothing goes out. False, the arm is handed back: the step limit counts from
     * the arm as measured and no stale plan resumes, so the first command after the hand-over starts
     * where the operator left the arm.
     */
    private void onTeleop(Bool m) {
        synchronized (lock) {
            if (m.data == teleop) return;
            teleop = m.data;
            if (teleop) operatorSent = false;
            if (!teleop && output != null) {
                // on from the operator's last command (its expert/action) within the step limit; without it, from the measured arm
                if (operatorSent) {
                    output.safe().held();   // no plan or history from before the operator took the arm
                    output.safe().sent(operatorTargets);
                } else {
                    output.safe().restart();
                }
            }
            if (!teleop && lockstep && leftToOperator && !pairing.labelled()) {
                // the operator let go at a state it did not answer (vr_teleop yields from that tick on): the simulator
                // waits for it, so it is answered here with a hold, and the policy acts from the next state
                leftToOperator = false;
                hold();
            }
            node.log().info("policy_server: teleop/active " + teleop + (teleop ? ": the operator has the arm, sending nothing"
                    : ": the arm is handed back, acting from where it is"));
        }
    }

    /** The trainer evaluates on the workers (true) or learns again: a ~stochastic server takes its mean action meanwhile. */
    private void onDeterministic(Bool m) {
        synchronized (lock) {
            if (m.data == meanOnly) return;
            meanOnly = m.data;
            if (!lockstep && output != null) output.safe().meanOnly(meanOnly);
            if (stochastic) {
                node.log().info("policy_server: " + (meanOnly ? "the trainer evaluates: the policy's mean action from the next episode on"
                        : "sampling actions again from the next episode on"));
            }
        }
    }

    private void recheck() {
        synchronized (lock) {
            tickIfPaired();
        }
    }

    // --- lockstep ---

    /** Once both messages of a state are in: close the last transition and, unless done, act. Caller holds the lock. */
    private void tickIfPaired() {
        if (!lockstep) return;
        if (pairing.heldDue()) closeHeldDone();
        if (pairing.takeResent() && !teleop && !leftToOperator && output != null && armListens.joinedSinceSending()) {
            // the simulator asks again and subscribed after our answer went out: the same command again, or it waits for ever
            output.resend();
            node.log().warnThrottled("resent", 5.0, "policy_server: the simulator asked again for a state answered before it "
                    + "subscribed: sending the same command again");
            return;
        }
        if (!pairing.due()) return;
        if (speculation != null && speculation.running()) return;   // its thread comes back here when the model is done
        if (!pairing.done() && !armListens.ready()) {
            armListens.retryWhenSubscribed(this::tickIfPaired);
            return;
        }
        // with vr_teleop on the graph its expert/action comes only while the operator commands: await labels then
        boolean labelsComing = experience != null && expertLabels.publisherCount() > 0 && (teleop || teleopActive.publisherCount() == 0);
        if (pairing.awaitingLabel(labelsComing)) return;   // onExpert or the deadline comes back
        pairing.answer();
        if (pairing.releaseHeld()) {
            node.log().warnThrottled("done-lost", 5.0, "policy_server: the joint_states of a done state never came: its transition is not in /experience");
        }
        useReading(pairing.jointSlot());
        leftToOperator = false;
        if (pairing.step() == 0) {   // a new episode starts from a new pose, sampling or not as the trainer asks
            output.safe().restart();
            output.safe().meanOnly(meanOnly);
        }
        observe();
        if (experience != null) {
            experience.arrived(obs, pairing.step(), pairing.reward(), pairing.done(), pairing.truncated(), pairing.stateStamp(), models.version());
        }
        if (pairing.done()) return;
        long clock = node.usesSimTime() ? node.now(clockNow).toNanos() : lockstepClock;
        int verdict = freshness.judgeLockstep(pairing.stateStamp().toNanos(), clock);
        if (verdict != ReadingFreshness.FRESH) {
            if (node.log().due("stale", 1.0)) {
                node.log().error("policy_server: " + freshness.describe(verdict, "joint_states", 1, 1, pairing.stateStamp().toNanos(), clock)
                        + ": holding");
            }
            hold();   // still the state's answer: the simulator steps, holding
            return;
        }
        if (teleop) {
            // the operator's command answers this state (vr_teleop): an intervention row, its label the command it sent
            if (experience != null && pairing.labelled()) experience.intervened(obs, expertAction, pairing.episode(), pairing.stateStamp());
            leftToOperator = !pairing.labelled();
            return;
        }
        if (tick() && experience != null) {
            SafeAction safe = output.safe();
            experience.acted(obs, safe.sampled(), safe.command(), safe.logProb(), pairing.episode(), pairing.stateStamp());
            if (pairing.labelled()) experience.label(pairing.stateStamp(), expertAction);
        }
    }

    /** Lockstep ticks whose model ran ahead on joint_states (see {@link Speculation}). */
    long speculatedTicks() {
        synchronized (lock) {
            return speculation == null ? 0 : speculation.hits();
        }
    }

    // --- timed ---

    /**
     * One tick of the timed loop: acts on the newest observation if its joint reading is fresh;
     * holds once when it goes stale. Contended only by policy/enable, shutdown and a first model's
     * configuration: the subscriptions hand observations over through {@link LatestObservation}.
     */
    private boolean timedTick(long now) {
        synchronized (lock) {
            LatestObservation l = latest;
            if (l == null || !l.complete() || teleop) return false;   // teleop: the operator commands, nothing goes out
            if (l.read(positions, velocities, goal)) {   // else writes kept overlapping: the previous observation, judged by its own age
                readingAt = l.readAt();
                readingStamp = l.readStamp();
                haveJoints = true;
            }
            long clock = freshness.checksStamps() ? node.now(clockNow).toNanos() : -1;
            int verdict = haveJoints ? freshness.judge(readingAt, now, readingStamp, clock) : ReadingFreshness.NONE;
            if (verdict == ReadingFreshness.FRESH) {
                staleHeld = false;
                if (timedEpisodeStarted && output != null) {
                    timedEpisodeStarted = false;
                    output.safe().restart();
                }
                try {
                    observe();
                    tick();
                } catch (RuntimeException e) {   // never let the loop die: a dead loop sends nothing, and nobody would know why
                    node.log().errorThrottled("loop", 1.0, "policy_server: tick failed (" + e + "): holding");
                    hold();
                }
                return true;
            }
            if (verdict != ReadingFreshness.NONE && !staleHeld) {
                // once, on going stale: the controller keeps that target, and nothing computed from the stale reading follows
                node.log().warnThrottled("stale", 1.0, "policy_server: " + freshness.describe(verdict, "joint_states", readingAt, now,
                        readingStamp, clock) + ": holding");
                hold();
                staleHeld = true;
            }
            return false;
        }
    }

    // --- the tick ---

    /** Lockstep: a done state the next episode's first replaced before it was paired ends its episode's last transition now. */
    private void closeHeldDone() {
        useReading(pairing.heldJointSlot());
        layout.observe(positions, velocities, gripperJoint != null ? positions[positions.length - 1] : 0, pairing.heldGoal(), obs, 0);
        if (experience != null) {
            experience.arrived(obs, pairing.heldStep(), pairing.heldReward(), true, pairing.heldTruncated(), pairing.heldStamp(), models.version());
        }
        pairing.releaseHeld();
    }

    /** Lockstep: the joint reading in {@code slot} becomes the one observed and held at. */
    private void useReading(int slot) {
        System.arraycopy(readings.positions(slot), 0, positions, 0, positions.length);
        System.arraycopy(readings.velocities(slot), 0, velocities, 0, velocities.length);
        haveJoints = true;
    }

    private void observe() {
        layout.observe(positions, velocities, gripperJoint != null ? positions[positions.length - 1] : 0, goal, obs, 0);
    }

    /** The observation in {@code obs} → model → safe command → published; false (holding) on anything wrong. Caller holds the lock. */
    private boolean tick() {
        if (!enabled) {
            hold();
            return false;
        }
        return output.act(slot, obs, positions, velocities, speculation, stillFresh);
    }

    /** Timed loop: the reading acted on is still within the watchdog (lockstep: time stands still). */
    private boolean readingStillFresh() {
        return lockstep || System.nanoTime() - readingAt <= (long) (freshness.watchdogSeconds() * 1e9);
    }

    private void hold() {
        if (output != null && haveJoints && !teleop) output.hold(positions, velocities);   // never two sources
    }

    private void holdNow() {
        synchronized (lock) {
            hold();
        }
    }
}
