package org.teachlearn.nodes.sim;

import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.nodes.observe.AnswerDeadline;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.TrajectoryFollower;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Subscriber;

/**
 * What arrives for sim_arm between two steps: arm and gripper commands (checked, and clamped to
 * the URDF limits, on the subscriber threads), external wrenches and reset requests. The stepping
 * code takes them at a step boundary, under sim_arm's step lock, so ODE is touched by one thread
 * at a time: the loop thread in real time; in lockstep the thread that brought the arm command or
 * the reset request, through {@link #onAnswer}.
 */
final class CommandInbox {

    enum Take { NEW_COMMAND, HOLD, KEEP }

    private final Node node;
    private final Simulation sim;
    private final String controller;
    private final ControlMode mode;
    private final CommandLimits limits;
    private final double[] unclamped;
    private final double gripperMin, gripperMax;   // the gripper joint's limits: its controller commands positions
    private final Object lock = new Object();
    private final double[] arm;
    private boolean armFresh;
    private boolean holdPending;
    private long armCount;
    private long armCountAtPublish;
    private double gripper = Double.NaN;
    private long gripperCount;
    private long gripperCountAtPublish;
    private Subscriber<?> gripperCommands;   // lockstep: while it has publishers a state waits for its gripper command too
    private AnswerDeadline gripperWait;   // lockstep: the arm answered, the gripper not yet
    private final double[] wrench = new double[6];
    private String wrenchLink;        // a wrench to apply at the next step boundary, on this link
    private boolean clearWrenches;    // a bad wrench came: zero every held one at the next step boundary
    private final double maxForce, maxTorque;
    private final double[] maxStep;   // position mode: URDF velocity × control period, as joint_limits_interface saturates
    private final double[] desired;   // position mode: the last command (chain order, clamped), which the target ramps toward
    private boolean ramping;          // the target has not reached `desired` yet
    private boolean resetRequested;
    private long resetSeed;
    private int resetEpisode = -1;
    private volatile Runnable onAnswer;
    // A JointTrajectoryController arm (followTrajectories): goals are spliced into `follower` as they
    // come, under the lock, and each step samples it. Null for a JointGroup controller.
    private TrajectoryCommand trajectory;
    private TrajectoryFollower follower;
    private java.util.function.LongSupplier clock;
    private long periodNanos;
    private double[] measured;
    private boolean settled = true;   // the trajectory's end is reached and commanded: steps keep the targets
    private boolean goalSinceHold;    // a goal came after the refusal that made the arm hold

    /**
     * @param maxForce  largest force a {@code sim/wrench} may carry (N); a bigger one is refused and zeroes the held wrench
     * @param maxTorque likewise for its torque (N m)
     */
    CommandInbox(Node node, Simulation sim, String controller, int dof, double controlPeriod, double maxForce, double maxTorque) {
        this.node = node;
        this.sim = sim;
        this.controller = controller;
        this.mode = sim.arm().mode();
        this.arm = new double[dof];
        java.util.List<Joint> chainJoints = new java.util.ArrayList<>();
        for (int i = 0; i < dof; i++) chainJoints.add(sim.chain().joint(i));
        limits = new CommandLimits(chainJoints, mode);
        unclamped = new double[dof];
        this.maxForce = maxForce;
        this.maxTorque = maxTorque;
        maxStep = new double[dof];
        desired = new double[dof];
        for (int i = 0; i < dof; i++) maxStep[i] = chainJoints.get(i).velocity() * controlPeriod;
        String g = sim.layout().gripperJoint();
        gripperMin = g == null ? 0 : sim.world().joint(sim.world().jointIndex(g)).lower();
        gripperMax = g == null ? 0 : sim.world().joint(sim.world().jointIndex(g)).upper();
        periodNanos = Math.round(controlPeriod * 1e9);
    }

    /** Most points one trajectory goal may carry (a longer one is refused: send it in parts). */
    static final int MAX_TRAJECTORY_POINTS = 10_000;

    /**
     * Makes the arm a JointTrajectoryController: commands come through {@link #onTrajectory}.
     * {@code clock} is the time states are stamped with (ns): a goal stamped 0 starts at it, and a
     * step samples the trajectory at it plus one control period.
     */
    void followTrajectories(String[] controllerJoints, String[] chainJoints, java.util.function.LongSupplier clock) {
        trajectory = new TrajectoryCommand(controller + "/command", controllerJoints, chainJoints);
        follower = new TrajectoryFollower(chainJoints.length, MAX_TRAJECTORY_POINTS);
        measured = new double[chainJoints.length];
        this.clock = clock;
    }

    // --- subscriber threads ---

    /** An arm command in the controller's joint order; {@code order} maps chain joints into it. */
    void onArm(Float64MultiArray m) {
        String problem = null;
        if (m.data.length != arm.length) {
            problem = controller + "/command has " + m.data.length + " values; the arm has " + arm.length + " joints";
        } else if (!CommandLimits.finite(m.data, arm.length)) {
            problem = controller + "/command " + java.util.Arrays.toString(m.data) + " is not finite";
        }
        synchronized (lock) {
            armCount++;
            if (problem != null) {
                holdPending = true;
                armFresh = false;
            } else {
                System.arraycopy(m.data, 0, arm, 0, arm.length);
                armFresh = true;
            }
        }
        if (problem != null) node.log().errorThrottled("arm-command", 1.0, problem + ": refused, the arm holds");
        Runnable answer = onAnswer;
        if (answer != null) answer.run();
    }

    /**
     * A goal for a JointTrajectoryController arm ({@link #followTrajectories}). A usable one replaces
     * the rest of the trajectory from its start (stamp 0: now); one every point of which lies in the
     * past is refused and the trajectory goes on; an empty one stops the arm, and a malformed one is
     * refused and stops it too. Each answers a lockstep state, as {@link #onArm} does.
     */
    void onTrajectory(JointTrajectory m) {
        String problem = trajectory.read(m);
        long now = clock.getAsLong();
        long start = m.header.stamp.secs == 0 && m.header.stamp.nsecs == 0 ? now : m.header.stamp.toNanos();
        TrajectoryFollower.Splice splice = null;
        synchronized (lock) {
            armCount++;
            if (problem == null) splice = follower.replace(trajectory, start, now);
            if (splice == TrajectoryFollower.Splice.ACCEPTED) {
                settled = false;
                goalSinceHold = true;
            } else if (splice != TrajectoryFollower.Splice.ALL_IN_PAST) {
                follower.stopAt(now);
                holdPending = true;
                goalSinceHold = false;
            }
        }
        if (splice != TrajectoryFollower.Splice.ACCEPTED) refused(m, problem, splice, start, now);
        Runnable answer = onAnswer;
        if (answer != null) answer.run();
    }

    /** Logs why a trajectory goal was not taken (throttled; the text is built only when it goes out). */
    private void refused(JointTrajectory m, String problem, TrajectoryFollower.Splice splice, long start, long now) {
        var log = node.log();
        if (splice == TrajectoryFollower.Splice.EMPTY) {
            if (log.due("arm-trajectory-stop", 1.0)) log.info(controller + "/command: an empty trajectory: the arm stops where it is");
        } else if (splice == TrajectoryFollower.Splice.ALL_IN_PAST) {
            if (log.due("arm-trajectory-late", 1.0)) {
                var last = m.points[m.points.length - 1];
                log.warn(controller + "/command: every point of the goal lies at or before now (its last point "
                        + (now - start - last.time_from_start.toNanos()) / 1e9 + " s ago, header.stamp "
                        + m.header.stamp.toSeconds() + "): refused, the current trajectory goes on (stamp 0 means now)");
            }
        } else if (log.due("arm-command", 1.0)) {
            String why = problem != null ? problem
                    : splice == TrajectoryFollower.Splice.NOT_INCREASING ? "has points whose time_from_start does not strictly increase"
                    : "has " + m.points.length + " points, more than the " + follower.maxPoints() + " one goal may carry";
            log.error(trajectory.refusal(why));
        }
    }

    /**
     * Lockstep: a state is answered by the arm command and, while {@code gripper} has publishers, the
     * gripper command too (for at most {@link #GRIPPER_WAIT_NANOS} after the arm's). The two come on
     * two connections read by two threads; stepping on the arm's alone would sometimes integrate
     * the step with the previous gripper command and a seeded run would not replay.
     */
    void pairGripper(Subscriber<?> gripper) {
        gripperCommands = gripper;
        gripperWait = new AnswerDeadline("gripper-wait", GRIPPER_WAIT_NANOS, () -> {
            Runnable answer = onAnswer;
            if (answer != null) answer.run();
        });
        node.onShutdown(gripperWait::close);
    }

    /** How long a lockstep state waits for a gripper command after its arm command: a driver that never sends one still steps. */
    static final long GRIPPER_WAIT_NANOS = 100_000_000L;

    /** Lockstep: what steps the simulation, run on the thread of each arm or gripper command and reset request. */
    void onAnswer(Runnable answer) {
        onAnswer = answer;
    }

    String controller() {
        return controller;
    }

    void onGripper(Float64MultiArray m) {
        if (m.data.length != 1 || !CommandLimits.finite(m.data, 1)) {
            node.log().errorThrottled("gripper-command", 1.0, "gripper command must be one finite position of the gripper joint, got "
                    + java.util.Arrays.toString(m.data) + ": refused");
            return;
        }
        double v = m.data[0];
        if (v < gripperMin || v > gripperMax) {
            node.log().warnThrottled("gripper-limit", 1.0, "gripper position " + v + " clamped to its limits [" + gripperMin + ", " + gripperMax + "]");
            v = Math.max(gripperMin, Math.min(gripperMax, v));
        }
        synchronized (lock) {
            gripper = v;
            gripperCount++;
        }
        Runnable answer = onAnswer;
        if (answer != null) answer.run();   // the arm may have answered first
    }

    /**
     * The gripper action's target, already checked by {@link GripperCommandServer}: taken at the next
     * step like a command, but never waited for in lockstep.
     */
    void setGripperTarget(double opening) {
        synchronized (lock) {
            gripper = opening;
        }
    }

    /**
     * A person's hand (or a test's push): held until replaced. An invalid one — unknown link, a NaN
     * or infinite value, beyond the force or torque cap — is refused, and the held wrench is zeroed:
     * whoever sent it has lost track, and keeping their last push would be a guess.
     */
    void onWrench(WrenchStamped m) {
        String link = m.header.frame_id;
        var f = m.wrench.force;
        var t = m.wrench.torque;
        double force = Math.sqrt(f.x * f.x + f.y * f.y + f.z * f.z), torque = Math.sqrt(t.x * t.x + t.y * t.y + t.z * t.z);
        String problem = !sim.world().hasLink(link) ? "names link '" + link + "' (header.frame_id), which is not in the URDF"
                : !sim.world().isMovable(link) ? "names link '" + link + "', which is fixed to the world"
                : !Double.isFinite(force) || !Double.isFinite(torque) ? "is not finite"
                : force > maxForce ? "has a force of " + force + " N, over ~max_wrench_force " + maxForce + " N"
                : torque > maxTorque ? "has a torque of " + torque + " N m, over ~max_wrench_torque " + maxTorque + " N m" : null;
        synchronized (lock) {
            if (problem != null) {
                clearWrenches = true;
                wrenchLink = null;
            } else {
                wrenchLink = link;
                wrench[0] = f.x;
                wrench[1] = f.y;
                wrench[2] = f.z;
                wrench[3] = t.x;
                wrench[4] = t.y;
                wrench[5] = t.z;
            }
        }
        if (problem != null) {
            node.log().errorThrottled("wrench", 1.0, "sim/wrench " + problem + ": refused, and the held wrench is zeroed");
        }
    }

    /** Asks for a new episode from {@code seed} (the stepping code starts it, here in lockstep); returns its number. */
    int requestReset(long seed) throws InterruptedException {
        synchronized (lock) {
            resetRequested = true;
            resetSeed = seed;
            resetEpisode = -1;
        }
        Runnable answer = onAnswer;
        if (answer != null) answer.run();   // lockstep: the reset happens right here
        synchronized (lock) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (resetEpisode < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || node.isShutdown()) throw new IllegalStateException("the simulation did not reset within 10 s");
                lock.wait(left / 1_000_000 + 1);
            }
            return resetEpisode;
        }
    }

    // --- the stepping code (sim_arm's loop thread, or in lockstep the step lock's holder) ---

    /** Notes that a state went out: lockstep waits for a command that arrives after this. */
    void published() {
        synchronized (lock) {
            armCountAtPublish = armCount;
            gripperCountAtPublish = gripperCount;
            if (gripperWait != null) gripperWait.clear();
        }
    }

    /** Lockstep: whether an arm command came since the last state went out (no side effects, unlike {@link #answered}). */
    boolean armAnswered() {
        synchronized (lock) {
            return armCount != armCountAtPublish;
        }
    }

    /** Lockstep: whether the last state went out has been answered (see {@link #pairGripper}). */
    boolean answered() {
        synchronized (lock) {
            if (armCount == armCountAtPublish) return false;
            if (gripperCommands == null || gripperCount != gripperCountAtPublish || gripperCommands.publisherCount() == 0) return true;
            if (gripperWait.waiting(System.nanoTime())) return false;
        }
        node.log().warnThrottled("gripper-wait", 5.0, "lockstep: " + gripperCommands.topic() + " has a publisher but no command of it answered the state within "
                + GRIPPER_WAIT_NANOS / 1e9 + " s of the arm's: stepping with the last gripper command (publish the gripper with every arm command, or not at all)");
        return true;
    }

    boolean takeReset() {
        synchronized (lock) {
            if (!resetRequested) return false;
            resetRequested = false;
            return true;
        }
    }

    long resetSeed() {
        synchronized (lock) {
            return resetSeed;
        }
    }

    void resetDone(int episode) {
        synchronized (lock) {
            resetEpisode = episode;
            lock.notifyAll();
        }
    }

    /**
     * Takes what arrived since the last step: applies the wrench, and fills {@code chainCommand}
     * (chain order, clamped to the URDF limits) when a new arm command came.
     */
    Take take(int[] order, double[] chainCommand) {
        synchronized (lock) {
            if (clearWrenches) {
                sim.world().clearExternalWrenches();
                clearWrenches = false;
            }
            if (wrenchLink != null) {
                sim.world().setExternalWrench(wrenchLink, wrench[0], wrench[1], wrench[2], wrench[3], wrench[4], wrench[5]);
                wrenchLink = null;
            }
            if (holdPending) {
                holdPending = false;
                ramping = false;
                if (follower != null && !goalSinceHold) {   // later goals start from where the arm holds
                    sim.armPositions(measured);
                    follower.holdAt(measured);
                    settled = true;
                }
                return Take.HOLD;
            }
            if (follower != null) return followTrajectory(chainCommand);
            if (!armFresh) {
                if (!ramping) return Take.KEEP;
                System.arraycopy(desired, 0, chainCommand, 0, desired.length);
                ramp(chainCommand);
                return Take.NEW_COMMAND;
            }
            armFresh = false;
            for (int i = 0; i < chainCommand.length; i++) chainCommand[i] = arm[order[i]];
        }
        clampToLimits(chainCommand);
        if (mode != ControlMode.POSITION) return Take.NEW_COMMAND;
        System.arraycopy(chainCommand, 0, desired, 0, desired.length);
        int i = limits.limitStep(chainCommand, sim.arm().targets(), maxStep);
        ramping = i >= 0;
        if (ramping) {
            node.log().warnThrottled("arm-velocity", 1.0, controller + "/command moves " + limits.joint(i).name() + "'s target faster than its URDF velocity limit "
                    + limits.joint(i).velocity() + " rad/s: it moves at that speed");
        }
        return Take.NEW_COMMAND;
    }

    /**
     * JointTrajectoryController: the trajectory's position at the end of this step, clamped and
     * moving at most the URDF velocity per step like any position command. Under the lock.
     */
    private Take followTrajectory(double[] chainCommand) {
        if (settled || follower.knots() == 0) return Take.KEEP;
        boolean moving = follower.sample(clock.getAsLong() + periodNanos, chainCommand);
        clampToLimits(chainCommand);
        int i = limits.limitStep(chainCommand, sim.arm().targets(), maxStep);
        settled = !moving && i < 0;
        if (i >= 0 && node.log().due("arm-velocity", 1.0)) {
            node.log().warn(controller + "/command moves " + limits.joint(i).name() + "'s target faster than its URDF velocity limit "
                    + limits.joint(i).velocity() + " rad/s: it moves at that speed");
        }
        return Take.NEW_COMMAND;
    }

    /**
     * Position mode: moves the target one control period toward the desired position at the URDF
     * velocity limit, as a real controller's limits interface does each cycle until it gets there.
     */
    private void ramp(double[] chainCommand) {
        ramping = limits.limitStep(chainCommand, sim.arm().targets(), maxStep) >= 0;
    }

    /** The episode was reset (the arm holds its new pose): a command of the last episode is not ramped toward any more. */
    void episodeReset() {
        synchronized (lock) {
            ramping = false;
            if (follower != null) {
                sim.armPositions(measured);
                follower.holdAt(measured);
                settled = true;
                goalSinceHold = false;
            }
        }
    }

    double gripper() {
        synchronized (lock) {
            return gripper;
        }
    }

    private void clampToLimits(double[] c) {
        System.arraycopy(c, 0, unclamped, 0, c.length);
        int i = limits.clamp(c);
        if (i >= 0) node.log().warnThrottled("arm-limit", 1.0, controller + "/command for " + limits.describe(i, unclamped[i]) + ": clamped");
    }
}
