package org.teachlearn.learn.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterventionRunsTest {

    /** One joint and a gripper; the observation is [position, goal]; rows 1-4 are the person's, the arm moving 0.1 a step. */
    @Test
    void aRunIsLabelledByThePositionLookaheadStepsLaterOnceItEnds() {
        int n = 6;
        float[] obs = new float[2 * n], next = new float[2 * n], expert = new float[2 * n];
        byte[] intervention = {0, 1, 1, 1, 1, 0};
        for (int r = 0; r < n; r++) {
            obs[2 * r] = 0.1f * r;
            next[2 * r] = 0.1f * (r + 1);
            expert[2 * r] = 0.1f * r + 0.01f;   // a servo command just ahead of the arm
            expert[2 * r + 1] = 0.03f;
        }
        Batch b = new Batch("w", "reach", 1, 2, 2, obs, new float[2 * n], new float[n], new float[n], next, new byte[n], expert, new int[n],
                intervention);
        List<double[]> labels = new ArrayList<>();
        InterventionRuns runs = new InterventionRuns(2, 2, 1, 2, 100);
        for (int r = 0; r < n - 1; r++) runs.row(b, r, (o, l) -> labels.add(l.clone()));
        assertEquals(4, runs.pending(), "the run waits for its end");
        runs.row(b, n - 1, (o, l) -> labels.add(l.clone()));
        assertEquals(0, runs.pending());
        assertEquals(4, labels.size());
        double[] want = {0.3, 0.4, 0.5, 0.5};   // two steps ahead; beyond the run its last position (row 4's next)
        for (int i = 0; i < 4; i++) assertArrayEquals(new double[] {want[i], 0.03}, labels.get(i), 1e-6, "row " + (i + 1));
    }
}
