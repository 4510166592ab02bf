package org.teachlearn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    static final double[] HOME = {0.1, 1.0, -0.4}, UPRIGHT = {0, 0, 0, 1};

    @Test
    void aPoseFrameFillsTheFrame() {
        FrameDecoder d = new FrameDecoder(5);
        ControllerFrame f = new ControllerFrame();
        ByteBuffer m = TestBrowser.pose(3, 1234.5, HOME, new double[] {0, Math.sqrt(0.5), 0, Math.sqrt(0.5)}, new int[] {1, 0, 1, 0, 0}, new double[] {0.7, 1, -0.5, 0.25});
        assertEquals(FrameDecoder.Kind.POSE, d.decode(m, f, 2));
        assertEquals(3, f.seq);
        assertEquals(1234.5, f.sampleMillis);
        assertTrue(f.tracked);
        assertEquals(-0.4, f.position[2]);
        assertEquals(Math.sqrt(0.5), f.orientation[3], 1e-15);
        assertEquals(1, f.buttons[ControllerFrame.BUTTON_B]);
        assertEquals(-0.5f, f.axes[ControllerFrame.AXIS_STICK_X]);
        assertEquals(0, m.position(), "the message is read, not consumed");
    }

    @Test
    void anUntrackedFrameKeepsItsButtonsAndNoOrientation() {
        FrameDecoder d = new FrameDecoder(5);
        ControllerFrame f = new ControllerFrame();
        ByteBuffer m = TestBrowser.pose(0, 1, new double[3], new double[4], new int[] {0, 1, 0, 0, 0}, new double[4]);
        m.order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(80, 0);   // flags: lost
        assertEquals(FrameDecoder.Kind.POSE, d.decode(m, f, -1), d.error());
        assertEquals(false, f.tracked);
        assertEquals(1, f.orientation[3]);
        assertEquals(1, f.buttons[ControllerFrame.BUTTON_A]);
    }

    @Test
    void decodingAllocatesNothing() {
        FrameDecoder d = new FrameDecoder(5);
        ControllerFrame f = new ControllerFrame();
        ByteBuffer m = ByteBuffer.allocateDirect(FrameDecoder.POSE_BYTES).put(TestBrowser.pose(0, 1, HOME, UPRIGHT, new int[5], new double[4])).flip();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long quietest = Long.MAX_VALUE;
        for (int window = 0; window < 8; window++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) d.decode(m, f, -1);
            quietest = Math.min(quietest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, quietest, "bytes allocated over 100,000 frames in the quietest window");
    }
}
