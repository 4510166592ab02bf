package org.teachlearn.nodes.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.serve.ActionChunks;
import org.teachlearn.learn.serve.ExperienceBuffer;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.PolicyInfo;
import org.teachlearn.learn.serve.PolicySlot;
import org.teachlearn.learn.serve.RealtimeThread;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.rosgraph_msgs.Clock;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.observe.SubscriberWait;
import org.teachlearn.nodes.sim.RobotDescription;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.HoldCommand;
import org.teachlearn.robot.control.ReadingFreshness;
import org.teachlearn.robot.sim.JointGroupController.Mode;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.message.Time;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.Subscriber;

/**
 * policy_server: runs an ONNX policy on the arm (INTERFACES.md §5–6). Every observation built
 * from {@code joint_states} (by joint name) and {@code task/state.goal} goes through the model, and
 * the command, made safe, goes to the arm's position controllers: in lockstep once per state, or
 * at {@code ~rate} on the newest observation. New models arrive on {@code /policy/model}, are
 * checked, loaded and warmed on a side thread and swapped in between ticks.
 *
 * <pre>
 * params  ~model (ONNX file; else wait for /policy/model), ~lockstep (true), ~rate (Hz; default 1 / the
 *         model's control period), ~watchdog_timeout (s; default 3 control periods: timed loop, since the
 *         joint reading arrived), ~max_stamp_age (s; default 5 control periods; 0 off: joint_states' header
 *         stamp against ROS time, in lockstep against /clock), ~max_velocity_scale (1:
 *         a target moves at most URDF velocity · period per tick), ~realtime_priority (50: SCHED_FIFO for the
 *         timed loop where allowed; 0 off), ~stochastic (false: the mean; true: sampled with the model's
 *         log_std), ~seed (0), ~experience (true), ~experience_batch (256), ~expert_timeout (0.1 s: in lockstep,
 *         with an expert publishing, each state waits this long at most for its label), ~stats_period (10 s: the timed
 *         loop logs ticks, missed ticks, slowest tick and RSS), ~chunk_mode (open_loop | ensemble, for models
 *         whose action is a chunk [batch, K, act_dim]), ~ensemble_decay (0.01), ~speculate (true: in lockstep, start the
 *         model on joint_states before the state's task/state is in; see Speculation), ~arm_controller, ~gripper_controller;
 *         for models without teach_learn metadata: ~joint_names, ~gripper_joint, ~goal_size (3), ~control_period
 * sub     joint_states, task/state, /policy/model (latched), expert/action (labels for experience),
 *         /clock (lockstep without /use_sim_time: the simulator's time, for the stamp check)
 * pub     ARM_CONTROLLER/command, GRIPPER_CONTROLLER/command, /experience (lockstep; batches of transitions)
 * srv     policy/enable (std_srvs/SetBool): false holds the arm where it is
 * </pre>
 * Safety: targets clamped to the URDF limits and step-limited per tick (throttled warning); a NaN
 * or infinite action, a failing model, {@code policy/enable} false and shutdown all hold the arm
 * at its measured position ({@link HoldCommand}). A malformed message is refused on its own and the
 * next good one is used. The arm acts only on a fresh joint reading ({@link ReadingFreshness}): a
 * reading that arrived longer ago than the watchdog (whatever else keeps arriving) or whose stamp
 * is too far from the clock means hold, and a command computed from it never leaves the node.
 */
public final class PolicyServer {

    private final Node node;
    private final PolicySlot slot = new PolicySlot();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "policy-loader");
        t.setDaemon(true);
        return t;
    });
    private final RobotModel robot;
    private final boolean lockstep;
    private final double rate;   // Hz of the timed loop; 0: 1 / the model's control period
    private final double velocityScale;
    private final Publisher<Float64MultiArray> armCommand;
    private final Publisher<Float64MultiArray> gripperCommand;
    private final Object lock = new Object();
    private final SubscriberWait armListens;
    private final Float64MultiArray armMsg = new Float64MultiArray();
    private final Float64MultiArray gripperMsg = new Float64MultiArray();
    // Distinct impossible stamps until the first message of each: sim time starts at 0, and a state
    // stamped 0 must not pair with joint positions never received.
    private final Time jointStamp = new Time(-2, 0);
    private final Time stateStamp = new Time(-3, 0);
    private final Time answered = new Time(-1, 0);
    private volatile boolean enabled = true;
    private final boolean stochastic;
    private long statsPeriod;
    private final Rng rng;
    private final int experienceBatch;
    private final Publisher<Experience> experiencePub;
    private final Experience experienceMsg = new Experience();
    private ExperienceBuffer experience;
    private final Time expertStamp = new Time(-5, 0);
    private Subscriber<ActionStamped> expertLabels;
    private final long expertTimeout;
    private long expertWaitSince;   // System.nanoTime() the current state began waiting for its label; 0: not waiting
    private final ScheduledExecutorService expertTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "expert-timeout");
        t.setDaemon(true);
        return t;
    });
    private double[] expertAction = new double[0];
    private double stateReward;
    private boolean stateTruncated;
    private int stateEpisode;
    private int stateStep;
    private int policyVersion;
    private double logProb;
    private final boolean ensemble;
    private final double ensembleDecay;
    private ActionChunks chunks;
    private double[] chunkBuffer;
    private volatile LatestObservation latest;   // the timed loop's observations (null in lockstep)
    private final boolean speculate;
    private Speculation speculation;   // lockstep with ~speculate: null otherwise

    // Set by the first model; later models must share its layout.
    private PolicyInfo info;
    private PolicyLayout layout;
    private JointStateMap joints;
    private CommandLimits limits;
    private Joint gripperJoint;
    private double[] positions, velocities, goal = new double[0], obs, action, lastSent, maxStep, unclamped, executed, mean;
    private boolean haveSent;
    private boolean haveJoints;
    private boolean haveGoal;
    private boolean stateDone = true;
    private double period;
    private ReadingFreshness freshness;
    private HoldCommand holdCommand;
    private double[] holdTargets;
    private long readingAt;   // timed loop: System.nanoTime() the joint reading acted on arrived
    private long readingStamp;   // timed loop: its header stamp (ns)
    private final Time clockNow = new Time();
    private volatile long lockstepClock = -1;   // lockstep without /use_sim_time: the newest /clock (ns); -1: none yet

    public PolicyServer(Node node) throws Exception {
        this.node = node;
        var p = node.params();
        robot = UrdfParser.parse(RobotDescription.read(node, false));
        lockstep = p.getBool("~lockstep", true);
        speculate = lockstep && p.getBool("~speculate", true);
        rate = p.getDouble("~rate", 0);
        velocityScale = p.getDouble("~max_velocity_scale", 1.0);
        armCommand = node.advertise(p.getString("~arm_controller", "arm_controller") + "/command", Float64MultiArray.TYPE);
        gripperCommand = node.advertise(p.getString("~gripper_controller", "gripper_controller") + "/command", Float64MultiArray.TYPE);
        armListens = new SubscriberWait(node, lock, armCommand, gripperCommand);
        stochastic = p.getBool("~stochastic", false);
        String chunkMode = p.getString("~chunk_mode", "open_loop");
        if (!chunkMode.equals("open_loop") && !chunkMode.equals("ensemble")) {
            throw new IllegalArgumentException("~chunk_mode must be open_loop or ensemble, got '" + chunkMode + "'");
        }
        ensemble = chunkMode.equals("ensemble");
        ensembleDecay = p.getDouble("~ensemble_decay", 0.01);
        rng = new Rng(p.getInt("~seed", 0));
        experienceBatch = p.getBool("~experience", true) ? p.getInt("~experience_batch", 256) : 0;
        experiencePub = experienceBatch > 0 ? node.advertise("/experience", Experience.TYPE) : null;
        String model = p.getString("~model", "");
        if (!model.isEmpty()) install(Files.readAllBytes(Path.of(model)), "file " + model);
        // no queue (callbacks on the connections' threads): newest-wins copies, and lockstep saves a wake-up per message
        node.subscribe("joint_states", JointState.TYPE, 0, this::onJoints);
        node.subscribe("task/state", TaskState.TYPE, 0, this::onState);
        node.subscribe("/policy/model", ModelUpdate.TYPE, 2, this::onModel);
        // lockstep stamps are the simulator's time: without /use_sim_time the node's clock is the wall's, so follow /clock here
        if (lockstep && !node.usesSimTime()) node.subscribe("/clock", Clock.TYPE, 0, c -> lockstepClock = c.clock.toNanos());
        expertTimeout = (long) (p.getDouble("~expert_timeout", 0.1) * 1e9);
        if (experiencePub != null) expertLabels = node.subscribe("expert/action", ActionStamped.TYPE, 100, this::onExpert);
        node.advertiseService("policy/enable", SetBool.TYPE, (req, res) -> {
            enabled = req.data;
            if (!enabled) holdNow();
            res.success = true;
            res.message = enabled ? "policy enabled" : "policy disabled: holding position";
            node.log().info("policy_server: " + res.message);
        });
        node.onShutdown(() -> {
            expertTimer.shutdownNow();
            holdNow();
            try {
                slot.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        statsPeriod = (long) (p.getDouble("~stats_period", 10.0) * 1e9);
        if (!lockstep) startTimer(p.getInt("~realtime_priority", 50));
        node.log().info("policy_server: " + (lockstep ? "lockstep" : "timed") + (model.isEmpty() ? ", waiting for /policy/model" : ""));
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("policy_server", argv, PolicyServer::run);
    }

    public static void run(Node node) throws Exception {
        new PolicyServer(node);
        node.spin();
    }

    // --- models ---

    private void onModel(ModelUpdate m) {
        byte[] onnx = m.onnx.clone();
        String sha = PolicyExport.sha256(onnx);
        if (!sha.equalsIgnoreCase(m.sha256)) {
            node.log().error("policy_server: /policy/model version " + m.version + " refused: sha256 " + sha + " does not match " + m.sha256);
            return;
        }
        loader.execute(() -> {
            try {
                install(onnx, "/policy/model version " + m.version + " (" + m.algorithm + ")");
            } catch (Exception e) {
                node.log().error("policy_server: /policy/model version " + m.version + " refused: " + e.getMessage());
            } catch (Throwable e) {   // OutOfMemoryError loading it, say: the next model must still be taken
                node.log().error("policy_server: /policy/model version " + m.version + " refused: " + e);
            }
        });
    }

    /** Loads, checks and warms a model off the control path, then swaps it in between ticks. */
    private void install(byte[] onnx, String from) throws Exception {
        OnnxPolicy next = new OnnxPolicy(onnx, layoutFromParameters());
        try {
            if (stochastic && next.logStd() == null) throw new IllegalArgumentException("~stochastic needs a model with a log_std output");
            synchronized (lock) {
                if (info == null) configure(next.info());
                else if (!compatible(info, next.info())) throw new IllegalArgumentException("its layout differs from the running model's");
            }
            double[] warmObs = new double[next.info().obsDim()], warmAct = new double[next.chunk() * next.info().actDim()];
            for (int i = 0; i < 100; i++) next.act(warmObs, warmAct);   // first runs allocate and plan inside ORT
        } catch (Exception e) {
            next.close();
            throw e;
        }
        slot.swap(next);
        policyVersion = (int) next.info().version();
        node.log().info("policy_server: running " + from);
    }

    /**
     * The layout of a model without our metadata (exported by PyTorch, say), from parameters:
     * ~joint_names (the arm joints in the action's order), ~gripper_joint ("" for none), ~goal_size,
     * ~control_period; limits from the URDF. Null when ~joint_names is not set.
     */
    private PolicyInfo layoutFromParameters() {
        var p = node.params();
        List<String> names = p.getStringList("~joint_names", List.of());
        if (names.isEmpty()) return null;
        String gripper = p.getString("~gripper_joint", "");
        int act = names.size() + (gripper.isEmpty() ? 0 : 1);
        double[] low = new double[act], high = new double[act];
        for (int k = 0; k < act; k++) {
            Joint j = robot.joint(k < names.size() ? names.get(k) : gripper);
            low[k] = j.lower();
            high[k] = j.upper();
        }
        int obs = 2 * names.size() + (gripper.isEmpty() ? 0 : 1) + p.getInt("~goal_size", 3);
        return PolicyInfo.forArm(names.toArray(new String[0]), gripper).observationSize(obs).actionLimits(low, high)
                .controlPeriod(p.getDouble("~control_period", 0.01)).build();
    }

    private static boolean compatible(PolicyInfo a, PolicyInfo b) {
        return a.obsDim() == b.obsDim() && a.actDim() == b.actDim() && java.util.Arrays.equals(a.jointNames(), b.jointNames())
                && a.gripperJoint().equals(b.gripperJoint());
    }

    private void configure(PolicyInfo i) {
        info = i;
        period = i.controlPeriod();
        freshness = new ReadingFreshness(node.params().getDouble("~watchdog_timeout", 3 * period),
                node.params().getDouble("~max_stamp_age", 5 * period), lockstep || node.usesSimTime());
        String gripper = i.gripperJoint();
        int arm = i.jointNames().length, goalSize = i.obsDim() - 2 * arm - (gripper.isEmpty() ? 0 : 1);
        if (goalSize < 0) throw new IllegalArgumentException("obs_dim " + i.obsDim() + " is too small for " + arm + " joints");
        layout = PolicyLayout.forObservation(i.jointNames(), gripper, goalSize);
        List<Joint> armJoints = new ArrayList<>();
        for (String name : i.jointNames()) armJoints.add(robot.joint(name));
        limits = new CommandLimits(armJoints, Mode.POSITION);
        gripperJoint = gripper.isEmpty() ? null : robot.joint(gripper);
        String[] all = java.util.Arrays.copyOf(i.jointNames(), arm + (gripper.isEmpty() ? 0 : 1));
        if (!gripper.isEmpty()) all[arm] = gripper;
        joints = new JointStateMap(all);
        positions = new double[all.length];
        velocities = new double[all.length];
        obs = new double[i.obsDim()];
        action = new double[i.actDim()];
        unclamped = new double[i.actDim()];
        executed = new double[i.actDim()];
        mean = new double[i.actDim()];
        lastSent = new double[arm];
        maxStep = new double[arm];
        holdTargets = new double[arm];
        holdCommand = new HoldCommand(Mode.POSITION, null, null);
        // A target moves at most URDF velocity × the time between two ticks: the model's period in
        // lockstep, 1 / ~rate when timed.
        double tickPeriod = lockstep || rate <= 0 ? period : 1 / rate;
        for (int k = 0; k < arm; k++) maxStep[k] = armJoints.get(k).velocity() * tickPeriod * velocityScale;
        armMsg.data = new double[arm];
        gripperMsg.data = new double[1];
        goal = new double[goalSize];
        if (experienceBatch > 0) {
            experience = new ExperienceBuffer(i.obsDim(), i.actDim(), experienceBatch);
            experienceMsg.worker = node.name();
            experienceMsg.obs_dim = i.obsDim();
            experienceMsg.act_dim = i.actDim();
            experienceMsg.obs = new float[experienceBatch * i.obsDim()];
            experienceMsg.next_obs = new float[experienceBatch * i.obsDim()];
            experienceMsg.action = new float[experienceBatch * i.actDim()];
            experienceMsg.expert_action = new float[experienceBatch * i.actDim()];
            experienceMsg.logprob = new float[experienceBatch];
            experienceMsg.reward = new float[experienceBatch];
            experienceMsg.done = new byte[experienceBatch];
            experienceMsg.episode = new int[experienceBatch];
        }
        if (speculate) speculation = new Speculation(i.obsDim(), i.actDim());
        if (!lockstep) latest = new LatestObservation(all, goalSize);   // last: its presence says the rest is ready
    }

    // --- observations ---

    private void onJoints(JointState m) {
        if (!lockstep) {
            LatestObservation l = latest;
            if (l != null && !l.putJoints(m)) node.log().errorThrottled("joints", 2.0, "policy_server: " + l.missing() + ": holding");
            return;
        }
        synchronized (lock) {
            if (joints == null) return;
            if (!joints.read(m, positions, velocities)) {
                node.log().errorThrottled("joints", 2.0, "policy_server: " + joints.missing() + ": holding");
                return;
            }
            jointStamp.set(m.header.stamp);
            haveJoints = true;
            if (!speculating()) {
                tickIfPaired();
                return;
            }
        }
        speculation.run();
        synchronized (lock) {
            speculation.end();
            tickIfPaired();   // the state's task/state came in while the model ran
        }
    }

    /**
     * Lockstep, joint_states of a state whose task/state is not in yet: starts the model on them with
     * the episode's goal (see {@link Speculation}); false when that cannot pay off. Caller holds the lock.
     */
    private boolean speculating() {
        if (speculation == null || jointStamp.equals(stateStamp) || !enabled || !haveGoal || stateDone) return false;
        observe();
        return speculation.begin(slot, obs);
    }

    private void onState(TaskState m) {
        if (!lockstep) {
            LatestObservation l = latest;
            if (l == null) return;
            if (!goalUsable(m, l.goalSize())) return;
            l.putGoal(m.goal);
            return;
        }
        synchronized (lock) {
            if (layout == null) return;
            if (!goalUsable(m, layout.goalSize())) return;
            stateStamp.set(m.header.stamp);
            haveGoal = true;
            System.arraycopy(m.goal, 0, goal, 0, goal.length);
            stateDone = m.done;
            stateReward = m.reward;
            stateTruncated = m.truncated;
            stateEpisode = (int) m.episode;
            stateStep = (int) m.step;
            tickIfPaired();
        }
    }

    /** A task/state whose goal the model can use; otherwise refused with a throttled error (the previous goal stays). */
    private boolean goalUsable(TaskState m, int goalSize) {
        String problem = m.goal.length != goalSize ? "task/state.goal has " + m.goal.length + " values; the model expects " + goalSize
                : CommandLimits.finite(m.goal, goalSize) ? null : "task/state.goal " + java.util.Arrays.toString(m.goal) + " is not finite";
        if (problem != null) node.log().errorThrottled("goal", 2.0, "policy_server: " + problem + ": refused");
        return problem == null;
    }

    private void onExpert(ActionStamped m) {
        synchronized (lock) {
            if (experience == null) return;
            if (m.action.length != action.length || !CommandLimits.finite(m.action, m.action.length)) {
                node.log().errorThrottled("expert", 2.0, "policy_server: expert/action " + java.util.Arrays.toString(m.action) + " is not "
                        + action.length + " finite values: refused as a label");
                return;
            }
            expertStamp.set(m.header.stamp);
            if (expertAction.length != m.action.length) expertAction = new double[m.action.length];
            System.arraycopy(m.action, 0, expertAction, 0, expertAction.length);
            experience.label(expertStamp.toNanos(), expertAction);   // false before the policy acted on it: tickIfPaired labels it then
            if (lockstep && expertWaitSince != 0) tickIfPaired();   // the state was waiting for this label
        }
    }

    /**
     * Lockstep with experience and an expert publishing: whether the current state should wait for
     * its label. The expert is another node and may be slower than the loop; without waiting, its
     * labels would arrive after their batch went out. Waits at most ~expert_timeout per state.
     */
    private boolean awaitingLabel() {
        if (experience == null || stateDone || expertLabels == null || expertLabels.publisherCount() == 0 || expertStamp.equals(stateStamp)) {
            expertWaitSince = 0;
            return false;
        }
        long now = System.nanoTime();
        if (expertWaitSince == 0) {
            expertWaitSince = now;
            try {
                expertTimer.schedule(() -> {
                    synchronized (lock) {
                        tickIfPaired();
                    }
                }, expertTimeout + 1_000_000, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return false;   // shutting down: the timer is gone, and nothing waits any more
            }
            return true;
        }
        if (now - expertWaitSince < expertTimeout) return true;
        node.log().warnThrottled("expert-late", 5.0, "policy_server: expert/action did not label a state within "
                + expertTimeout / 1e9 + " s (~expert_timeout): acting without its label");
        expertWaitSince = 0;
        return false;
    }

    /** Lockstep: once both messages of a state are in, close the last transition and, unless done, act. */
    private void tickIfPaired() {
        if (!jointStamp.equals(stateStamp) || stateStamp.equals(answered)) return;
        if (speculation != null && speculation.running()) return;   // its thread comes back here when the model is done
        if (!stateDone && !armListens.ready()) {
            armListens.retryWhenSubscribed(this::tickIfPaired);
            return;
        }
        if (awaitingLabel()) return;   // onExpert or the timer comes back here
        answered.set(stateStamp);
        if (stateStep == 0) {
            if (chunks != null) chunks.reset();
            haveSent = false;   // a new episode starts from a new pose: the step limit counts from there, not from the last episode's command
        }
        observe();
        if (experience != null && experience.isOpen()) {
            if (stateStep == 0) {
                experience.abandon();   // the episode was reset under it
            } else if (experience.close(obs, stateReward, stateDone ? (stateTruncated ? ExperienceBuffer.TRUNCATED : ExperienceBuffer.TERMINAL)
                    : ExperienceBuffer.NOT_DONE)) {
                publishExperience();
            }
        }
        if (stateDone) return;
        int verdict = freshness.judgeLockstep(jointStamp.toNanos(), lockstepClock());
        if (verdict != ReadingFreshness.FRESH) {
            node.log().errorThrottled("stale", 1.0, "policy_server: " + freshness.describe(verdict, "joint_states", 1, 1, jointStamp.toNanos(),
                    lockstepClock()) + ": holding");
            hold();   // still the state's answer: the simulator steps, holding
            return;
        }
        if (tick() && experience != null) {
            experience.open(obs, lastSentAction(), logProb, stateEpisode, stateStamp.toNanos());
            if (expertStamp.equals(stateStamp)) experience.label(expertStamp.toNanos(), expertAction);
        }
    }

    /** Lockstep: the simulator's time to judge stamps by, or -1 when no /clock has come (stamps not checked). */
    private long lockstepClock() {
        return node.usesSimTime() ? node.now(clockNow).toNanos() : lockstepClock;
    }

    private void publishExperience() {
        experience.copyTo(experienceMsg.obs, experienceMsg.action, experienceMsg.logprob, experienceMsg.reward, experienceMsg.next_obs,
                experienceMsg.done, experienceMsg.expert_action, experienceMsg.episode);
        experienceMsg.policy_version = policyVersion;
        experienceMsg.header.stamp.set(stateStamp);
        experiencePub.publish(experienceMsg);
        experience.clear();
    }

    /** The command last sent, arm then gripper, as the experience records it. */
    private double[] lastSentAction() {
        int arm = lastSent.length;
        System.arraycopy(lastSent, 0, executed, 0, arm);
        if (gripperJoint != null) executed[arm] = gripperMsg.data[0];
        return executed;
    }

    private void startTimer(int priority) {
        Thread t = new Thread(() -> {
            String why = priority > 0 ? RealtimeThread.elevate(priority) : "~realtime_priority is 0";
            if (why != null) node.log().warn("policy_server: the control loop runs without real-time priority (" + why + "); expect late ticks on a busy machine");
            LoopStats stats = new LoopStats();
            long next = System.nanoTime(), window = next;
            boolean staleHeld = false;
            while (!node.isShutdown()) {
                long step, start = System.nanoTime();
                boolean ran = false;
                // Contended only by policy/enable, shutdown and a first model's configuration: the
                // subscriptions hand observations over through `latest`, without this lock.
                synchronized (lock) {
                    double hz = rate > 0 ? rate : (period > 0 ? 1 / period : 10);
                    step = (long) (1e9 / hz);
                    LatestObservation l = latest;
                    if (info != null && l != null && l.complete()) {
                        // a read that writes kept overlapping leaves the previous observation, judged by its own age
                        if (l.read(positions, velocities, goal)) {
                            readingAt = l.readAt();
                            readingStamp = l.readStamp();
                            haveJoints = true;
                        }
                        long clock = freshness.checksStamps() ? node.now(clockNow).toNanos() : -1;
                        int verdict = haveJoints ? freshness.judge(readingAt, start, readingStamp, clock) : ReadingFreshness.NONE;
                        if (verdict == ReadingFreshness.FRESH) {
                            staleHeld = false;
                            try {
                                observe();
                                tick();
                                ran = true;
                            } catch (RuntimeException e) {
                                // never let the loop die: a dead loop sends nothing, and nobody would know why
                                node.log().errorThrottled("loop", 1.0, "policy_server: tick failed (" + e + "): holding");
                                hold();
                            }
                        } else if (verdict != ReadingFreshness.NONE && !staleHeld) {
                            // once, on going stale: the controller then keeps that target, and nothing
                            // computed from the stale reading follows it
                            node.log().warnThrottled("stale", 1.0, "policy_server: " + freshness.describe(verdict, "joint_states", readingAt, start,
                                    readingStamp, clock) + ": holding");
                            hold();
                            staleHeld = true;
                        }
                    }
                }
                long end = System.nanoTime();
                if (ran) stats.record(start, end, next, step);
                if (end - window >= statsPeriod) {
                    node.log().info(stats.report((end - window) / 1e9));
                    window = end;
                }
                next += step;
                long sleep = next - System.nanoTime() - 200_000;   // park, then spin the last 200 µs: parking wakes late
                if (sleep > 0) java.util.concurrent.locks.LockSupport.parkNanos(sleep);
                while (System.nanoTime() < next) Thread.onSpinWait();
                if (System.nanoTime() - next > step) next = System.nanoTime();
            }
        }, "policy-timer");
        t.setDaemon(true);
        t.start();
    }

    /** Lockstep ticks whose model ran ahead on joint_states (see {@link Speculation}). */
    long speculatedTicks() {
        synchronized (lock) {
            return speculation == null ? 0 : speculation.hits();
        }
    }

    // --- the tick ---

    private void observe() {
        int arm = lastSent.length;
        layout.observe(positions, velocities, gripperJoint != null ? positions[arm] : 0, goal, obs, 0);
    }

    /**
     * The observation in {@code obs} → model → safe command → published. Holds the arm on anything
     * wrong and returns false then; true when the policy's (made safe) command went out. Caller holds the lock.
     */
    private boolean tick() {
        if (!enabled) {
            hold();
            return false;
        }
        int arm = lastSent.length;
        PolicySlot.Ticket t = slot.enter();
        if (t == null) {
            hold();
            return false;
        }
        double[] logStd;
        try {
            OnnxPolicy model = t.policy();
            if (chunks == null || chunks.length() != model.chunk()) {
                chunks = new ActionChunks(model.chunk(), action.length, ensemble, ensembleDecay);   // a new model's chunk length
                chunkBuffer = new double[model.chunk() * action.length];
            }
            if (chunks.needsQuery()) {
                if (speculation == null || !speculation.take(model, obs, chunkBuffer)) model.act(obs, chunkBuffer);
                chunks.put(chunkBuffer);
            }
            chunks.next(action);
            logStd = model.logStd();
        } catch (Exception e) {
            node.log().errorThrottled("model", 1.0, "policy_server: the model failed (" + e.getMessage() + "): holding");
            hold();
            return false;
        } finally {
            t.leave();
        }
        System.arraycopy(action, 0, mean, 0, action.length);
        if (stochastic) for (int j = 0; j < action.length; j++) action[j] += Math.exp(logStd[j]) * rng.nextGaussian();
        if (!CommandLimits.finite(action, action.length)) {
            node.log().errorThrottled("nan", 1.0, "policy_server: the model gave a non-finite action " + java.util.Arrays.toString(action)
                    + ": holding the last safe command");
            if (haveSent) send(lastSent, armMsg.data.length > 0 ? gripperMsg.data[0] : 0);
            else hold();
            return false;
        }
        System.arraycopy(action, 0, unclamped, 0, action.length);
        int clamped = limits.clamp(action);
        if (clamped >= 0) node.log().warnThrottled("limit", 1.0, "policy_server: target for " + limits.describe(clamped, unclamped[clamped]) + ": clamped");
        if (!haveSent) System.arraycopy(positions, 0, lastSent, 0, arm);
        int stepped = limits.limitStep(action, lastSent, maxStep);
        if (stepped >= 0) {
            node.log().warnThrottled("step", 1.0, "policy_server: target for " + limits.joint(stepped).name() + " moves more than "
                    + maxStep[stepped] + " rad in one tick: limited");
        }
        double g = gripperJoint != null ? gripperJoint.clampPosition(action[arm]) : 0;
        if (!lockstep && System.nanoTime() - readingAt > (long) (freshness.watchdogSeconds() * 1e9)) {
            hold();   // the reading aged past the watchdog while the model ran: its command must not leave
            return false;
        }
        send(action, g);
        if (gripperJoint != null) action[arm] = g;
        logProb = stochastic ? DiagonalGaussian.logProb(action, mean, 0, logStd, action.length) : Double.NaN;
        return true;
    }

    private void send(double[] armTargets, double gripper) {
        int arm = lastSent.length;
        for (int k = 0; k < arm; k++) armMsg.data[k] = armTargets[k];
        if (armTargets != lastSent) System.arraycopy(armTargets, 0, lastSent, 0, arm);
        haveSent = true;
        if (gripperJoint != null) {
            gripperMsg.data[0] = gripper;
            gripperCommand.publish(gripperMsg);
        }
        armCommand.publish(armMsg);
    }

    /** Holds the arm at its measured position (what a lockstep simulator also needs as its answer). */
    private void hold() {
        if (chunks != null) chunks.reset();   // a held arm does not resume a stale plan
        if (!haveJoints) return;
        int arm = lastSent.length;
        holdCommand.fill(positions, velocities, holdTargets);
        send(holdTargets, gripperJoint != null ? positions[arm] : 0);
    }

    private void holdNow() {
        synchronized (lock) {
            if (haveJoints) hold();
        }
    }
}
