package org.teachlearn.learn.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker reported silent is reported once, and its next batch says it is back and how long it was gone. */
class IntakeSilenceTest {

    private static final long S = 1_000_000_000L;

    private static int sent;

    /** A batch of new transitions (its reward differs from every earlier one's: a replay would be dropped). */
    private static Batch batch(String worker, int rows) {
        float[] reward = new float[rows];
        java.util.Arrays.fill(reward, ++sent);
        return new Batch(worker, "reach", 1, 1, 1, new float[rows], new float[rows], new float[rows], reward, new float[rows],
                new byte[rows], new float[0], new int[rows], new byte[rows]);
    }

    @Test
    void aSilentWorkerIsReportedOnceAndItsReturnWithTheSilence() throws Exception {
        Intake in = new Intake(1000);
        List<String> joined = new ArrayList<>();
        Map<String, Double> back = new HashMap<>();
        assertNull(in.offer(batch("a", 4), 0, joined, back));
        assertNull(in.offer(batch("b", 4), 0, joined, back));
        assertEquals(List.of("a", "b"), joined);
        assertNull(in.offer(batch("b", 4), 6 * S, joined, back));
        assertTrue(back.isEmpty(), "nobody was silent yet: " + back);
        assertEquals(List.of("a"), in.newlySilent(6 * S, 5 * S).stream().map(w -> w.name).toList());
        assertTrue(in.newlySilent(7 * S, 5 * S).isEmpty(), "reported once per silence");
        assertEquals(1, in.active());
        assertNull(in.offer(batch("a", 4), 9 * S, joined, back));
        assertEquals(Map.of("a", 9.0), back);
        assertEquals(2, in.active());
        assertEquals(List.of("a", "b"), joined, "a return is no second join");
    }
}
