package org.teachlearn.learn.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The intake's bounds and turns: a flooding worker is cut off at its bound and delays the others by one batch at most. */
class IntakeTest {

    static Batch from(String worker) {
        return from(worker, 0);
    }

    /** Batch {@code i} of {@code worker}: each one other transitions. */
    static Batch from(String worker, int i) {
        return BatchCheckTest.with(f -> {
            f.worker = worker;
            f.reward[0] = i;
            return f;
        });
    }

    @Test
    void aFloodIsCutAtTheWorkersBoundAndTheOthersTakeTurns() throws Exception {
        Intake intake = new Intake(3 * BatchCheckTest.N);
        List<String> joined = new ArrayList<>();
        int queued = 0;
        for (int i = 0; i < 100; i++) if (intake.offer(from("/evil", i), 0, joined) == null) queued++;
        assertEquals(3, queued, "three batches of the flood fit");
        String dropped = intake.offer(from("/evil", 100), 0, joined);
        assertNotNull(dropped);
        assertTrue(dropped.contains("the worker floods: 12 transitions from it already wait (at most 12"), dropped);
        assertNull(intake.offer(from("/good"), 0, joined), "another worker is not held back by the flood");
        assertEquals(List.of("/evil", "/good"), joined);
        assertEquals("/evil", intake.take(0).worker);
        assertEquals("/good", intake.take(0).worker, "the good worker's batch comes next, not after the flood");
        assertEquals("/evil", intake.take(0).worker);
        assertEquals(98, intake.worker("/evil").flooded);
        assertEquals(98, intake.flooded());
        assertEquals(3 * BatchCheckTest.N, intake.worker("/evil").peakPendingRows);
        assertEquals(4 * BatchCheckTest.N, intake.peakPendingRows());
    }

    @Test
    void allWorkersTogetherStayWithinTheTotalBound() {
        Intake intake = new Intake(2 * BatchCheckTest.N, 3 * BatchCheckTest.N);
        assertNull(intake.offer(from("/a", 1), 0, null));
        assertNull(intake.offer(from("/b", 1), 0, null));
        assertNull(intake.offer(from("/c", 1), 0, null));
        String dropped = intake.offer(from("/d", 1), 0, null);
        assertNotNull(dropped);
        assertTrue(dropped.contains("the workers flood: 12 transitions from all of them already wait (at most 12)"), dropped);
        assertEquals(3 * BatchCheckTest.N, intake.peakPendingRows());
    }

    @Test
    void aBatchLargerThanTheBoundIsSaidToBe() {
        Intake intake = new Intake(BatchCheckTest.N - 1);
        String dropped = intake.offer(from("/w"), 0, null);
        assertNotNull(dropped);
        assertTrue(dropped.contains("4 transitions in one batch, more than a worker may have waiting (~max_pending_rows 3)"), dropped);
    }

    @Test
    void queuedBatchesAreCopiesSoTheSenderMayReuseItsArrays() throws Exception {
        Intake intake = new Intake(100);
        Batch view = from("/w");
        assertNull(intake.offer(view, 0, null));
        view.reward[0] = 99;
        assertEquals(0f, intake.take(0).reward[0]);
    }

    @Test
    void aReplayedBatchIsDroppedOnceItsWorkerSentIt() throws Exception {
        Intake intake = new Intake(1000);
        assertNull(intake.offer(from("/w", 1), 0, null));
        intake.take(0);
        String again = intake.offer(from("/w", 1), 0, null);
        assertNotNull(again, "the same transitions again");
        assertTrue(again.contains("the worker replays"), again);
        assertNull(intake.offer(from("/other", 1), 0, null), "the same rows from another worker are its own");
        for (int i = 2; i < 2 + Intake.REMEMBERED; i++) {
            assertNull(intake.offer(from("/w", i), 0, null));
            intake.take(0);
        }
        assertNull(intake.offer(from("/w", 1), 0, null), "only the last " + Intake.REMEMBERED + " batches are remembered");
        assertEquals(1, intake.worker("/w").replayed);
        assertEquals(1, intake.replayed());
    }

    @Test
    void aFullBookForgetsSilentWorkersToLetNewOnesJoin() throws Exception {
        Intake intake = new Intake(100);
        for (int i = 0; i < Intake.MAX_WORKERS; i++) {
            assertNull(intake.offer(from("/w" + i), 0, null));
            intake.take(0);
        }
        assertTrue(intake.offer(from("/late"), 1, null).contains("already follows 1024 workers"));
        assertEquals(Intake.MAX_WORKERS, intake.newlySilent(10_000_000_000L, 1_000_000_000L).size());
        assertNull(intake.offer(from("/late"), 10_000_000_000L, null), "silent workers made room");
        assertNull(intake.worker("/w0"));
    }
}
