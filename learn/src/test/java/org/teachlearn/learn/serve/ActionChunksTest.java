package org.teachlearn.learn.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActionChunksTest {

    /** A chunk predicted at tick t whose entry i is the value t + i (a ramp: every chunk agrees on each tick's action). */
    private static double[] ramp(int t, int k) {
        double[] c = new double[k];
        for (int i = 0; i < k; i++) c[i] = t + i;
        return c;
    }

    @Test
    void openLoopPlaysTheWholeChunkThenQueriesAgain() {
        ActionChunks chunks = new ActionChunks(3, 1, false, 0);
        double[] a = new double[1];
        assertTrue(chunks.needsQuery());
        chunks.put(new double[] {1, 2, 3});
        for (double expected : new double[] {1, 2, 3}) {
            assertFalse(chunks.needsQuery());
            chunks.next(a);
            assertEquals(expected, a[0]);
        }
        assertTrue(chunks.needsQuery());
    }

    @Test
    void ensemblingAveragesEveryChunksPredictionForTheCurrentTick() {
        ActionChunks chunks = new ActionChunks(4, 1, true, 0.1);
        double[] a = new double[1];
        for (int t = 0; t < 10; t++) {
            assertTrue(chunks.needsQuery());
            chunks.put(ramp(t, 4));
            chunks.next(a);
            assertEquals(t, a[0], 1e-12, "all chunks predict " + t + " for tick " + t);
        }
        // disagreeing chunks: the oldest weighs most
        ActionChunks two = new ActionChunks(2, 1, true, 1.0);
        two.put(new double[] {0, 10});
        two.next(a);
        two.put(new double[] {20, 30});
        two.next(a);
        double w0 = 1, w1 = Math.exp(-1);
        assertEquals((w0 * 10 + w1 * 20) / (w0 + w1), a[0], 1e-12);
    }

    @Test
    void resetForgetsPredictions() {
        ActionChunks chunks = new ActionChunks(2, 2, false, 0);
        chunks.put(new double[] {1, 1, 2, 2});
        chunks.reset();
        assertTrue(chunks.needsQuery());
        double[] a = new double[2];
        chunks.put(new double[] {5, 6, 7, 8});
        chunks.next(a);
        assertArrayEquals(new double[] {5, 6}, a);
    }
}
