package org.teachlearn.ros.message;

/** A ROS {@code time}: seconds and nanoseconds since the epoch (or since the simulation began). */
public final class Time implements Comparable<Time> {
    public int secs;
    public int nsecs;

    public Time() {
    }

    public Time(int secs, int nsecs) {
        this.secs = secs;
        this.nsecs = nsecs;
    }

    public static Time ofNanos(long nanos) {
        return new Time().setNanos(nanos);
    }

    public Time setNanos(long nanos) {
        secs = (int) (nanos / 1_000_000_000L);
        nsecs = (int) (nanos % 1_000_000_000L);
        return this;
    }

    /** Seconds are unsigned on the wire, so times after 2038 still order correctly. */
    public long toNanos() {
        return (secs & 0xffffffffL) * 1_000_000_000L + (nsecs & 0xffffffffL);
    }

    public double toSeconds() {
        return toNanos() / 1e9;
    }

    public Time set(Time other) {
        secs = other.secs;
        nsecs = other.nsecs;
        return this;
    }

    public boolean isZero() {
        return secs == 0 && nsecs == 0;
    }

    @Override
    public int compareTo(Time o) {
        return Long.compare(toNanos(), o.toNanos());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Time t && t.secs == secs && t.nsecs == nsecs;
    }

    @Override
    public int hashCode() {
        return 31 * secs + nsecs;
    }

    @Override
    public String toString() {
        return (secs & 0xffffffffL) + "." + String.format("%09d", nsecs & 0xffffffffL);
    }
}
