package org.teachlearn.web;

/**
 * Maps the page's clock ({@code performance.now()}, ms) onto this machine's monotonic clock
 * ({@link System#nanoTime()}), as NTP does: the server pings, the page answers at once with its
 * clock, and the offset is taken at the middle of the round trip, so it is off by at most half the
 * round trip. Of the last {@value #WINDOW} answers, the one with the smallest error bound counts:
 * half its round trip plus what the two clocks may have drifted since ({@value #DRIFT_PPM} ppm, a
 * generous bound for crystal clocks). So one quick answer outweighs many slow ones (a page busy
 * entering VR answers late) until it is old enough to be doubted. Not thread-safe: one
 * connection's thread uses it.
 */
public final class ClockSync {

    static final int WINDOW = 64;
    static final long DRIFT_PPM = 100;

    private final long[] pingSent = new long[WINDOW];   // nanoTime when ping id % WINDOW was sent
    private final long[] pingId = new long[WINDOW];
    private final long[] rtt = new long[WINDOW], offset = new long[WINDOW], answered = new long[WINDOW];
    private int samples;
    private long nextPing;
    private long bestBound = Long.MAX_VALUE, bestOffset;

    /** A new ping's id, sent at {@code nowNanos}. */
    public long ping(long nowNanos) {
        long id = nextPing++;
        pingSent[(int) (id % WINDOW)] = nowNanos;
        pingId[(int) (id % WINDOW)] = id;
        return id;
    }

    /** The page's answer to ping {@code id}: its clock read {@code pageMillis}; it arrived at {@code nowNanos}. False if unknown or too old. */
    public boolean answer(long id, double pageMillis, long nowNanos) {
        int slot = (int) (id % WINDOW);
        if (id >= nextPing || pingId[slot] != id) return false;
        long roundTrip = nowNanos - pingSent[slot];
        pingId[slot] = -1;   // answered once
        int i = samples++ % WINDOW;
        rtt[i] = roundTrip;
        offset[i] = pingSent[slot] + roundTrip / 2 - Math.round(pageMillis * 1e6);
        answered[i] = nowNanos;
        bestBound = Long.MAX_VALUE;
        for (int k = 0; k < Math.min(samples, WINDOW); k++) {
            long bound = rtt[k] / 2 + (nowNanos - answered[k]) / 1_000_000 * DRIFT_PPM;
            if (bound < bestBound) {
                bestBound = bound;
                bestOffset = offset[k];
            }
        }
        return true;
    }

    /** Whether one answer has come: before it, the page's times cannot be placed. */
    public boolean synced() {
        return samples > 0;
    }

    /** The page's time {@code pageMillis} on this machine's {@link System#nanoTime()} clock. */
    public long toNanoTime(double pageMillis) {
        return Math.round(pageMillis * 1e6) + bestOffset;
    }

    /** How far off {@link #toNanoTime} may be, in ns, as of the last answer. */
    public long uncertaintyNanos() {
        return synced() ? bestBound : Long.MAX_VALUE;
    }
}
