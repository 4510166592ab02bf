package org.teachlearn.ros.message;

/** A ROS {@code duration}: signed seconds and nanoseconds. */
public final class Duration {
    public int secs;
    public int nsecs;

    public Duration() {
    }

    public Duration(int secs, int nsecs) {
        this.secs = secs;
        this.nsecs = nsecs;
    }

    public static Duration ofNanos(long nanos) {
        Duration d = new Duration();
        d.secs = (int) Math.floorDiv(nanos, 1_000_000_000L);
        d.nsecs = (int) Math.floorMod(nanos, 1_000_000_000L);
        return d;
    }

    public long toNanos() {
        return secs * 1_000_000_000L + nsecs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Duration d && d.secs == secs && d.nsecs == nsecs;
    }

    @Override
    public int hashCode() {
        return 31 * secs + nsecs;
    }

    @Override
    public String toString() {
        return secs + "." + String.format("%09d", nsecs);
    }
}
