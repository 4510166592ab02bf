package org.teachlearn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClockSyncTest {

    @Test
    void offsetIsTakenFromTheShortestRoundTrip() {
        ClockSync c = new ClockSync();
        long pageZero = 5_000_000_000L;   // the page's clock reads 0 at server time 5 s
        assertFalse(c.synced());
        // a slow answer: 40 ms out, 2 ms back
        long id = c.ping(6_000_000_000L);
        assertTrue(c.answer(id, (6_040_000_000L - pageZero) / 1e6, 6_042_000_000L));
        // a quick one: 1 ms each way
        id = c.ping(7_000_000_000L);
        assertTrue(c.answer(id, (7_001_000_000L - pageZero) / 1e6, 7_002_000_000L));
        assertEquals(1_000_000L, c.uncertaintyNanos());
        assertEquals(8_000_000_000L, c.toNanoTime((8_000_000_000L - pageZero) / 1e6), 1_000);
        assertFalse(c.answer(id, 0, 0), "one answer per ping");
        // many slow answers later do not displace the quick one until it has aged (100 ppm: 1 ms after 10 s)
        for (int i = 0; i < 20; i++) {
            long sent = 8_000_000_000L + i * 200_000_000L;
            id = c.ping(sent);
            c.answer(id, (sent + 400_000_000L - pageZero) / 1e6, sent + 440_000_000L);   // 400 ms to the page, 40 ms back
        }
        assertEquals(8_000_000_000L, c.toNanoTime((8_000_000_000L - pageZero) / 1e6), 1_000);
        assertFalse(c.answer(99, 0, 0), "never sent");
    }
}
