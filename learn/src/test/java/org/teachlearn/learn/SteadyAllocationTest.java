package org.teachlearn.learn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The probe the allocation tests rely on fails a path that allocates on every call. */
class SteadyAllocationTest {

    private static Object sink;

    @Test
    void aPathThatAllocatesPerCallNeverGoesQuiet() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> SteadyAllocation.assertQuiet("a leaky path", 100, 100, 1, 4, i -> sink = new double[4]));
        assertTrue(e.getMessage().contains("a leaky path kept allocating"), e.getMessage());
    }

    @Test
    void aPathThatReusesItsArraysPasses() throws Exception {
        double[] reused = new double[4];
        SteadyAllocation.assertQuiet("a quiet path", 1000, 100, 2, 8, i -> reused[i & 3] += i);
    }
}
