package org.teachlearn.nodes.teleop;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.teachlearn.msgs.geometry_msgs.PoseStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.std_srvs.TriggerRequest;
import org.teachlearn.msgs.std_srvs.TriggerResponse;
import org.teachlearn.msgs.teach_learn.Reset;
import org.teachlearn.msgs.teach_learn.ResetRequest;
import org.teachlearn.msgs.teach_learn.ResetResponse;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.StopDemoRequest;
import org.teachlearn.msgs.teach_learn.StopDemoResponse;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.person.ControllerHand;
import org.teachlearn.robot.person.Lesson;
import org.teachlearn.robot.person.Supervisor;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.teleop.Rotation3;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.ServiceClient;

/**
 * vr_operator: a simulated person with a VR headset who teleoperates the arm through vr_teleop,
 * unattended (docs/nodes.md §16). It acts only through what a headset sends: {@code
 * vr/controller_pose} and {@code vr/joy} in vr_web's layout, at the headset's frame rate, each
 * frame delayed by the device's latency (drawn per demonstration) and stamped when it was
 * measured. The hand ({@link ControllerHand}) moves in minimum-jerk strokes with tremor; the person
 * grips the clutch, moves, checks where the tool got to and corrects; re-grips when a motion is
 * longer than an arm's comfortable reach (and now and then for no reason); squeezes the trigger to
 * close the gripper. Tracking drops out now and then (no poses, the zero pose, a jump); the person
 * notices the arm stopped ({@code teleop/active} false), lets go and grips again. For each
 * demonstration it resets the world, starts the recorder, performs the task's lesson
 * ({@link Lesson}) and ends it with the success or failure button (vr_teleop calls demo/stop).
 * With {@code ~mode:=supervise} it resets and records nothing: it watches each episode a policy
 * runs and, when the policy strays ({@link Supervisor}), grips the clutch after a reaction time,
 * brings the tool to the goal, holds it there a moment and lets go (human-gated DAgger). Its
 * clock is then the arm's ({@code joint_states} stamps: the simulator's time in lockstep), and it
 * sends a frame on every state as well as at {@code ~rate}.
 *
 * <pre>
 * params  ~mode (demonstrate | supervise), ~task (reach | pick_place; supervise: reach), ~demos (50), ~seed (0), ~record (true), ~end_buttons (true: A/B end the take through
 *         vr_teleop; false: call demo/stop), ~pause (0.5 s), ~rate (90 Hz), ~min_latency (0.02 s), ~max_latency (0.1 s),
 *         ~min_speed (0.15), ~max_speed (0.35) m/s, ~tremor (0.0005 m), ~dropout_rate (0.05 /s of gripping), ~regrip_rate (0.05 per
 *         long movement), ~reach (0.6 m of hand travel per grip), ~max_duration (1.2 s a stroke), ~scale (1: vr_teleop's), ~tracking_to_base (vr_teleop's),
 *         ~clutch_button (0), ~trigger_axis (0), ~success_button (1), ~failure_button (2), ~exit_when_done (true), ~debug (false:
 *         true logs where each stroke left the tool); supervise: ~episodes (0: until shut down), ~patience (0.5 s),
 *         ~progress (0.005 m), ~away (0.05 m), ~min_reaction (0.15 s), ~max_reaction (0.35 s), ~hold (0.2 s); the arm keys
 * sub     joint_states, task/state, teleop/active
 * pub     vr/controller_pose (geometry_msgs/PoseStamped, frame "vr_tracking"), vr/joy (sensor_msgs/Joy)
 * calls   sim/reset, demo/start (and demo/stop with ~end_buttons false); supervise: none
 * </pre>
 */
public final class VrOperator {

    private static final double EPISODE_WAIT = 5.0;    // s for sim/reset's first state
    private static final double ENGAGE_WAIT = 0.5;     // s for teleop/active after a press
    private static final double REACTION = 0.25;       // s for a person to notice the arm stopped
    private static final double GRIPPER_WAIT = 0.3;    // s watching the fingers after a squeeze (they move at 0.2 m/s)
    private static final double STILL_RADIUS = 0.002;  // m: the tool has stopped when it stays this near one place
    private static final double STILL_TIME = 0.15;     // s: for this long
    private static final double ACCEPT = 0.8;          // within this part of a movement's tolerance it is done
    private static final double[] HOME = {0.2, 1.1, -0.3};   // the hand at rest in WebXR's local-floor space
    private static final double[] REST_TURN = {0, 0, 0, 1};
    private static final int QUEUE = 64;               // frames in flight (100 ms at 120 Hz, with room)

    private final Node node;
    private final KinematicChain chain;
    private final JointStateMap joints;
    private final ControllerHand hand;
    private final SplittableRandom rng;
    private final Publisher<PoseStamped> poseOut;
    private final Publisher<Joy> joyOut;
    private final ServiceClient<ResetRequest, ResetResponse> reset;
    private final ServiceClient<TriggerRequest, TriggerResponse> start;
    private final ServiceClient<StopDemoRequest, StopDemoResponse> stop;
    private final int demos, clutchButton, triggerAxis, successButton, failureButton;
    private final long seed;
    private final double pause, frame, minLatency, maxLatency, dropoutRate, regripRate, reach, maxDuration, timeLimit, neutralYaw;
    private final boolean endButtons, exitWhenDone, pickPlace, debug;
    private final double[] goal;
    private final boolean supervise;
    private final int episodes;
    private final double minReaction, maxReaction, hold;
    private final Supervisor supervisor;
    private final Object ticks = new Object();   // notified on every joint_states (supervise: a frame per state)
    private long tickCount;
    private volatile long armNanos;               // the newest joint_states stamp: supervise's clock
    private long episodeStartNanos, startedEpisode = -1;

    private final Object lock = new Object();
    private final double[] q, dq, fk = new double[16];
    private boolean haveJoints, active;
    private long stateEpisode = -1, doneEpisode = -1;
    private boolean doneSuccess;

    // the device: frames measured now, sent `latency` later
    private final long[] queuedStamp = new long[QUEUE], queuedAt = new long[QUEUE];
    private final double[][] queuedPose = new double[QUEUE][7];
    private final int[] queuedKind = new int[QUEUE];
    private final boolean[] queuedClutch = new boolean[QUEUE], queuedSuccess = new boolean[QUEUE], queuedFailure = new boolean[QUEUE];
    private final double[] queuedTrigger = new double[QUEUE];
    private int head, size;
    private long seenTicks;
    private static final int POSE = 0, NO_POSE = 1, ZERO_POSE = 2, JUMP_POSE = 3;
    private final PoseStamped pose = new PoseStamped();
    private final Joy joy = new Joy();
    private final double[] sample = new double[7];
    private long latencyNanos;
    private boolean clutch, successHeld, failureHeld;
    private double trigger;
    private int dropoutKind;
    private long dropoutUntil;
    private long lostSince;

    // what a demonstration went through, for its log line
    private int regrips, losses, strokes, dropouts;
    private boolean sentOnce, sentPose;
    private Supervisor.Stray stray = Supervisor.Stray.NONE;

    public VrOperator(Node node) throws IOException {
        this.node = node;
        var p = node.params();
        ArmDescription description = ArmDescription.read(node, false);
        chain = description.layout().chain(description.model());
        joints = new JointStateMap(chain.jointNames());
        q = new double[chain.dof()];
        dq = new double[chain.dof()];
        seed = p.getInt("~seed", 0);
        double[] toBase = new double[9];
        double[] tb = ParametersOfTeleop.trackingToBase(p).rotation();
        System.arraycopy(tb, 0, toBase, 0, 9);
        hand = new ControllerHand(HOME, toBase, p.getDouble("~scale", 1.0), p.getDouble("~min_speed", 0.15), p.getDouble("~max_speed", 0.35),
                p.getDouble("~tremor", 0.0005), seed);
        rng = hand.random();
        demos = p.getInt("~demos", 50);
        pause = p.getDouble("~pause", 0.5);
        frame = 1.0 / p.getDouble("~rate", 90.0);
        minLatency = p.getDouble("~min_latency", 0.02);
        maxLatency = p.getDouble("~max_latency", 0.1);
        if (!(minLatency >= 0 && maxLatency >= minLatency && maxLatency < QUEUE * frame)) {
            throw new IllegalArgumentException("~min_latency and ~max_latency need 0 <= min <= max < " + QUEUE * frame + " s, got "
                    + minLatency + ", " + maxLatency);
        }
        dropoutRate = p.getDouble("~dropout_rate", 0.05);
        regripRate = p.getDouble("~regrip_rate", 0.05);
        reach = p.getDouble("~reach", 0.6);
        maxDuration = p.getDouble("~max_duration", 1.2);
        endButtons = p.getBool("~end_buttons", true);
        exitWhenDone = p.getBool("~exit_when_done", true);
        debug = p.getBool("~debug", false);
        node.log().setDebug(debug);
        String mode = p.getString("~mode", "demonstrate");
        if (!mode.equals("demonstrate") && !mode.equals("supervise")) {
            throw new IllegalArgumentException("~mode must be demonstrate (reset, record, show the task) or supervise (watch a policy, take over"
                    + " where it strays), got '" + mode + "'");
        }
        supervise = mode.equals("supervise");
        episodes = p.getInt("~episodes", 0);
        minReaction = p.getDouble("~min_reaction", 0.15);
        maxReaction = p.getDouble("~max_reaction", 0.35);
        hold = p.getDouble("~hold", 0.2);
        if (!(minReaction >= 0 && maxReaction >= minReaction && hold >= 0 && Double.isFinite(maxReaction + hold))) {
            throw new IllegalArgumentException("~min_reaction, ~max_reaction and ~hold need 0 <= min <= max and hold >= 0 (s), got " + minReaction
                    + ", " + maxReaction + ", " + hold);
        }
        Supervisor.Rules reachRules = Supervisor.Rules.reach();
        supervisor = new Supervisor(new Supervisor.Rules(p.getDouble("~patience", reachRules.patience()), p.getDouble("~progress",
                reachRules.progress()), p.getDouble("~away", reachRules.away()), reachRules.tolerance(), reachRules.speed(), reachRules.reserve()));
        boolean record = !supervise && p.getBool("~record", true);
        ParametersOfTeleop.JoyLayout layout = ParametersOfTeleop.joy(p);
        clutchButton = layout.clutch();
        triggerAxis = layout.trigger();
        successButton = layout.success();
        failureButton = layout.failure();
        joy.buttons = new int[Math.max(6, Math.max(clutchButton, Math.max(successButton, failureButton)) + 1)];
        joy.axes = new float[Math.max(6, triggerAxis + 1)];
        Task task = Task.named(p.getString("~task", "reach"));
        pickPlace = task.name().equals("pick_place");
        if (supervise && !task.name().equals("reach")) {
            throw new IllegalArgumentException("~mode supervise watches reach only (the tool's way to one goal point); ~task is " + task.name());
        }
        goal = new double[task.goalSize()];
        timeLimit = task.timeLimit();
        double[] rest = new double[16];
        chain.forward(description.layout().restPose(), rest);
        neutralYaw = Math.atan2(rest[4], rest[0]);
        pose.header.frame_id = "vr_tracking";
        poseOut = node.advertise("vr/controller_pose", PoseStamped.TYPE);
        joyOut = node.advertise("vr/joy", Joy.TYPE);
        reset = supervise ? null : node.serviceClient("sim/reset", Reset.TYPE, true);
        start = record ? node.serviceClient("demo/start", Trigger.TYPE, false) : null;
        stop = record && !endButtons ? node.serviceClient("demo/stop", StopDemo.TYPE, false) : null;
        node.subscribe("joint_states", JointState.TYPE, 1, this::onJoints);
        node.subscribe("task/state", TaskState.TYPE, 10, this::onState);
        node.subscribe("teleop/active", Bool.TYPE, 10, m -> {
            synchronized (lock) {
                active = m.data;
            }
        });
    }

    public static void main(String[] argv) throws Exception {
        NodeProgram.main("vr_operator", argv, VrOperator::run);
    }

    public static void run(Node node) throws Exception {
        VrOperator operator = new VrOperator(node);
        if (operator.supervise) operator.supervise();
        else operator.operate();
        if (!operator.exitWhenDone) node.spin();
    }

    /** Gives the demonstrations one after the other; logs each and a summary. Returns how many succeeded. */
    public int operate() throws Exception {
        waitFor(reset);
        if (start != null) waitFor(start);
        if (stop != null) waitFor(stop);
        long t0 = System.nanoTime();
        int successes = 0;
        for (int d = 0; d < demos && !node.isShutdown(); d++) {
            if (demonstrate(d)) successes++;
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        node.log().info(String.format(java.util.Locale.ROOT, "vr_operator: %d of %d demonstrations succeeded (%.1f demonstrations per minute)",
                successes, demos, demos / minutes));
        return successes;
    }

    /**
     * Watches the policy's episodes one after the other (all of them, or {@code ~episodes}), taking
     * over where it strays; logs each intervention and each episode, and a summary. Returns the
     * number of interventions.
     */
    public int supervise() throws Exception {
        long t0 = System.nanoTime();
        int watched = 0, interventions = 0, alone = 0, helped = 0;
        long last = -1;
        while (!node.isShutdown() && (episodes == 0 || watched < episodes)) {
            long[] next = {-1};
            long seen = last;
            // the start of an episode (its step 0): its clock starts there
            run(3600, () -> {
                synchronized (lock) {
                    if (startedEpisode != seen && startedEpisode == stateEpisode && haveJoints && doneEpisode != startedEpisode) next[0] = startedEpisode;
                }
                return next[0] >= 0;
            });
            if (next[0] < 0) break;
            long episode = last = next[0];
            int taken = watchEpisode(episode);
            watched++;
            interventions += taken;
            boolean success;
            synchronized (lock) {
                success = doneEpisode == episode && doneSuccess;
            }
            if (success && taken == 0) alone++;
            else if (success) helped++;
            node.log().info(String.format(java.util.Locale.ROOT, "vr_operator: episode %d %s, %d intervention(s)", episode,
                    success ? (taken == 0 ? "succeeded on the policy's own" : "succeeded with help") : doneOf(episode) ? "failed" : "was left",
                    taken));
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        node.log().info(String.format(java.util.Locale.ROOT, "vr_operator: supervised %d episodes in %.1f min: %d interventions (%.2f per episode);"
                + " %d succeeded on the policy's own, %d with help", watched, minutes, interventions, watched == 0 ? 0.0 : (double) interventions / watched,
                alone, helped));
        return interventions;
    }

    /** One episode of the policy's, watched to its end; returns how many times the person took over. */
    private int watchEpisode(long episode) throws Exception {
        double[] tool = new double[3], rot = new double[9], target = new double[3];
        long start;
        synchronized (lock) {
            start = episodeStartNanos;
        }
        long deadline = start + (long) (timeLimit * 1e9);
        toolPose(tool, rot);
        supervisor.watch(now(), distanceToGoal(tool, target));
        int taken = 0;
        while (!doneOf(episode) && !node.isShutdown()) {
            stray = Supervisor.Stray.NONE;
            run(3600, () -> {
                if (doneOf(episode) || episodeOver(episode)) return true;
                toolPose(tool, rot);
                stray = supervisor.observe(now(), distanceToGoal(tool, target), (deadline - clock()) * 1e-9);
                return stray != Supervisor.Stray.NONE;
            });
            if (stray == Supervisor.Stray.NONE) break;   // the episode ended (or a new one began unseen)
            Supervisor.Stray why = stray;
            double noticed = now(), off = supervisor.distance(), stuck = supervisor.stuckFor(noticed);
            supervisor.stop();
            double reaction = minReaction + (maxReaction - minReaction) * rng.nextDouble();
            run(5, () -> doneOf(episode) || now() - noticed >= reaction);
            if (doneOf(episode)) break;
            double tookOver = now();
            latencyNanos = (long) ((minLatency + (maxLatency - minLatency) * rng.nextDouble()) * 1e9);
            taken++;
            regrips = losses = strokes = dropouts = 0;
            synchronized (lock) {
                System.arraycopy(goal, 0, target, 0, 3);
            }
            boolean there = perform(Lesson.reach(target).get(0), episode, deadline);
            double heldFrom = now();
            if (there && hold > 0) run(5, () -> doneOf(episode) || now() - heldFrom >= hold);
            toolPose(tool, rot);
            double left = distanceToGoal(tool, target);   // (after the episode's end: the next one's start, not logged)
            boolean ended = doneOf(episode) || episodeOver(episode);
            clutch = false;
            run(0.1, () -> false);
            node.log().info(String.format(java.util.Locale.ROOT, "vr_operator: episode %d: took over %.2f s in (%s: %.2f s without progress,"
                    + " %.3f m from the goal), reaction %.2f s, for %.2f s (%d strokes, %d re-grips, %d dropouts); %s",
                    episode, (noticed - start * 1e-9), why, stuck, off, reaction, now() - tookOver, strokes, regrips, dropouts,
                    ended ? "the episode ended" : String.format(java.util.Locale.ROOT, "handed back %.3f m from the goal", left)));
            // the hand, released, goes back toward where it rests while the policy drives again
            double[] back = new double[3];
            hand.position(back);
            for (int a = 0; a < 3; a++) back[a] = HOME[a] - back[a];
            hand.stroke(now(), back, REST_TURN, 0.25, 0.4);
            supervisor.watch(now(), left);
        }
        supervisor.stop();
        return taken;
    }

    /** A later episode has begun (its end was not seen). */
    private boolean episodeOver(long episode) {
        synchronized (lock) {
            return stateEpisode != episode;
        }
    }

    /** The tool's distance to the goal as task/state gives it now ({@code goal} copied into {@code scratch}). */
    private double distanceToGoal(double[] tool, double[] scratch) {
        synchronized (lock) {
            System.arraycopy(goal, 0, scratch, 0, 3);
        }
        return distance(tool, scratch);
    }

    private boolean demonstrate(int d) throws Exception {
        trigger = 0;   // the fingers let go of the trigger: a demonstration starts with the gripper open
        // between demonstrations, clutch released, the hand comes back to where it rests (else it wanders off over many)
        double[] back = new double[3];
        hand.position(back);
        for (int a = 0; a < 3; a++) back[a] = HOME[a] - back[a];
        hand.stroke(now(), back, REST_TURN, 0.25, 0.4);
        run(0.5, () -> hand.still(now()));
        ResetRequest rq = reset.newRequest();
        rq.seed = seed + d;
        ResetResponse rs = reset.call(rq);
        if (!rs.ok) throw new IllegalStateException("sim/reset refused seed " + rq.seed + ": " + rs.message);
        if (!awaitFirstState(rs.episode)) {
            throw new IllegalStateException("no task/state of episode " + rs.episode + " within " + EPISODE_WAIT + " s of sim/reset");
        }
        long deadline = clock() + (long) (timeLimit * 1e9);   // the episode's clock runs from the reset
        latencyNanos = (long) ((minLatency + (maxLatency - minLatency) * rng.nextDouble()) * 1e9);
        regrips = losses = strokes = dropouts = 0;
        if (start != null) startRecording();
        List<Lesson.Move> moves;
        synchronized (lock) {
            moves = pickPlace ? Lesson.pickPlace(goal, neutralYaw) : Lesson.reach(goal);
        }
        for (Lesson.Move move : moves) {
            if (!perform(move, rs.episode, deadline)) break;
            if (move.then() != Lesson.Gripper.NONE) squeeze(move.then() == Lesson.Gripper.CLOSE);
        }
        long episode = rs.episode;
        run(Math.max(0.5, (deadline - clock()) * 1e-9), () -> doneOf(episode));
        boolean done = doneOf(episode);
        boolean success;
        synchronized (lock) {
            success = done && doneSuccess;
        }
        clutch = false;
        run(0.1, () -> false);
        String verdict = String.format(java.util.Locale.ROOT, "vr_operator demo %d (seed %d): %s; %d strokes, %d re-grips, %d tracking dropouts,"
                + " %d times the arm stopped, device latency %.0f ms", d, rq.seed, success ? "succeeded" : done ? "failed" : "timed out", strokes,
                regrips, dropouts, losses, latencyNanos / 1e6);
        if (endButtons) {
            // the success (A) or failure (B) button: vr_teleop calls demo/stop
            if (success) successHeld = true;
            else failureHeld = true;
            run(0.15, () -> false);
            successHeld = failureHeld = false;
            run(0.15, () -> false);
            node.log().info(verdict);
        } else if (stop != null) {
            StopDemoRequest sq = stop.newRequest();
            sq.success = success;
            sq.notes = verdict;
            StopDemoResponse stopped = stop.call(sq);
            node.log().info(verdict + (stopped.ok ? " -> " + stopped.path : ": demo/stop failed: " + stopped.message));
        } else {
            node.log().info(verdict);
        }
        run(pause, () -> false);
        return success;
    }

    /** demo/start; while the last take is still being completed (vr_teleop's demo/stop in flight), tries again for a while. */
    private void startRecording() throws Exception {
        long until = System.nanoTime() + 3_000_000_000L;
        while (true) {
            TriggerResponse started = start.call(start.newRequest());
            if (started.success) return;
            if (System.nanoTime() > until) throw new IllegalStateException("demo/start refused: " + started.message);
            run(0.1, () -> false);
        }
    }

    /**
     * One movement of the lesson: grip, stroke toward the target, look, correct; re-grip when the
     * motion is longer than a comfortable reach or tracking was lost. False when the episode ended
     * or time ran out.
     */
    private boolean perform(Lesson.Move move, long episode, long deadline) throws Exception {
        double[] tool = new double[3], toolRot = new double[9], delta = new double[3], turn = new double[4];
        for (int attempt = 0; attempt < 12; attempt++) {
            if (doneOf(episode) || episodeOver(episode) || clock() > deadline || node.isShutdown()) return false;
            if (!grip(deadline)) continue;
            toolPose(tool, toolRot);
            double remaining = distance(tool, move.point());
            boolean turned = move.rotation() == null || angle(toolRot, move.rotation()) < 0.05;
            if (debug) {
                node.log().debug(String.format(java.util.Locale.ROOT, "vr_operator: move to %s: %.3f m off, turned by %.3f rad", java.util.Arrays.toString(move.point()),
                        remaining, move.rotation() == null ? 0 : angle(toolRot, move.rotation())));
            }
            if (remaining < ACCEPT * move.tolerance() && turned) return true;
            hand.motionFor(tool, move.point(), delta);
            double length = Math.sqrt(delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2]);
            boolean regrip = false;
            if (length > reach) {   // further than the arm goes comfortably: part of the way, then re-grip
                for (int a = 0; a < 3; a++) delta[a] *= reach / length;
                regrip = true;
            } else if (remaining > 0.15 && rng.nextDouble() < regripRate) {   // people re-grip for no reason now and then
                for (int a = 0; a < 3; a++) delta[a] *= 0.5;
                regrip = true;
            }
            if (move.rotation() != null) hand.turnFor(toolRot, move.rotation(), turn);
            double t = now();
            hand.stroke(t, delta, move.rotation() != null ? turn : null, remaining < 0.03 ? 0.25 : 0.4, maxDuration);
            strokes++;
            boolean stopped = !run(60, () -> hand.still(now()) || lost() || doneOf(episode));
            if (lost()) {
                losses++;
                run(REACTION, () -> false);   // the person notices the arm stopped and lets go
                clutch = false;
                run(0.15, () -> false);
                continue;
            }
            if (stopped || doneOf(episode)) continue;
            settle(episode);   // the person watches the arm catch up before judging where it got to
            if (regrip) {
                regrips++;
                clutch = false;
                run(0.1, () -> false);
                double[] back = new double[3];   // the hand goes back toward where it rests
                hand.position(back);
                for (int a = 0; a < 3; a++) back[a] = 0.6 * (HOME[a] - back[a]);
                hand.stroke(now(), back, null, 0.25, 0.4);   // unloaded, quick
                run(1, () -> hand.still(now()));
            }
        }
        return true;
    }

    /**
     * Runs frames until the tool has stayed within {@link #STILL_RADIUS} of one place for {@link
     * #STILL_TIME} (at most 1 s): a person judges a stop over a glance, not a frame. Three quiet
     * frames caught the arm at the turning point of its overshoot, 3–10 mm from where it came to
     * rest, and every correction from there overshot the other way. The radius is above the
     * hand's tremor (0.5 mm each way), which the tool shows.
     */
    private void settle(long episode) throws InterruptedException {
        double[] still = new double[3], now = new double[3], rot = new double[9];
        double[] since = {now()};
        toolPose(still, rot);
        run(1.0, () -> {
            toolPose(now, rot);
            if (distance(now, still) > STILL_RADIUS) {
                System.arraycopy(now, 0, still, 0, 3);
                since[0] = now();
            }
            return now() - since[0] >= STILL_TIME || lost() || doneOf(episode);
        });
    }

    /** Holds the clutch and waits for vr_teleop to engage; false (clutch let go) when it does not. */
    private boolean grip(long deadline) throws Exception {
        synchronized (lock) {
            if (clutch && active) return true;
        }
        clutch = true;
        boolean engaged = run(ENGAGE_WAIT, () -> {
            synchronized (lock) {
                return active;
            }
        });
        if (!engaged) {
            clutch = false;
            run(0.2, () -> false);
        }
        return engaged;
    }

    /** Squeezes (or lets go of) the trigger over 0.3 s, then waits for the fingers. */
    private void squeeze(boolean close) throws Exception {
        double t0 = now();
        run(0.3, () -> {
            double k = Math.min(1, (now() - t0) / 0.3);
            trigger = close ? k : 1 - k;
            return false;
        });
        trigger = close ? 1 : 0;
        run(GRIPPER_WAIT, () -> false);
    }

    /** Tracking was lost: the clutch is held, the arm does not answer (teleop/active false) for longer than a reaction. */
    private boolean lost() {
        synchronized (lock) {
            if (!clutch || active) {
                lostSince = 0;
                return false;
            }
        }
        long n = System.nanoTime();
        if (lostSince == 0) lostSince = n;
        return n - lostSince > (long) (0.05e9);
    }

    // --- the device ---

    /** Runs headset frames for up to {@code seconds} or until {@code until} holds; true when it did. */
    private boolean run(double seconds, java.util.function.BooleanSupplier until) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9), period = (long) (frame * 1e9);
        long next = System.nanoTime();
        while (!node.isShutdown()) {
            measureAndSend();
            if (until.getAsBoolean()) return true;
            if (System.nanoTime() >= end) return false;
            next += period;
            long sleep = next - System.nanoTime();
            if (supervise) {
                // a frame on every state of the arm as well: in lockstep the simulator may run faster than the headset's rate
                synchronized (ticks) {
                    if (tickCount == seenTicks && sleep > 0) ticks.wait(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    seenTicks = tickCount;
                }
                if (next < System.nanoTime()) next = System.nanoTime();
            } else if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } else {
                next = System.nanoTime();
            }
        }
        return false;
    }

    /** One frame: the hand measured now (with any dropout) into the device's queue; the frames whose latency is over go out. */
    private void measureAndSend() {
        long wall = clock();
        if (clutch && dropoutUntil < wall && rng.nextDouble() < dropoutRate * frame) {
            dropoutKind = 1 + rng.nextInt(3);
            dropoutUntil = wall + (long) ((0.15 + 0.25 * rng.nextDouble()) * 1e9);
            dropouts++;
        }
        int kind = dropoutUntil >= wall ? dropoutKind : POSE;
        if (kind == JUMP_POSE) dropoutUntil = 0;   // a glitch lasts one frame
        hand.sample(now(), sample);
        if (size == QUEUE) { head = (head + 1) % QUEUE; size--; }
        int i = (head + size) % QUEUE;
        queuedStamp[i] = node.nowNanos();
        queuedAt[i] = wall;
        System.arraycopy(sample, 0, queuedPose[i], 0, 7);
        if (kind == JUMP_POSE) queuedPose[i][1] += 0.4;
        queuedKind[i] = kind;
        queuedClutch[i] = clutch;
        queuedTrigger[i] = trigger;
        queuedSuccess[i] = successHeld;
        queuedFailure[i] = failureHeld;
        size++;
        boolean sent = false;
        while (size > 0 && wall - queuedAt[head] >= latencyNanos) {
            send(head);
            head = (head + 1) % QUEUE;
            size--;
            sent = true;
        }
        if (supervise && !sent && sentOnce) {
            // the arm's clock stood still (lockstep: the simulator waits): so did the hand; the headset still sends its frames
            if (sentPose) poseOut.publish(pose);
            joyOut.publish(joy);
        }
    }

    private void send(int i) {
        if (queuedKind[i] != NO_POSE) {
            double[] p = queuedPose[i];
            boolean zero = queuedKind[i] == ZERO_POSE;
            pose.header.stamp.setNanos(queuedStamp[i]);
            pose.pose.position.x = zero ? 0 : p[0];
            pose.pose.position.y = zero ? 0 : p[1];
            pose.pose.position.z = zero ? 0 : p[2];
            pose.pose.orientation.x = zero ? 0 : p[3];
            pose.pose.orientation.y = zero ? 0 : p[4];
            pose.pose.orientation.z = zero ? 0 : p[5];
            pose.pose.orientation.w = zero ? 1 : p[6];
            poseOut.publish(pose);
        }
        sentOnce = true;
        sentPose = queuedKind[i] != NO_POSE;
        java.util.Arrays.fill(joy.buttons, 0);
        joy.buttons[clutchButton] = queuedClutch[i] ? 1 : 0;
        if (successButton >= 0) joy.buttons[successButton] = queuedSuccess[i] ? 1 : 0;
        if (failureButton >= 0) joy.buttons[failureButton] = queuedFailure[i] ? 1 : 0;
        if (triggerAxis >= 0) joy.axes[triggerAxis] = (float) queuedTrigger[i];
        joy.header.stamp.setNanos(queuedStamp[i]);
        joyOut.publish(joy);
    }

    // --- what the person sees ---

    private double now() {
        return clock() * 1e-9;
    }

    /** The person's clock, ns: the wall clock, or (supervise) the arm's, which in lockstep is the simulator's. */
    private long clock() {
        return supervise ? armNanos : System.nanoTime();
    }

    private void toolPose(double[] p, double[] r) {
        synchronized (lock) {
            chain.forward(q, fk);
        }
        p[0] = fk[3];
        p[1] = fk[7];
        p[2] = fk[11];
        Rotation3.ofTransform(fk, r);
    }

    private static double distance(double[] a, double[] b) {
        double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** The angle between two rotations (rad). */
    private static double angle(double[] a, double[] b) {
        double tr = 0;
        for (int i = 0; i < 9; i++) tr += a[i] * b[i];   // trace(aᵀ b)
        return Math.acos(Math.max(-1, Math.min(1, (tr - 1) / 2)));
    }

    private boolean doneOf(long episode) {
        synchronized (lock) {
            return doneEpisode == episode;
        }
    }

    private boolean awaitFirstState(long episode) throws InterruptedException {
        return run(EPISODE_WAIT, () -> {
            synchronized (lock) {
                return stateEpisode == episode && haveJoints;
            }
        });
    }

    private void onState(TaskState m) {
        synchronized (lock) {
            if (m.step == 0 && m.episode != startedEpisode) {
                startedEpisode = m.episode;
                episodeStartNanos = m.header.stamp.toNanos();
            }
            stateEpisode = m.episode;
            if (m.goal.length == goal.length) System.arraycopy(m.goal, 0, goal, 0, goal.length);
            if (m.done) {
                doneEpisode = m.episode;   // latched: the next episode's first state may come first
                doneSuccess = m.success;
            }
        }
    }

    private void onJoints(JointState m) {
        synchronized (lock) {
            if (!joints.read(m, q, dq)) {
                node.log().errorThrottled("joints", 2.0, "vr_operator: " + joints.missing());
                return;
            }
            haveJoints = true;
            long stamp = m.header.stamp.toNanos();
            if (stamp > armNanos) armNanos = stamp;
        }
        synchronized (ticks) {
            tickCount++;
            ticks.notifyAll();
        }
    }

    private void waitFor(ServiceClient<?, ?> client) throws InterruptedException {
        while (!client.waitForService(2000)) {
            if (node.isShutdown()) return;
            node.log().info("vr_operator: waiting for " + client.name());
        }
    }
}
