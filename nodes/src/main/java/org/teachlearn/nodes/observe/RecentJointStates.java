package org.teachlearn.nodes.observe;

import java.util.Arrays;
import org.teachlearn.msgs.sensor_msgs.JointState;

/**
 * The last few joint readings by stamp, for a lockstep node that pairs each simulator state's
 * joint_states with its task/state. The two travel on separate connections read by separate
 * threads, and after a done state a simulator publishes the next episode's first state at once,
 * without waiting for an answer: the next joint_states can overtake the done state's task/state.
 * A single slot would then lose the done state, and with it the transition that carries the
 * episode's end (the success bonus). Preallocated; reading allocates nothing.
 */
public final class RecentJointStates {

    private final JointStateMap map;
    private final double[][] positions, velocities;
    private final long[] stamps;
    private int newest = -1;

    /** Keeps {@code capacity} readings of {@code joints} joints, read through {@code map}. */
    public RecentJointStates(JointStateMap map, int joints, int capacity, boolean withVelocities) {
        this.map = map;
        positions = new double[capacity][joints];
        velocities = withVelocities ? new double[capacity][joints] : null;
        stamps = new long[capacity];
        Arrays.fill(stamps, Long.MIN_VALUE);
    }

    /** Keeps {@code m} under its stamp, over the oldest reading; false (kept readings untouched) when it cannot be read. */
    public boolean put(JointState m) {
        int slot = (newest + 1) % stamps.length;
        // JointStateMap leaves the arrays untouched when it refuses: the oldest reading stays whole
        if (!map.read(m, positions[slot], velocities == null ? null : velocities[slot])) return false;
        stamps[slot] = m.header.stamp.toNanos();
        newest = slot;
        return true;
    }

    /** Why the last {@link #put} refused its message. */
    public String missing() {
        return map.missing();
    }

    /** The slot of the reading stamped {@code stampNanos}, or −1 when none of the kept ones is. */
    public int slotOf(long stampNanos) {
        for (int k = 0; k < stamps.length; k++) if (stamps[k] == stampNanos) return k;
        return -1;
    }

    /** The stamp of the newest reading, or {@link Long#MIN_VALUE} before the first. */
    public long newestStamp() {
        return newest < 0 ? Long.MIN_VALUE : stamps[newest];
    }

    /** The newest reading's slot, or −1 before the first. */
    public int newestSlot() {
        return newest;
    }

    public double[] positions(int slot) {
        return positions[slot];
    }

    /** The velocities of a slot; null when kept without them. */
    public double[] velocities(int slot) {
        return velocities == null ? null : velocities[slot];
    }
}
