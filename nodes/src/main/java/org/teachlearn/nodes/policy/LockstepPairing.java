package org.teachlearn.nodes.policy;

import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.observe.AnswerDeadline;
import org.teachlearn.nodes.observe.RecentJointStates;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.RosLog;

/**
 * Lockstep: which state the policy server answers next. A simulator publishes a state as
 * joint_states and task/state with one stamp, on two connections read by two threads, and the
 * expert's label for it comes later on a third; a state is due once its task/state is in and a
 * kept joint reading has its stamp ({@link RecentJointStates}: after a done state the next
 * episode's joint_states can come first), it has not been answered, and, while an expert
 * publishes and experience is collected, once
 * its label is in too or {@code ~expert_timeout} has passed (the expert may be slower than the
 * loop; without waiting, its labels would arrive after their batch went out). Not thread-safe:
 * the server calls it under its lock.
 */
final class LockstepPairing {

    // Distinct impossible stamps until the first message of each: sim time starts at 0.
    private final Time state = new Time(-3, 0);
    private final Time answered = new Time(-1, 0);
    private final Time label = new Time(-5, 0);
    private final AnswerDeadline labelWait;
    private RecentJointStates joints;
    private boolean resent;   // the last task/state was the answered state's again: the simulator is still waiting for it
    private final RosLog log;
    private boolean done = true, truncated;
    private double reward;
    private int episode, step;
    // A done state the next episode's first task/state replaced before it was answered: sim_arm publishes
    // both without waiting (no answer is expected for a done state), and a model running ahead on the
    // joints can keep the server from pairing the first before the second is in. Its transition, the
    // episode's last (with a success's bonus), is still to be closed.
    private final Time heldStamp = new Time(-4, 0);
    private boolean held, heldTruncated;
    private double heldReward;
    private int heldStep;
    private double[] heldGoal = new double[0];

    /** @param recheck runs when a state's label wait times out (the server answers it then) */
    LockstepPairing(long labelTimeoutNanos, RosLog log, Runnable recheck) {
        this.log = log;
        labelWait = new AnswerDeadline("expert-label-wait", labelTimeoutNanos, recheck);
    }

    /** The joint readings states pair with (the first model's joints; none before). */
    void joints(RecentJointStates readings) {
        joints = readings;
    }

    /** A state's task/state; {@code goalNow} is the goal of the state it replaces (kept if that one is an unanswered done state). */
    void state(TaskState m, double[] goalNow) {
        resent = answered.secs >= 0 && m.header.stamp.equals(answered);
        if (done && !state.equals(answered) && state.secs >= 0) {
            if (heldGoal.length != goalNow.length) heldGoal = new double[goalNow.length];   // once: the goal's size is the model's
            System.arraycopy(goalNow, 0, heldGoal, 0, goalNow.length);
            heldStamp.set(state);
            heldReward = reward;
            heldTruncated = truncated;
            heldStep = step;
            held = true;
        }
        state.set(m.header.stamp);
        done = m.done;
        reward = m.reward;
        truncated = m.truncated;
        episode = (int) m.episode;
        step = (int) m.step;
    }

    void label(Time stamp) {
        label.set(stamp);
    }

    /** A replaced done state (see above) whose joints are in: close its transition with the held values, then {@link #releaseHeld}. */
    boolean heldDue() {
        return held && heldJointSlot() >= 0;
    }

    int heldJointSlot() {
        return joints == null ? -1 : joints.slotOf(heldStamp.toNanos());
    }

    /** Forgets the held done state (closed; or, when the state after it is answered first, lost: its joints never came). */
    boolean releaseHeld() {
        boolean was = held;
        held = false;
        return was;
    }

    Time heldStamp() {
        return heldStamp;
    }

    double heldReward() {
        return heldReward;
    }

    boolean heldTruncated() {
        return heldTruncated;
    }

    int heldStep() {
        return heldStep;
    }

    double[] heldGoal() {
        return heldGoal;
    }

    /** Both messages of a state are in, and it has not been answered. */
    boolean due() {
        return jointSlot() >= 0 && !state.equals(answered);
    }

    /** The slot of the joint reading of the current state, or −1 while it is not in. */
    int jointSlot() {
        return joints == null ? -1 : joints.slotOf(state.toNanos());
    }

    /** joint_states of a state whose task/state is not in yet (what speculation runs on: the newest reading). */
    boolean jointsAhead() {
        return joints != null && joints.newestSlot() >= 0 && joints.newestStamp() != state.toNanos();
    }

    /** Whether the due state should still wait for its expert label ({@code labelsComing}: experience on and an expert publishing). */
    boolean awaitingLabel(boolean labelsComing) {
        if (!labelsComing || done || label.equals(state)) {
            labelWait.clear();
            return false;
        }
        if (labelWait.waiting(System.nanoTime())) return true;
        log.warnThrottled("expert-late", 5.0, "policy_server: expert/action did not label a state within "
                + labelWait.timeoutNanos() / 1e9 + " s (~expert_timeout): acting without its label");
        return false;
    }

    /** Whether the last task/state came again for the state answered last (taken once). */
    boolean takeResent() {
        boolean r = resent;
        resent = false;
        return r;
    }

    /** The due state is being answered. */
    void answer() {
        answered.set(state);
    }

    /** The expert's label is for the current state. */
    boolean labelled() {
        return label.equals(state);
    }

    Time stateStamp() {
        return state;
    }

    boolean done() {
        return done;
    }

    boolean truncated() {
        return truncated;
    }

    double reward() {
        return reward;
    }

    int episode() {
        return episode;
    }

    int step() {
        return step;
    }

    void close() {
        labelWait.close();
    }
}
