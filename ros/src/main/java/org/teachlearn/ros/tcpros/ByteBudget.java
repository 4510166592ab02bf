package org.teachlearn.ros.tcpros;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that peers may make this process hold at once: connection headers being read, frames
 * larger than a connection's retained buffer, and the growth of retained buffers. Reserved
 * before allocating and released when the bytes are let go, so that many connections together
 * cannot take the heap (each one's own cap is in {@link Limits}). One budget per process,
 * because the heap is per process: every node in a JVM shares it.
 */
public final class ByteBudget {

    /** Half the heap unless {@code -Dteachlearn.tcpros.budgetBytes=SIZE} says otherwise (e.g. 256M). */
    public static final ByteBudget PROCESS = new ByteBudget(Limits.sizeProperty("teachlearn.tcpros.budgetBytes",
            Runtime.getRuntime().maxMemory() / 2));

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public ByteBudget(long capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("a byte budget must be positive, not " + capacity);
        this.capacity = capacity;
    }

    /** Takes {@code n} bytes if they fit; false (and nothing taken) when they do not. */
    public boolean tryReserve(long n) {
        if (n <= 0) return true;
        while (true) {
            long u = used.get();
            if (u + n > capacity) return false;
            if (used.compareAndSet(u, u + n)) return true;
        }
    }

    public void release(long n) {
        if (n > 0) used.addAndGet(-n);
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }

    /** For error messages: "12.0 of 64.0 MB in use". */
    String describe() {
        return Limits.mb(used.get()) + " of " + Limits.mb(capacity) + " in use";
    }
}
