package org.teachlearn.ros.action;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.teachlearn.msgs.actionlib_msgs.GoalID;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.actionlib_msgs.GoalStatusArray;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.Subscriber;

/**
 * The server side of an actionlib action NAME, speaking the protocol as ROS's actionlib does: goals in
 * on NAME/goal and cancel requests on NAME/cancel; NAME/status (latched) at {@code actionlib_status_frequency}
 * Hz (searched up the namespace; NAME/status_frequency as a deprecated override; 5 by default) and on every
 * change; results on NAME/result and feedback on NAME/feedback. A goal that has finished stays in the status
 * list for NAME/status_list_timeout s (5 by default), then is forgotten; at most {@link #MAX_GOALS} goals are
 * tracked at once and a goal beyond that is rejected, so a client that floods the server cannot grow it.
 *
 * <p>The {@link Listener} is called with the server's lock held (as actionlib's is), on the subscriber's thread:
 * it decides quickly (accept or reject) and leaves the work to its own loop.
 */
public final class ActionServer<G extends Message, R extends Message, F extends Message> implements AutoCloseable {

    /** Goals tracked at once, finished ones included, before new goals are rejected. */
    public static final int MAX_GOALS = 1000;

    /** What the server's owner hears. */
    public interface Listener<G extends Message, R extends Message, F extends Message> {
        /** A new goal, PENDING: accept it (and start work), or reject it. */
        void onGoal(ServerGoalHandle<G, R, F> goal);

        /** A cancel request for a goal that was PENDING or ACTIVE: stop and call {@code cancelled}. */
        default void onCancel(ServerGoalHandle<G, R, F> goal) {
        }
    }

    private final Node node;
    private final String name;
    private final ActionSpec<G, R, F> spec;
    private final Listener<G, R, F> listener;
    private final Publisher<GoalStatusArray> statusPub;
    private final Publisher<Message> resultPub;
    private final Publisher<Message> feedbackPub;
    private final Subscriber<Message> goalSub;
    private final Subscriber<GoalID> cancelSub;
    private final ScheduledExecutorService statusTimer;
    private final long statusListTimeoutNanos;
    private final double statusFrequency;

    private final List<ServerGoalHandle<G, R, F>> goals = new ArrayList<>();
    private final GoalStatusArray statusArray = new GoalStatusArray();
    private final Message actionResult;
    private final Message actionFeedback;
    private final R emptyResult;
    private final Time clock = new Time();
    private final Time lastCancel = new Time();
    private long goalCount;
    private boolean closed;

    @SuppressWarnings("unchecked")
    private ActionServer(Node node, String name, ActionSpec<G, R, F> spec, Listener<G, R, F> listener) throws IOException {
        this.node = node;
        this.name = node.resolve(name);
        this.spec = spec;
        this.listener = listener;
        actionResult = spec.actionResultType().newMessage();
        actionFeedback = spec.actionFeedbackType().newMessage();
        emptyResult = (R) ActionSpec.copy(spec.result(actionResult));
        statusFrequency = statusFrequency(node, this.name);
        statusListTimeoutNanos = (long) (node.params().getDouble(this.name + "/status_list_timeout", 5.0) * 1e9);
        synchronized (this) {
            statusPub = node.advertise(this.name + "/status", GoalStatusArray.TYPE, 50, true);
            resultPub = node.advertise(this.name + "/result", spec.actionResultType(), 50, false);
            feedbackPub = node.advertise(this.name + "/feedback", spec.actionFeedbackType(), 50, false);
            goalSub = node.subscribe(this.name + "/goal", spec.actionGoalType(), this::onGoalMessage);
            cancelSub = node.subscribe(this.name + "/cancel", GoalID.TYPE, this::onCancelMessage);
            publishStatus();
        }
        statusTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "action-status " + this.name);
            t.setDaemon(true);
            return t;
        });
        if (statusFrequency > 0) {
            long period = (long) (1e9 / statusFrequency);
            statusTimer.scheduleAtFixedRate(this::publishStatusLocked, period, period, TimeUnit.NANOSECONDS);
        }
        node.onShutdown(this::close);
    }

    /**
     * Serves the action {@code name} (resolved in the node's namespace) and publishes its first status.
     * The listener may be called as soon as this returns.
     */
    public static <G extends Message, R extends Message, F extends Message> ActionServer<G, R, F> start(Node node,
            String name, ActionSpec<G, R, F> spec, Listener<G, R, F> listener) throws IOException {
        return new ActionServer<>(node, name, spec, listener);
    }

    /** The resolved action name, e.g. {@code /gripper_controller/gripper_cmd}. */
    public String name() {
        return name;
    }

    /** Status messages per second on NAME/status, besides one on every change. */
    public double statusFrequency() {
        return statusFrequency;
    }

    /** Goals in the status list right now (alive, and finished ones not yet forgotten). */
    public synchronized int trackedGoals() {
        return goals.size();
    }

    private static double statusFrequency(Node node, String resolvedName) {
        String deprecated = resolvedName + "/status_frequency";
        if (node.params().has(deprecated)) {
            node.log().warn(deprecated + " is deprecated: set actionlib_status_frequency instead");
            return node.params().getDouble(deprecated, 5.0);
        }
        return node.params().search("actionlib_status_frequency").map(key -> node.params().getDouble(key, 5.0)).orElse(5.0);
    }

    // --- goals and cancel requests in ---

    private synchronized void onGoalMessage(Message actionGoal) {
        if (closed) return;
        prune();
        GoalID id = spec.goalId(actionGoal);
        for (ServerGoalHandle<G, R, F> h : goals) {
            if (!h.status.goal_id.id.equals(id.id)) continue;
            // Seen before: a goal cancelled before it arrived is now recalled; a repeat is ignored.
            if (h.status.status == GoalStatus.RECALLING) {
                h.status.status = GoalStatus.RECALLED;
                h.finishedAt = nowNanos();
                publishResult(h.status, null);
            }
            return;
        }
        GoalID named = id;
        if (id.id.isEmpty() || id.stamp.isZero()) {
            named = new GoalID();
            named.id = id.id.isEmpty() ? node.name() + "-" + (++goalCount) + "-" + node.now() : id.id;
            named.stamp.set(id.stamp.isZero() ? node.now() : id.stamp);
        }
        ServerGoalHandle<G, R, F> h = new ServerGoalHandle<>(this, named, GoalStatus.PENDING, ActionSpec.copy(spec.goal(actionGoal)));
        if (goals.size() >= MAX_GOALS) {
            // Answered, not tracked: a flood of goals cannot grow the list.
            h.reject(null, "the action server tracks " + MAX_GOALS + " goals already; wait for some to finish");
            return;
        }
        goals.add(h);
        if (!id.stamp.isZero() && id.stamp.compareTo(lastCancel) <= 0) {
            h.cancelled(null, "cancelled on arrival: its stamp is not after that of the last cancel request");
            return;
        }
        listener.onGoal(h);
    }

    private synchronized void onCancelMessage(GoalID cancel) {
        if (closed) return;
        boolean all = cancel.id.isEmpty() && cancel.stamp.isZero();
        boolean found = false;
        for (int i = 0; i < goals.size(); i++) {
            ServerGoalHandle<G, R, F> h = goals.get(i);
            boolean byId = cancel.id.equals(h.status.goal_id.id);
            boolean byStamp = !cancel.stamp.isZero() && h.status.goal_id.stamp.compareTo(cancel.stamp) <= 0;
            if (!(all || byId || byStamp)) continue;
            found |= byId;
            if (h.requestCancel() && h.goal() != null) listener.onCancel(h);
        }
        if (!cancel.id.isEmpty() && !found && goals.size() < MAX_GOALS) {
            // The goal may still be on its way: remember the request, so that it is recalled when it comes.
            ServerGoalHandle<G, R, F> h = new ServerGoalHandle<>(this, cancel, GoalStatus.RECALLING, null);
            h.finishedAt = nowNanos();
            goals.add(h);
        }
        if (cancel.stamp.compareTo(lastCancel) > 0) lastCancel.set(cancel.stamp);
    }

    // --- status, results and feedback out (called with the lock held) ---

    private synchronized void publishStatusLocked() {
        if (closed) return;
        prune();
        publishStatus();
    }

    /** Publishes every tracked goal's status; never changes the list, so callers may be iterating it. */
    void publishStatus() {
        if (statusArray.status_list.length != goals.size()) statusArray.status_list = new GoalStatus[goals.size()];
        for (int i = 0; i < goals.size(); i++) statusArray.status_list[i] = goals.get(i).status;
        node.now(statusArray.header.stamp);
        statusPub.publish(statusArray);
    }

    void publishResult(GoalStatus status, R result) {
        node.now(spec.resultHeader(actionResult).stamp);
        copyStatus(status, spec.resultStatus(actionResult));
        spec.setResult(actionResult, result != null ? result : emptyResult);
        resultPub.publish(actionResult);
        publishStatus();
    }

    void publishFeedback(GoalStatus status, F feedback) {
        node.now(spec.feedbackHeader(actionFeedback).stamp);
        copyStatus(status, spec.feedbackStatus(actionFeedback));
        spec.setFeedback(actionFeedback, feedback);
        feedbackPub.publish(actionFeedback);
    }

    private static void copyStatus(GoalStatus from, GoalStatus to) {
        to.goal_id.id = from.goal_id.id;
        to.goal_id.stamp.set(from.goal_id.stamp);
        to.status = from.status;
        to.text = from.text;
    }

    /** Forgets goals that finished more than status_list_timeout ago. */
    private void prune() {
        long now = nowNanos();
        for (Iterator<ServerGoalHandle<G, R, F>> it = goals.iterator(); it.hasNext(); ) {
            ServerGoalHandle<G, R, F> h = it.next();
            if (h.finishedAt != 0 && h.finishedAt + statusListTimeoutNanos < now) it.remove();
        }
    }

    long nowNanos() {
        return node.now(clock).toNanos();
    }

    /** A refused transition: a race between the owner and a cancel request is normal, so only at debug level. */
    void debug(String message) {
        node.log().debug(name + ": " + message);
    }

    /** Stops the status timer and unregisters the five topics. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        statusTimer.shutdownNow();
        if (node.isShutdown()) return;
        goalSub.close();
        cancelSub.close();
        statusPub.close();
        resultPub.close();
        feedbackPub.close();
    }
}
