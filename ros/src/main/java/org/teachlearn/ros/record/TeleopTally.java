package org.teachlearn.ros.record;

import java.util.Arrays;

/**
 * What a take learns from teleoperation for its DemoInfo: how many times {@code teleop/active}
 * went true (a person took the arm: every clutch engagement, and every intervention while a
 * policy drives), and the controller-stamp → command latencies vr_teleop reports on
 * {@code teleop/latency}, as p50 and p99. Latencies are kept in one preallocated array (the first
 * {@link #CAPACITY} of a take: 20 minutes at 100 Hz); nothing is allocated per message.
 * Guarded by its {@link DemoRecorder}'s lock.
 */
final class TeleopTally {

    static final int CAPACITY = 1 << 17;

    private final float[] latencies = new float[CAPACITY];
    private int count;
    private int interventions;
    private boolean active;

    void reset() {
        count = 0;
        interventions = 0;
        // an engagement that began before the take counts once: the take shows a person commanding
        if (active) interventions = 1;
    }

    void active(boolean now) {
        if (now && !active) interventions++;
        active = now;
    }

    void latency(double seconds) {
        if (count < CAPACITY && Double.isFinite(seconds)) latencies[count++] = (float) seconds;
    }

    int interventions() {
        return interventions;
    }

    /** The {@code q} quantile (0–1) of the take's latencies, NaN when none came (sorts them: at the end of a take only). */
    float quantile(double q) {
        if (count == 0) return Float.NaN;
        Arrays.sort(latencies, 0, count);
        return latencies[Math.min(count - 1, (int) Math.floor(q * count))];
    }
}
