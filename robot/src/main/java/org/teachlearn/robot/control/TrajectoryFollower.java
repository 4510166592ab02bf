package org.teachlearn.robot.control;

/**
 * The trajectory a joint trajectory controller follows, with the semantics streaming clients of
 * ros_control's joint_trajectory_controller rely on: knots of joint positions at absolute times
 * (ns of the caller's clock), linear in between, the last knot held once reached.
 *
 * <p>A new goal replaces the rest of the current trajectory from its start time: the current
 * trajectory runs until then, is bridged from where it is at that time to the goal's first point,
 * and the goal's points follow. Points at or before now are dropped; a goal with none left is
 * refused and the current trajectory goes on. So a client that sends one point every control
 * period, {@code time_from_start} one period ahead and starting now, moves the arm to each point
 * in one period, from where the last one left it.
 *
 * <p>Plain Java, not thread-safe (callers lock). Preallocated: replacing and sampling allocate
 * nothing unless a goal has more points than any before.
 */
public final class TrajectoryFollower {

    /** A goal as it came: points in time order, positions in the follower's joint order. */
    public interface Goal {
        int points();

        /** ns after the goal's start at which point {@code k} is to be reached. */
        long timeFromStart(int k);

        double position(int k, int joint);
    }

    /** What {@link #replace} made of a goal. */
    public enum Splice {
        /** the goal now runs from its start time */
        ACCEPTED,
        /** no points: nothing changed (a caller stops the arm, as joint_trajectory_controller does) */
        EMPTY,
        /** point times are not strictly increasing: refused, nothing changed */
        NOT_INCREASING,
        /** more points than {@link #maxPoints}: refused, nothing changed */
        TOO_LONG,
        /** every point is at or before now: refused, the current trajectory goes on */
        ALL_IN_PAST
    }

    /** Time of a hold knot: the position holds from the beginning of time until the next knot. */
    private static final long HOLD = Long.MIN_VALUE;

    private final int dof;
    private final int maxPoints;
    private long[] times;
    private double[][] knots;
    private int count;
    private long[] spareTimes;     // the next trajectory is built here, then the two swap
    private double[][] spareKnots;

    /** @param maxPoints the most points one goal may carry (bounds what a goal can make this allocate) */
    public TrajectoryFollower(int dof, int maxPoints) {
        this.dof = dof;
        this.maxPoints = maxPoints;
        times = new long[8];
        knots = new double[8][dof];
        spareTimes = new long[8];
        spareKnots = new double[8][dof];
    }

    public int maxPoints() {
        return maxPoints;
    }

    /** Holds {@code q} until a goal comes (a controller's hold, or the start of an episode). */
    public void holdAt(double[] q) {
        times[0] = HOLD;
        System.arraycopy(q, 0, knots[0], 0, dof);
        count = 1;
    }

    /** Holds where the trajectory is at {@code now} (a refused goal stops a moving arm there). */
    public void stopAt(long now) {
        if (count == 0) return;
        sample(now, spareKnots[0]);
        System.arraycopy(spareKnots[0], 0, knots[0], 0, dof);
        times[0] = HOLD;
        count = 1;
    }

    /**
     * Splices {@code goal}, starting at {@code start}, into the current trajectory at
     * max(start, now). On anything but {@link Splice#ACCEPTED} the trajectory is unchanged.
     */
    public Splice replace(Goal goal, long start, long now) {
        int n = goal.points();
        if (n == 0) return Splice.EMPTY;
        if (n > maxPoints) return Splice.TOO_LONG;
        for (int k = 1; k < n; k++) if (goal.timeFromStart(k) <= goal.timeFromStart(k - 1)) return Splice.NOT_INCREASING;
        int first = 0;
        while (first < n && start + goal.timeFromStart(first) <= now) first++;
        if (first == n) return Splice.ALL_IN_PAST;
        long splice = Math.max(start, now);
        long firstTime = start + goal.timeFromStart(first);
        ensureSpare(count + 1 + n - first);
        int m = 0;
        if (count > 0) {
            // the current trajectory until the splice, from its last knot at or before now (earlier ones are history)
            int from = Math.max(0, lastAtOrBefore(now));
            for (int i = from; i < count && times[i] < splice; i++) {
                spareTimes[m] = times[i];
                System.arraycopy(knots[i], 0, spareKnots[m], 0, dof);
                m++;
            }
            if (firstTime > splice) {   // bridge: from where the current trajectory is at the splice
                sample(splice, spareKnots[m]);
                spareTimes[m++] = splice;
            }
        }
        for (int k = first; k < n; k++, m++) {
            spareTimes[m] = start + goal.timeFromStart(k);
            double[] row = spareKnots[m];
            for (int j = 0; j < dof; j++) row[j] = goal.position(k, j);
        }
        long[] t = times;
        times = spareTimes;
        spareTimes = t;
        double[][] q = knots;
        knots = spareKnots;
        spareKnots = q;
        count = m;
        return Splice.ACCEPTED;
    }

    /**
     * Fills {@code out} with the positions at time {@code t}; returns false when {@code t} is at or
     * past the last knot (the trajectory holds its end) or there is no trajectory ({@code out}
     * untouched).
     */
    public boolean sample(long t, double[] out) {
        if (count == 0) return false;
        int i = lastAtOrBefore(t);
        if (i < 0) {   // before the first knot: a goal given before any hold waits at its first point
            System.arraycopy(knots[0], 0, out, 0, dof);
            return true;
        }
        if (i == count - 1) {
            System.arraycopy(knots[i], 0, out, 0, dof);
            return false;
        }
        double[] a = knots[i], b = knots[i + 1];
        if (times[i] == HOLD) {   // a hold lasts until the next knot, which starts from it
            System.arraycopy(a, 0, out, 0, dof);
            return true;
        }
        double f = (double) (t - times[i]) / (double) (times[i + 1] - times[i]);
        for (int j = 0; j < dof; j++) out[j] = a[j] + f * (b[j] - a[j]);
        return true;
    }

    /** Knots in the trajectory now (the hold counts as one). */
    public int knots() {
        return count;
    }

    /** Index of the last knot at or before {@code t}, or −1. */
    private int lastAtOrBefore(long t) {
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void ensureSpare(int n) {
        if (spareTimes.length >= n && spareKnots.length >= n) return;
        int size = Math.max(n, 2 * spareTimes.length);
        spareTimes = new long[size];
        double[][] grown = new double[size][];
        for (int i = 0; i < size; i++) grown[i] = i < spareKnots.length ? spareKnots[i] : new double[dof];
        spareKnots = grown;
    }
}
