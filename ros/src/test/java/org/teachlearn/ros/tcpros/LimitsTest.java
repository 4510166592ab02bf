package org.teachlearn.ros.tcpros;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void capsFitA128MegabyteHeap() {
        Limits l = Limits.forHeap(128L << 20);
        assertEquals(16 << 20, l.maxMessageBytes());
        assertEquals(256 << 10, l.maxHeaderBytes());
        assertEquals(5_000, l.handshakeMillis());
    }

    @Test
    void aTopicCanHaveALargerCapInCodeOrByProperty() {
        Limits l = Limits.forHeap(128L << 20).withMessageCap("/policy/model", 48 << 20);
        assertEquals(48 << 20, l.messageCapFor("/policy/model"));
        assertEquals(16 << 20, l.messageCapFor("/joint_states"));
        System.setProperty(Limits.MESSAGE_CAP_PROPERTY + "./camera/image", "32M");
        try {
            assertEquals(32 << 20, l.messageCapFor("/camera/image"));
        } finally {
            System.clearProperty(Limits.MESSAGE_CAP_PROPERTY + "./camera/image");
        }
        System.setProperty(Limits.MESSAGE_CAP_PROPERTY + "./bad", "lots");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.messageCapFor("/bad"));
            assertTrue(e.getMessage().contains("64M"), e.getMessage());
        } finally {
            System.clearProperty(Limits.MESSAGE_CAP_PROPERTY + "./bad");
        }
    }

    @Test
    void budgetRefusesWhatDoesNotFitAndTakesBackWhatIsReleased() {
        ByteBudget b = new ByteBudget(100);
        assertTrue(b.tryReserve(60));
        assertFalse(b.tryReserve(41), "over the budget: nothing taken");
        assertEquals(60, b.used());
        b.release(60);
        assertTrue(b.tryReserve(100));
    }
}
