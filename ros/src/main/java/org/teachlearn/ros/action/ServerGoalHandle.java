package org.teachlearn.ros.action;

import org.teachlearn.msgs.actionlib_msgs.GoalID;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.ros.message.Message;

/**
 * One goal an {@link ActionServer} tracks, and the transitions its owner may make on it, with
 * actionlib's state machine: PENDING → ACTIVE (accept) or REJECTED; ACTIVE → SUCCEEDED, ABORTED or
 * PREEMPTED; a cancel request turns PENDING into RECALLING and ACTIVE into PREEMPTING. A transition the
 * state does not allow is refused (returns false) and changes nothing. Every method is thread-safe.
 */
public final class ServerGoalHandle<G extends Message, R extends Message, F extends Message> {

    private final ActionServer<G, R, F> server;
    private final G goal;
    final GoalStatus status = new GoalStatus();
    /** Nanoseconds of ROS time at which the goal reached a terminal state; 0 while it is alive. */
    long finishedAt;

    ServerGoalHandle(ActionServer<G, R, F> server, GoalID id, short state, G goal) {
        this.server = server;
        this.goal = goal;
        status.goal_id.id = id.id;
        status.goal_id.stamp.set(id.stamp);
        status.status = state;
    }

    /** The goal as received; null for a cancel request that named a goal the server had not seen. */
    public G goal() {
        return goal;
    }

    public String id() {
        return status.goal_id.id;
    }

    /** The goal's state: one of {@link GoalStatus}'s constants. */
    public short state() {
        synchronized (server) {
            return status.status;
        }
    }

    /** Cancel requested and not yet acted on: the owner should stop and call {@link #cancelled}. */
    public boolean isCancelRequested() {
        short s = state();
        return s == GoalStatus.PREEMPTING || s == GoalStatus.RECALLING;
    }

    public boolean isTerminal() {
        return isTerminal(state());
    }

    static boolean isTerminal(short s) {
        return s == GoalStatus.SUCCEEDED || s == GoalStatus.ABORTED || s == GoalStatus.REJECTED
                || s == GoalStatus.PREEMPTED || s == GoalStatus.RECALLED;
    }

    /** Starts executing the goal: PENDING → ACTIVE, or RECALLING → PREEMPTING. */
    public boolean accept(String text) {
        synchronized (server) {
            short next = switch (status.status) {
                case GoalStatus.PENDING -> GoalStatus.ACTIVE;
                case GoalStatus.RECALLING -> GoalStatus.PREEMPTING;
                default -> -1;
            };
            if (next < 0) return refused("accept");
            status.status = next;
            status.text = text;
            server.publishStatus();
            return true;
        }
    }

    /** Refuses the goal without executing it (PENDING or RECALLING → REJECTED); {@code text} says why. */
    public boolean reject(R result, String text) {
        return finish(result, text, GoalStatus.REJECTED, GoalStatus.PENDING, GoalStatus.RECALLING, "reject");
    }

    public boolean succeed(R result, String text) {
        return finish(result, text, GoalStatus.SUCCEEDED, GoalStatus.ACTIVE, GoalStatus.PREEMPTING, "succeed");
    }

    public boolean abort(R result, String text) {
        return finish(result, text, GoalStatus.ABORTED, GoalStatus.ACTIVE, GoalStatus.PREEMPTING, "abort");
    }

    /** Ends the goal as cancelled: RECALLED before it started, PREEMPTED after. */
    public boolean cancelled(R result, String text) {
        synchronized (server) {
            short s = status.status;
            if (s == GoalStatus.PENDING || s == GoalStatus.RECALLING) {
                return finish(result, text, GoalStatus.RECALLED, s, s, "cancel");
            }
            return finish(result, text, GoalStatus.PREEMPTED, GoalStatus.ACTIVE, GoalStatus.PREEMPTING, "cancel");
        }
    }

    /** Sends feedback for this goal to every client; {@code feedback} is written at once and may be reused. */
    public void publishFeedback(F feedback) {
        synchronized (server) {
            server.publishFeedback(status, feedback);
        }
    }

    /** PENDING → RECALLING, ACTIVE → PREEMPTING; true when the owner should hear of the request. */
    boolean requestCancel() {
        short next = switch (status.status) {
            case GoalStatus.PENDING -> GoalStatus.RECALLING;
            case GoalStatus.ACTIVE -> GoalStatus.PREEMPTING;
            default -> -1;
        };
        if (next < 0) return false;
        status.status = next;
        server.publishStatus();
        return true;
    }

    private boolean finish(R result, String text, short next, short from1, short from2, String what) {
        synchronized (server) {
            if (status.status != from1 && status.status != from2) return refused(what);
            status.status = next;
            status.text = text;
            finishedAt = server.nowNanos();
            server.publishResult(status, result);
            return true;
        }
    }

    private boolean refused(String what) {
        server.debug("cannot " + what + " goal " + id() + ": it is " + stateName(status.status));
        return false;
    }

    /** The name of a {@link GoalStatus} state, for logs and errors. */
    public static String stateName(int state) {
        return switch (state) {
            case GoalStatus.PENDING -> "PENDING";
            case GoalStatus.ACTIVE -> "ACTIVE";
            case GoalStatus.PREEMPTED -> "PREEMPTED";
            case GoalStatus.SUCCEEDED -> "SUCCEEDED";
            case GoalStatus.ABORTED -> "ABORTED";
            case GoalStatus.REJECTED -> "REJECTED";
            case GoalStatus.PREEMPTING -> "PREEMPTING";
            case GoalStatus.RECALLING -> "RECALLING";
            case GoalStatus.RECALLED -> "RECALLED";
            case GoalStatus.LOST -> "LOST";
            default -> "state " + state;
        };
    }
}
