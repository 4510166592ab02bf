package org.teachlearn.learn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.serve.ModelHistory.Model;

/** Which published models a policy server takes, and which ones it remembers for a rollback. */
class UpdateGateTest {

    @Test
    void acceptingTakesEveryVersionAndRefusingNamesTheParameter() {
        assertNull(new UpdateGate(true, 0).refusal(7));
        assertEquals("~accept_updates is false", new UpdateGate(false, 0).refusal(7));
    }

    @Test
    void aPinTakesOnlyItsVersionWhateverAcceptUpdatesSays() {
        for (boolean accept : new boolean[] {true, false}) {
            UpdateGate g = new UpdateGate(accept, 12);
            assertNull(g.refusal(12));
            assertEquals("~version_pin is 12", g.refusal(13));
            assertEquals("~version_pin is 12", g.refusal(11));
        }
        assertThrows(IllegalArgumentException.class, () -> new UpdateGate(true, -1));
    }

    @Test
    void theSwitchEndsAPinAndNamesWhoTurnedUpdatesOff() {
        UpdateGate g = new UpdateGate(false, 12);
        g.accept(true, "unused");
        assertNull(g.refusal(13));
        assertTrue(g.accepting());
        g.accept(false, "updates are off since policy/rollback");
        assertEquals("updates are off since policy/rollback", g.refusal(12));
        assertEquals(0, g.pin());
    }

    @Test
    void aReDeliveredVersionIsLoggedOnce() {
        UpdateGate g = new UpdateGate(false, 0);
        assertTrue(g.firstRefusal(7));
        assertFalse(g.firstRefusal(7));
        assertTrue(g.firstRefusal(8));
        g.accept(false, "off");
        assertTrue(g.firstRefusal(8));   // a new reason is worth a new line
    }

    @Test
    void aRollbackReturnsToThePreviousAndASecondOneUndoesIt() {
        ModelHistory h = new ModelHistory();
        Model a = new Model(new byte[] {1}, "aa", 6, "file"), b = new Model(new byte[] {2}, "bb", 7, "/policy/model, ppo");
        h.ran(a);
        assertNull(h.previous());
        h.ran(b);
        assertSame(a, h.previous());
        h.ran(h.previous());   // the rollback
        assertSame(a, h.running());
        assertSame(b, h.previous());
        assertTrue(h.isRunning(new Model(new byte[] {1}, "AA", 6, "again")));
        assertFalse(h.isRunning(new Model(new byte[] {1}, "aa", 8, "same file, another version")));
    }
}
