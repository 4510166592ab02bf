package org.teachlearn.ros.record;

import java.util.function.LongSupplier;
import org.teachlearn.ros.message.MessageType;

/**
 * One topic the recorder records: what it has counted in the take being recorded (for the rate
 * report) and the bag connection its messages go to. Guarded by its {@link DemoRecorder}'s lock.
 */
public final class RecordedTopic {

    final String name;
    private final LongSupplier dropped;   // messages the subscriber's queue dropped so far
    // the take being recorded
    long count;
    long bytes;
    long firstNanos, lastNanos;
    long windowCount;                      // messages within the rate window after the first
    long droppedAtStart;
    // its bag connection, valid for take `generation` and message type `type`
    MessageType<?> type;
    int connection;
    int generation = -1;

    RecordedTopic(String name, LongSupplier dropped) {
        this.name = name;
        this.dropped = dropped;
    }

    public String name() {
        return name;
    }

    long dropped() {
        return dropped.getAsLong();
    }

    void reset() {
        count = 0;
        bytes = 0;
        firstNanos = 0;
        lastNanos = 0;
        windowCount = 0;
        droppedAtStart = dropped();
    }

    void count(long timeNanos, int length, long windowNanos) {
        if (count == 0) firstNanos = timeNanos;
        lastNanos = timeNanos;
        count++;
        bytes += length;
        if (timeNanos - firstNanos <= windowNanos) windowCount++;
    }
}
