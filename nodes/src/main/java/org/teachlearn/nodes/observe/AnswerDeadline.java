package org.teachlearn.nodes.observe;

import java.util.concurrent.locks.LockSupport;

/**
 * Waiting, for at most a timeout, for the second of two messages that travel on separate
 * connections (a lockstep state's expert label, an arm command's gripper command): the first
 * starts the wait, the second or the deadline ends it. When the deadline passes with nothing
 * come, {@code recheck} runs on this object's own thread so the waiter can go on without it.
 * One parked thread and no allocation per wait (a scheduled task per wait allocates).
 */
public final class AnswerDeadline implements AutoCloseable {

    private final long timeout;
    private final Runnable recheck;
    private final Thread thread;
    private long since;                  // when the current wait began (System.nanoTime()); 0: none. Under the caller's lock
    private volatile long deadline;      // for the thread: when to run recheck; 0: nothing to wait for
    private volatile boolean closed;

    /** @param recheck runs (without any lock held) once a wait's deadline has passed */
    public AnswerDeadline(String name, long timeoutNanos, Runnable recheck) {
        this.timeout = timeoutNanos;
        this.recheck = recheck;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether to keep waiting at {@code now}: true while within the timeout (starting a wait if none
     * runs), false once it has passed (the wait ends). Callers serialise calls under their own lock.
     */
    public boolean waiting(long now) {
        if (since == 0) {
            since = now;
            deadline = now + timeout;
            LockSupport.unpark(thread);
            return true;
        }
        if (now - since < timeout) return true;
        since = 0;
        return false;
    }

    /** The second message came (or no wait is needed): nothing to wait for. */
    public void clear() {
        since = 0;
    }

    public long timeoutNanos() {
        return timeout;
    }

    private void run() {
        while (!closed) {
            long d = deadline;
            if (d == 0) {
                LockSupport.park(this);
                continue;
            }
            long left = d - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left + 1_000_000);   // a little past it, so the waiter sees the timeout as passed
                continue;
            }
            if (deadline == d) deadline = 0;
            try {
                recheck.run();
            } catch (RuntimeException e) {
                // the waiter's own failure: it logs its own; this thread must keep serving later waits
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
