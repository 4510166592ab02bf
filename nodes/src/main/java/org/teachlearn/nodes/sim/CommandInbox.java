package org.teachlearn.nodes.sim;

import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.robot.sim.JointGroupController;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.control.CommandLimits;
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
    private final JointGroupController.Mode mode;
    private final CommandLimits limits;
    private final double[] unclamped;
    private final double gripperMax;
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
    private long armAnsweredAt;   // System.nanoTime() the arm answered while the gripper had not; 0: not waiting
    private java.util.concurrent.ScheduledExecutorService gripperTimer;
    private final double[] wrench = new double[6];
    private String wrenchLink;
    private boolean resetRequested;
    private long resetSeed;
    private int resetEpisode = -1;
    private volatile Runnable onAnswer;

    CommandInbox(Node node, Simulation sim, String controller, int dof, String defaultWrenchLink) {
        this.node = node;
        this.sim = sim;
        this.controller = controller;
        this.mode = sim.arm().mode();
        this.arm = new double[dof];
        java.util.List<Joint> chainJoints = new java.util.ArrayList<>();
        for (int i = 0; i < dof; i++) chainJoints.add(sim.chain().joint(i));
        limits = new CommandLimits(chainJoints, mode);
        unclamped = new double[dof];
        String g = sim.layout().gripperJoint();
        gripperMax = g == null ? 0 : sim.world().joint(sim.world().jointIndex(g)).upper();
    }

    // --- subscriber threads ---

    /** An arm command in the controller's joint order; {@code order} maps chain joints into it. */
    void onArm(Float64MultiArray m) {
        String problem = null;
        if (m.data.length != arm.length) {
            problem = controller + "/command has " + m.data.length + " values; the arm has " + arm.length + " joints";
        } else {
            for (double v : m.data) {
                if (!Double.isFinite(v)) {
                    problem = controller + "/command contains " + v;
                    break;
                }
            }
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
     * Lockstep: a state is answered by the arm command and, while {@code gripper} has publishers, the
     * gripper command too (for at most {@link #GRIPPER_WAIT_NANOS} after the arm's). The two come on
     * two connections read by two threads; stepping on the arm's alone would sometimes integrate
     * the step with the previous gripper command and a seeded run would not replay.
     */
    void pairGripper(Subscriber<?> gripper) {
        gripperCommands = gripper;
        gripperTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gripper-wait");
            t.setDaemon(true);
            return t;
        });
        node.onShutdown(gripperTimer::shutdownNow);
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
        if (m.data.length != 1 || !Double.isFinite(m.data[0])) {
            node.log().errorThrottled("gripper-command", 1.0, "gripper command must be one finite opening in metres, got "
                    + java.util.Arrays.toString(m.data) + ": refused");
            return;
        }
        double v = m.data[0];
        if (v < 0 || v > gripperMax) {
            node.log().warnThrottled("gripper-limit", 1.0, "gripper opening " + v + " m clamped to [0, " + gripperMax + "]");
            v = Math.max(0, Math.min(gripperMax, v));
        }
        synchronized (lock) {
            gripper = v;
            gripperCount++;
        }
        Runnable answer = onAnswer;
        if (answer != null) answer.run();   // the arm may have answered first
    }

    void onWrench(WrenchStamped m) {
        String link = m.header.frame_id;
        if (!sim.world().hasLink(link)) {
            node.log().errorThrottled("wrench-link", 1.0, "sim/wrench names link '" + link + "' (header.frame_id), which is not in the URDF: ignored");
            return;
        }
        synchronized (lock) {
            wrenchLink = link;
            wrench[0] = m.wrench.force.x;
            wrench[1] = m.wrench.force.y;
            wrench[2] = m.wrench.force.z;
            wrench[3] = m.wrench.torque.x;
            wrench[4] = m.wrench.torque.y;
            wrench[5] = m.wrench.torque.z;
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
            armAnsweredAt = 0;
        }
    }

    /** Lockstep: whether the last state went out has been answered (see {@link #pairGripper}). */
    boolean answered() {
        synchronized (lock) {
            if (armCount == armCountAtPublish) return false;
            if (gripperCommands == null || gripperCount != gripperCountAtPublish || gripperCommands.publisherCount() == 0) return true;
            long now = System.nanoTime();
            if (armAnsweredAt == 0) {
                armAnsweredAt = now;
                gripperTimer.schedule(() -> {
                    Runnable answer = onAnswer;
                    if (answer != null) answer.run();
                }, GRIPPER_WAIT_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
                return false;
            }
            if (now - armAnsweredAt < GRIPPER_WAIT_NANOS) return false;
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
            if (wrenchLink != null) {
                sim.world().setExternalWrench(wrenchLink, wrench[0], wrench[1], wrench[2], wrench[3], wrench[4], wrench[5]);
                wrenchLink = null;
            }
            if (holdPending) {
                holdPending = false;
                return Take.HOLD;
            }
            if (!armFresh) return Take.KEEP;
            armFresh = false;
            for (int i = 0; i < chainCommand.length; i++) chainCommand[i] = arm[order[i]];
        }
        clampToLimits(chainCommand);
        return Take.NEW_COMMAND;
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
