package org.teachlearn.ros.action;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.teachlearn.msgs.actionlib_msgs.GoalID;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.actionlib_msgs.GoalStatusArray;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.Subscriber;

/**
 * The client side of an actionlib action NAME for one goal at a time, as actionlib's SimpleActionClient:
 * a new goal replaces the one tracked before (the server decides whether it preempts it). Goals go out on
 * NAME/goal with ids {@code NODE-COUNT-SECONDS}, cancel requests on NAME/cancel; the goal's state follows
 * NAME/status and ends with its NAME/result. A goal that the server's status list drops before its result
 * came is LOST. After construction, tracking a goal allocates nothing but its id.
 */
public final class SimpleActionClient<G extends Message, R extends Message, F extends Message> implements AutoCloseable {

    /** The goal's state as the simple client reports it. */
    public enum State { NO_GOAL, PENDING, ACTIVE, DONE }

    private final Node node;
    private final String name;
    private final ActionSpec<G, R, F> spec;
    private final Publisher<Message> goalPub;
    private final Publisher<GoalID> cancelPub;
    private final Subscriber<GoalStatusArray> statusSub;
    private final Subscriber<Message> resultSub;
    private final Subscriber<Message> feedbackSub;

    private final Message actionGoal;
    private final GoalID cancel = new GoalID();
    private final R result;
    private final F feedback;
    private ByteBuffer copyBuffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    private volatile Consumer<? super F> feedbackListener;

    private String goalId = "";
    private long goalCount;
    private boolean statusSeen;
    private boolean acknowledged;
    private boolean terminalSeen;
    private boolean done;
    private boolean tracking;
    private short status = GoalStatus.PENDING;
    private String statusText = "";

    @SuppressWarnings("unchecked")
    private SimpleActionClient(Node node, String name, ActionSpec<G, R, F> spec) throws IOException {
        this.node = node;
        this.name = node.resolve(name);
        this.spec = spec;
        actionGoal = spec.actionGoalType().newMessage();
        Message ar = spec.actionResultType().newMessage();
        Message af = spec.actionFeedbackType().newMessage();
        result = spec.result(ar);
        feedback = spec.feedback(af);
        goalPub = node.advertise(this.name + "/goal", spec.actionGoalType(), 10, false);
        cancelPub = node.advertise(this.name + "/cancel", GoalID.TYPE, 10, false);
        statusSub = node.subscribe(this.name + "/status", GoalStatusArray.TYPE, this::onStatus);
        resultSub = node.subscribe(this.name + "/result", spec.actionResultType(), this::onResult);
        feedbackSub = node.subscribe(this.name + "/feedback", spec.actionFeedbackType(), this::onFeedback);
    }

    /** A client of the action {@code name}, resolved in the node's namespace. */
    public static <G extends Message, R extends Message, F extends Message> SimpleActionClient<G, R, F> create(Node node,
            String name, ActionSpec<G, R, F> spec) throws IOException {
        return new SimpleActionClient<>(node, name, spec);
    }

    public String name() {
        return name;
    }

    /** A server has sent its status, and all five topics are connected both ways. */
    public synchronized boolean isServerConnected() {
        return statusSeen && statusSub.publisherCount() > 0 && goalPub.subscriberCount() > 0
                && cancelPub.subscriberCount() > 0 && resultSub.publisherCount() > 0 && feedbackSub.publisherCount() > 0;
    }

    /** Waits until {@link #isServerConnected}; false if it is not after {@code timeoutMillis}. */
    public boolean waitForServer(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!isServerConnected()) {
            if (System.nanoTime() > deadline || node.isShutdown()) return false;
            Thread.sleep(10);
        }
        return true;
    }

    /** Called with each feedback for the tracked goal, on the subscriber's thread; the message is reused. */
    public void onFeedback(Consumer<? super F> listener) {
        feedbackListener = listener;
    }

    /** Sends a goal and tracks it from now on; {@code goal} is written out at once and may be reused. */
    public synchronized void sendGoal(G goal) {
        GoalID id = spec.goalId(actionGoal);
        node.now(id.stamp);
        id.id = node.name() + "-" + (++goalCount) + "-" + id.stamp.secs + "." + (id.stamp.nsecs / 1_000_000);
        spec.goalHeader(actionGoal).stamp.set(id.stamp);
        copyInto(goal, spec.goal(actionGoal));
        goalId = id.id;
        tracking = true;
        acknowledged = false;
        terminalSeen = false;
        done = false;
        status = GoalStatus.PENDING;
        statusText = "";
        goalPub.publish(actionGoal);
    }

    /** Asks the server to cancel the tracked goal. */
    public synchronized void cancelGoal() {
        if (!tracking) return;
        cancel.id = goalId;
        cancel.stamp.secs = 0;
        cancel.stamp.nsecs = 0;
        cancelPub.publish(cancel);
    }

    /** Asks the server to cancel every goal it has, from any client (an empty id and a zero stamp). */
    public synchronized void cancelAllGoals() {
        cancel.id = "";
        cancel.stamp.secs = 0;
        cancel.stamp.nsecs = 0;
        cancelPub.publish(cancel);
    }

    /** Asks the server to cancel every goal stamped at or before {@code stamp}. */
    public synchronized void cancelGoalsAtAndBefore(Time stamp) {
        cancel.id = "";
        cancel.stamp.set(stamp);
        cancelPub.publish(cancel);
    }

    /** Stops tracking the goal without cancelling it. */
    public synchronized void stopTracking() {
        tracking = false;
        notifyAll();
    }

    public synchronized State state() {
        if (!tracking) return State.NO_GOAL;
        if (done) return State.DONE;
        if (terminalSeen || status == GoalStatus.ACTIVE || status == GoalStatus.PREEMPTING) return State.ACTIVE;
        return State.PENDING;
    }

    /** The tracked goal's latest {@link GoalStatus} state; its terminal state once {@link State#DONE}. */
    public synchronized short goalStatus() {
        return status;
    }

    public synchronized String goalStatusText() {
        return statusText;
    }

    /** The id of the tracked goal, or empty. */
    public synchronized String goalId() {
        return tracking ? goalId : "";
    }

    /** The tracked goal's result once {@link State#DONE}; reused by the next result. */
    public synchronized R result() {
        return result;
    }

    /** Waits until the tracked goal is done; false after {@code timeoutMillis} (0: forever) or without a goal. */
    public synchronized boolean waitForResult(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (tracking && !done) {
            long left = timeoutMillis == 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
            if (timeoutMillis != 0 && left <= 0) return false;
            wait(timeoutMillis == 0 ? 100 : Math.min(left, 100));
            if (node.isShutdown()) return false;
        }
        return tracking && done;
    }

    // --- from the server ---

    private synchronized void onStatus(GoalStatusArray array) {
        statusSeen = true;
        if (!tracking || done) return;
        GoalStatus mine = null;
        for (GoalStatus s : array.status_list) {
            if (s.goal_id.id.equals(goalId)) {
                mine = s;
                break;
            }
        }
        if (mine == null) {
            if (acknowledged && !terminalSeen) finish(GoalStatus.LOST, "the server no longer lists the goal");
            return;
        }
        acknowledged = true;
        status = mine.status;
        statusText = mine.text;
        if (ServerGoalHandle.isTerminal(mine.status)) terminalSeen = true;
        notifyAll();
    }

    private synchronized void onResult(Message actionResult) {
        GoalStatus s = spec.resultStatus(actionResult);
        if (!tracking || done || !s.goal_id.id.equals(goalId)) return;
        copyInto(spec.result(actionResult), result);
        finish(s.status, s.text);
    }

    private void onFeedback(Message actionFeedback) {
        Consumer<? super F> listener = feedbackListener;
        synchronized (this) {
            GoalStatus s = spec.feedbackStatus(actionFeedback);
            if (listener == null || !tracking || done || !s.goal_id.id.equals(goalId)) return;
            copyInto(spec.feedback(actionFeedback), feedback);
        }
        listener.accept(feedback);
    }

    private void finish(short terminal, String text) {
        status = terminal;
        statusText = text;
        done = true;
        notifyAll();
    }

    /** Copies one message into another of the same type through the wire format, reusing a buffer. */
    private void copyInto(Message from, Message to) {
        int n = from.serializedSize();
        if (copyBuffer.capacity() < n) copyBuffer = ByteBuffer.allocate(Math.max(n, 2 * copyBuffer.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        copyBuffer.clear();
        from.serialize(copyBuffer);
        copyBuffer.flip();
        to.deserialize(copyBuffer);
    }

    /** Unregisters the five topics; the tracked goal is left to the server. */
    @Override
    public void close() {
        if (node.isShutdown()) return;
        goalPub.close();
        cancelPub.close();
        statusSub.close();
        resultSub.close();
        feedbackSub.close();
    }
}
