package org.teachlearn.learn.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerEvaluationTest {

    /** One episode's rows: {@code steps} rows of reward 0 then the end (done, last reward); sampled = finite log-probabilities. */
    static Batch episode(String worker, long version, int id, int steps, byte done, float lastReward, boolean sampled, boolean person) {
        float[] logProb = new float[steps], reward = new float[steps];
        byte[] doneRow = new byte[steps], intervention = new byte[steps];
        int[] episode = new int[steps];
        for (int r = 0; r < steps; r++) {
            logProb[r] = sampled ? -1.5f : Float.NaN;
            episode[r] = id;
            intervention[r] = (byte) (person && r == steps / 2 ? 1 : 0);
        }
        reward[steps - 1] = lastReward;
        doneRow[steps - 1] = done;
        return new Batch(worker, "reach", version, 1, 1, new float[steps], new float[steps], logProb, reward, new float[steps], doneRow,
                new float[0], episode, intervention);
    }

    static Batch success(String worker, long version, int id) {
        return episode(worker, version, id, 4, (byte) 1, 10f, false, false);
    }

    @Test
    void countsWholeMeanActionEpisodesOfTheVersionAfterEachWorkersFirst() {
        WorkerEvaluation e = new WorkerEvaluation(6, 3);
        e.add(success("/a", 6, 10));   // may have begun before the switch: left out
        e.add(success("/b", 6, 40));
        assertEquals(0, e.result().episodes());
        e.add(episode("/a", 6, 11, 4, (byte) 1, 10f, true, false));   // sampled: not the mean action
        e.add(success("/a", 5, 12));                                  // another version
        e.add(episode("/a", 6, 13, 4, (byte) 1, 10f, false, true));  // a person took over
        assertEquals(0, e.result().episodes());
        assertEquals(1, e.result().takenOver());
        e.add(success("/a", 6, 14));
        e.add(episode("/b", 6, 41, 4, (byte) 2, 0f, false, false));   // truncated: a failure
        assertFalse(e.finished());
        e.add(episode("/b", 6, 42, 4, (byte) 1, -5f, false, false));  // terminal with a penalty: a failure
        assertTrue(e.finished());
        e.add(success("/b", 6, 43));   // past the episodes asked for: not counted
        WorkerEvaluation.Result r = e.result();
        assertEquals(3, r.episodes());
        assertEquals(1, r.successes());
        assertEquals(2, r.workers());
        assertEquals(6, r.version());
        assertEquals((10 + 0 - 5) / 3.0, r.meanReturn(), 1e-9);
    }

    @Test
    void anEpisodeSplitOverBatchesCountsOnceItEnds() {
        WorkerEvaluation e = new WorkerEvaluation(1, 1);
        e.add(success("/a", 1, 1));
        Batch head = episode("/a", 1, 2, 3, (byte) 0, 0f, false, false);
        e.add(head);
        assertEquals(0, e.result().episodes());
        e.add(success("/a", 1, 2));
        assertEquals(1, e.result().episodes());
        assertEquals(1.0, e.result().successRate());
    }

    @Test
    void atLeastOneEpisode() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerEvaluation(1, 0));
        assertTrue(Double.isNaN(new WorkerEvaluation(1, 1).result().successRate()));
    }
}
