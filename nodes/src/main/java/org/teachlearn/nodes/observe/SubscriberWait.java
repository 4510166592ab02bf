package org.teachlearn.nodes.observe;

import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * For nodes that answer a lockstep simulator: a command published before the arm's controllers
 * have connected is lost, and the simulator then waits for it forever. When an answer is due but
 * nobody listens yet, {@link #retryWhenSubscribed} runs the answer again, under the node's lock,
 * as soon as every publisher has a subscriber (one waiting thread at a time). The first publisher
 * is the answer itself (the arm command a lockstep simulator steps on); the others (the gripper's)
 * go with it.
 */
public final class SubscriberWait {

    private final Node node;
    private final Object lock;
    private final Publisher<?>[] publishers;
    private Thread waiter;
    private int atSending;   // the answer publisher's subscribers when the last answer went out

    public SubscriberWait(Node node, Object lock, Publisher<?>... publishers) {
        this.node = node;
        this.lock = lock;
        this.publishers = publishers;
    }

    /** True when every publisher has at least one subscriber. */
    public boolean ready() {
        for (Publisher<?> p : publishers) if (p.subscriberCount() == 0) return false;
        return true;
    }

    /** Notes, right before an answer goes out, who is counted as getting it. Call with the lock held. */
    public void sending() {
        atSending = publishers[0].subscriberCount();
    }

    /**
     * True when a subscriber of the answer's topic connected after the last {@link #sending}: it
     * missed that answer (a publisher sends to the connections it counts). A lockstep simulator
     * that sends a state again and subscribed late (an echo of the command topic was the
     * subscriber {@link #ready} saw) needs the same answer again; without a new subscriber the
     * answer is only slow, and a second one would count for the next state. Only the answer's
     * topic counts: a gripper subscription connecting late says nothing about whether the arm
     * command arrived, and a duplicate arm command sent on its account stepped the simulator's
     * next state with this one's command.
     */
    public boolean joinedSinceSending() {
        return publishers[0].subscriberCount() > atSending;
    }

    /** Call with the lock held, when an answer is due and {@link #ready} is false. */
    public void retryWhenSubscribed(Runnable answer) {
        if (waiter != null) return;
        waiter = new Thread(() -> {
            try {
                while (!node.isShutdown() && !ready()) Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                waiter = null;
                answer.run();
            }
        }, "await-subscribers");
        waiter.setDaemon(true);
        waiter.start();
    }
}
