package org.teachlearn.nodes.policy;

import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.observe.AnswerDeadline;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.RosLog;

/**
 * Lockstep: which state the policy server answers next. A simulator publishes a state as
 * joint_states and task/state with one stamp, on two connections read by two threads, and the
 * expert's label for it comes later on a third; a state is due once both of its messages are in
 * and it has not been answered, and, while an expert publishes and experience is collected, once
 * its label is in too or {@code ~expert_timeout} has passed (the expert may be slower than the
 * loop; without waiting, its labels would arrive after their batch went out). Not thread-safe:
 * the server calls it under its lock.
 */
final class LockstepPairing {

    // Distinct impossible stamps until the first message of each: sim time starts at 0, and a state
    // stamped 0 must not pair with joint positions never received.
    private final Time joints = new Time(-2, 0);
    private final Time state = new Time(-3, 0);
    private final Time answered = new Time(-1, 0);
    private final Time label = new Time(-5, 0);
    private final AnswerDeadline labelWait;
    private final RosLog log;
    private boolean done = true, truncated;
    private double reward;
    private int episode, step;

    /** @param recheck runs when a state's label wait times out (the server answers it then) */
    LockstepPairing(long labelTimeoutNanos, RosLog log, Runnable recheck) {
        this.log = log;
        labelWait = new AnswerDeadline("expert-label-wait", labelTimeoutNanos, recheck);
    }

    void joints(Time stamp) {
        joints.set(stamp);
    }

    void state(TaskState m) {
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

    /** Both messages of a state are in, and it has not been answered. */
    boolean due() {
        return joints.equals(state) && !state.equals(answered);
    }

    /** joint_states of a state whose task/state is not in yet (what speculation runs on). */
    boolean jointsAhead() {
        return !joints.equals(state);
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

    /** The due state is being answered. */
    void answer() {
        answered.set(state);
    }

    /** The expert's label is for the current state. */
    boolean labelled() {
        return label.equals(state);
    }

    Time jointStamp() {
        return joints;
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
