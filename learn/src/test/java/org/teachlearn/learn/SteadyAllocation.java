package org.teachlearn.learn;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what a hot path allocates once warm. "Warm" cannot be a fixed number of calls: on a
 * loaded 2-core CI machine the JIT's compilations (and the deoptimisations between them) finish
 * later, and a one-off allocation they cause landed in a fixed measuring window there. So the path
 * runs in windows until {@code quiet} windows in a row allocate (almost) nothing; a path that
 * allocates per call never gets there and fails, with the bytes of every window in the message.
 */
public final class SteadyAllocation {

    /** Bytes a window may show without counting as an allocation (the probe's own accounting). */
    private static final long SLACK = 1024;

    public interface Step {
        void run(int i) throws Exception;
    }

    private SteadyAllocation() {}

    /**
     * Runs {@code step} {@code warm} times, then in windows of {@code window} calls (at most
     * {@code maxWindows}); returns normally once {@code quiet} windows in a row allocated under
     * 1 KiB, else throws an AssertionError naming what each window allocated.
     */
    public static void assertQuiet(String what, int warm, int window, int quiet, int maxWindows, Step step) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int i = 0;
        for (; i < warm; i++) step.run(i);
        long[] bytes = new long[maxWindows];
        int inARow = 0;
        for (int w = 0; w < maxWindows; w++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < window; k++, i++) step.run(i);
            bytes[w] = mx.getCurrentThreadAllocatedBytes() - before;
            inARow = bytes[w] < SLACK ? inARow + 1 : 0;
            if (inARow == quiet) return;
        }
        List<Long> seen = new ArrayList<>();
        for (long b : bytes) seen.add(b);
        throw new AssertionError(what + " kept allocating after " + warm + " warm-up calls: bytes per window of " + window + " calls " + seen);
    }
}
