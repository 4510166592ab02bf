package org.teachlearn.robot.control;

/**
 * Whether a joint reading is fresh enough to act on (docs/nodes.md §8): it arrived within the
 * watchdog timeout, and its header stamp lies within the maximum stamp age of the clock the node
 * runs on. Every node that commands an arm asks this before a command computed from a reading
 * leaves it; a reading that is not fresh means hold. Arrival alone is not enough: a driver that
 * re-sends an old reading, or a bag played into the graph, arrives on time with stale data.
 * Allocation-free; only {@link #describe} builds text, for the throttled log line.
 */
public final class ReadingFreshness {

    public static final int FRESH = 0;
    /** No reading has come yet. */
    public static final int NONE = 1;
    /** The newest reading arrived longer ago than the watchdog timeout. */
    public static final int LATE = 2;
    /** Its header stamp is further from the clock than the maximum stamp age (either way: a clock ahead is as unknowable). */
    public static final int OLD_STAMP = 3;
    /** Its header stamp is zero on a wall clock: nothing says when it was measured (simulated time starts at zero). */
    public static final int UNSTAMPED = 4;

    private final long watchdogNanos;
    private final long maxStampAgeNanos;
    private final boolean simTime;

    /**
     * @param watchdogSeconds    longest time since the reading arrived
     * @param maxStampAgeSeconds longest distance between its stamp and the clock; 0 turns the stamp check off
     * @param simTime            the clock is simulated time (/use_sim_time), where zero is a time like any other
     */
    public ReadingFreshness(double watchdogSeconds, double maxStampAgeSeconds, boolean simTime) {
        if (!(watchdogSeconds > 0)) throw new IllegalArgumentException("~watchdog_timeout must be > 0 s, got " + watchdogSeconds);
        if (!(maxStampAgeSeconds >= 0)) throw new IllegalArgumentException("~max_stamp_age must be >= 0 s (0: off), got " + maxStampAgeSeconds);
        watchdogNanos = (long) (watchdogSeconds * 1e9);
        maxStampAgeNanos = (long) (maxStampAgeSeconds * 1e9);
        this.simTime = simTime;
    }

    /**
     * @param arrivedAt  System.nanoTime() the reading arrived; 0 when none has
     * @param now        System.nanoTime() now
     * @param stampNanos the reading's header stamp, ROS time in ns
     * @param clockNanos the node's ROS time now (wall or /clock) in ns; negative when there is no clock to compare with
     * @return {@link #FRESH} or why not
     */
    public int judge(long arrivedAt, long now, long stampNanos, long clockNanos) {
        if (arrivedAt == 0) return NONE;
        if (now - arrivedAt > watchdogNanos) return LATE;
        if (maxStampAgeNanos == 0 || clockNanos < 0) return FRESH;
        if (stampNanos == 0 && !simTime) return UNSTAMPED;
        return Math.abs(clockNanos - stampNanos) > maxStampAgeNanos ? OLD_STAMP : FRESH;
    }

    /**
     * Lockstep: time stands still while the simulator waits, so only the stamp counts, and only a
     * stamp older than the clock: the node's /clock reader may lag the states by a few steps (it
     * is another connection), but a state cannot be newer than the clock that comes after it.
     * The clock is the simulator's, so a zero stamp is its first step.
     */
    public int judgeLockstep(long stampNanos, long clockNanos) {
        if (maxStampAgeNanos == 0 || clockNanos < 0) return FRESH;
        return clockNanos - stampNanos > maxStampAgeNanos ? OLD_STAMP : FRESH;
    }

    public double watchdogSeconds() {
        return watchdogNanos / 1e9;
    }

    public boolean checksStamps() {
        return maxStampAgeNanos > 0;
    }

    /** The log line for a verdict other than {@link #FRESH}, for the reading of {@code what} (e.g. "joint_states"). */
    public String describe(int verdict, String what, long arrivedAt, long now, long stampNanos, long clockNanos) {
        return switch (verdict) {
            case NONE -> "no " + what + " yet";
            case LATE -> "no " + what + " for " + secs(now - arrivedAt) + " s (~watchdog_timeout " + secs(watchdogNanos) + " s)";
            case UNSTAMPED -> what + " carries no header stamp (set ~max_stamp_age:=0 to skip the stamp check)";
            case OLD_STAMP -> what + " stamped " + secs(stampNanos) + " s is " + secs(Math.abs(clockNanos - stampNanos)) + " s "
                    + (stampNanos < clockNanos ? "behind" : "ahead of") + " this node's clock (" + secs(clockNanos) + " s; ~max_stamp_age "
                    + secs(maxStampAgeNanos) + " s): is the publisher's clock the same (/use_sim_time on both sides)?";
            default -> "fresh";
        };
    }

    private static String secs(long nanos) {
        return String.format("%.3f", nanos / 1e9);
    }
}
