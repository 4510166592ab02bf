package org.teachlearn.ros.xmlrpc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held at once by one server. A request reserves its declared length
 * before its buffer is allocated and gives it back when its answer is ready, so many mid-sized
 * uploads cannot together fill the heap.
 */
final class BodyBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) return false;
            if (used.compareAndSet(now, now + bytes)) return true;
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long capacity() {
        return capacity;
    }
}
