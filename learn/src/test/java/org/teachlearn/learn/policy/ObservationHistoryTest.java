package org.teachlearn.learn.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The frames a history policy sees: newest first, S periods apart, the first repeated before it; alike live and recorded. */
class ObservationHistoryTest {

    @Test
    void framesAreNewestFirstStridedAndTheFirstObservationFillsTheTimeBeforeIt() {
        ObservationHistory h = new ObservationHistory(2, 3, 2);
        double[] out = new double[6];
        h.push(new double[] {0, 0.5}, 0);
        h.stacked(out, 0);
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5, 0, 0.5}, out, "step 0: the first observation in every frame");
        for (int t = 1; t <= 5; t++) h.push(new double[] {t, t + 0.5}, 0);
        h.stacked(out, 0);
        assertArrayEquals(new double[] {5, 5.5, 3, 3.5, 1, 1.5}, out, "step 5: steps 5, 3, 1");
        h.reset();
        h.push(new double[] {9, 9}, 0);
        h.stacked(out, 0);
        assertArrayEquals(new double[] {9, 9, 9, 9, 9, 9}, out, "a new episode forgets the last");
    }

    @Test
    void aRunningEpisodesStackIsTheRecordedOnesStepForStep() {
        int od = 3, frames = 4, stride = 3, steps = 40;
        double[] episode = new double[steps * od];
        for (int i = 0; i < episode.length; i++) episode[i] = Math.sin(i * 0.37);
        ObservationHistory live = new ObservationHistory(od, frames, stride);
        double[] a = new double[frames * od], b = new double[frames * od];
        for (int t = 0; t < steps; t++) {
            live.push(episode, t * od);
            live.stacked(a, 0);
            ObservationHistory.stack(episode, t, od, frames, stride, b, 0);
            assertArrayEquals(b, a, "step " + t);
        }
    }

    @Test
    void aHistoryOfNothingIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ObservationHistory(3, 0, 1)).getMessage().contains("--history must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ObservationHistory(3, 2, 0)).getMessage()
                .contains("--history-stride must be at least 1"));
        assertThrows(IllegalStateException.class, () -> new ObservationHistory(3, 2, 1).stacked(new double[6], 0));
    }
}
