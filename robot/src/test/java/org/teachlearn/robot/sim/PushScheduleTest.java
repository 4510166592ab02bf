package org.teachlearn.robot.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pushes are drawn from the episode's seed: the same seed, the same pushes, wherever the episode runs. */
class PushScheduleTest {

    static final Pushes REACH = Pushes.reach("arm_link5");

    @Test
    void theSameSeedDrawsTheSamePushesAndAnotherSeedOthers() {
        int[] s1 = new int[2], s2 = new int[2], s3 = new int[2];
        double[] f1 = new double[6], f2 = new double[6], f3 = new double[6];
        REACH.draw(new SplittableRandom(~7L), 300, s1, f1);
        REACH.draw(new SplittableRandom(~7L), 300, s2, f2);
        REACH.draw(new SplittableRandom(~8L), 300, s3, f3);
        assertArrayEquals(s1, s2);
        assertArrayEquals(f1, f2);
        assertFalse(java.util.Arrays.equals(f1, f3));
        for (int p = 0; p < 2; p++) {
            assertTrue(s1[p] >= 0 && s1[p] < 150, "in the first half of the episode");
            assertEquals(40, Math.hypot(Math.hypot(f1[3 * p], f1[3 * p + 1]), f1[3 * p + 2]), 1e-6, "40 N");
        }
    }

    @Test
    void aPushLastsAQuarterSecondOfControlPeriods() {
        assertEquals(25, REACH.durationSteps(0.01));
        assertEquals(5, REACH.durationSteps(0.05));
        assertFalse(Pushes.NONE.any());
    }
}
