package org.teachlearn.learn.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TickLabelsTest {

    @Test
    void largeCountsReadAsThousandsAndMillions() {
        assertEquals("10.2k", TickLabels.compact(1.02e4));
        assertEquals("200k", TickLabels.compact(200_000));
        assertEquals("1.5M", TickLabels.compact(1_500_000));
        assertEquals("950", TickLabels.compact(950));
    }

    @Test
    void smallNumbersLoseTrailingZeros() {
        assertEquals("0", TickLabels.compact(0));
        assertEquals("0.5", TickLabels.compact(0.5));
        assertEquals("0.025", TickLabels.compact(0.025));
        assertEquals("-4", TickLabels.compact(-4.0));
        assertEquals("-12.5", TickLabels.compact(-12.5));
    }

    @Test
    void seedSpreadIsMeanLowestAndHighestOnTheFirstRunsSteps() {
        Curve a = new Curve(new double[] {0, 10, 20}, new double[] {0, 40, 80});
        Curve b = new Curve(new double[] {0, 5, 20}, new double[] {0, 40, 100}); // at 10: 40 + (100 - 40) / 3 = 60
        SeedSpread s = SeedSpread.of(List.of(a, b));
        assertArrayEquals(new double[] {0, 10, 20}, s.x());
        assertArrayEquals(new double[] {0, 50, 90}, s.mean(), 1e-9);
        assertArrayEquals(new double[] {0, 40, 80}, s.low(), 1e-9);
        assertArrayEquals(new double[] {0, 60, 100}, s.high(), 1e-9);
    }
}
