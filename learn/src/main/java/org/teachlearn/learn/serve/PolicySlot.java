package org.teachlearn.learn.serve;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy the control loop runs, swappable while it runs. A tick {@link #enter}s the current
 * policy and {@link Ticket#leave}s it; {@link #swap} installs a new one between ticks and closes
 * the old one only after the last tick inside it has left, because closing an ONNX Runtime session
 * while another thread is inside {@code run()} crashes the JVM. Ticks never wait for a swap.
 */
public final class PolicySlot implements AutoCloseable {

    /** A policy with the count of ticks inside it. */
    public static final class Ticket {
        private final OnnxPolicy policy;
        private final AtomicInteger inside = new AtomicInteger();
        private volatile boolean retired;

        Ticket(OnnxPolicy policy) {
            this.policy = policy;
        }

        public OnnxPolicy policy() {
            return policy;
        }

        public void leave() {
            inside.decrementAndGet();
        }
    }

    private final AtomicReference<Ticket> current = new AtomicReference<>();

    /** The current policy, entered (call {@link Ticket#leave} after the tick), or null when none is loaded. */
    public Ticket enter() {
        while (true) {
            Ticket t = current.get();
            if (t == null) return null;
            t.inside.incrementAndGet();
            if (!t.retired) return t;
            t.inside.decrementAndGet();   // swapped out between the read and the increment: take the new one
        }
    }

    /** Installs {@code next} (already loaded and warmed) and closes the one it replaces once no tick is inside it. */
    public void swap(OnnxPolicy next) throws InterruptedException {
        Ticket old = current.getAndSet(next == null ? null : new Ticket(next));
        if (old == null) return;
        old.retired = true;
        while (old.inside.get() > 0) Thread.sleep(0, 100_000);
        old.policy.close();
    }

    public boolean loaded() {
        return current.get() != null;
    }

    @Override
    public void close() throws InterruptedException {
        swap(null);
    }
}
