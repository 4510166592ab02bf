package org.teachlearn.web;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the page's binary messages (little-endian float64 values) and checks every value before
 * anything is published. Two kinds:
 *
 * <pre>
 * pose  (160 bytes) [0] 1, [1] seq, [2] sample time ms, [3..5] position m, [6..9] quaternion x y z w,
 *                   [10] flags (1 tracked, 2 position emulated), [11..15] buttons 0/1, [16..19] axes
 * clock (24 bytes)  [0] 2, [1] ping id, [2] the page's clock (ms) when the ping arrived
 * </pre>
 *
 * A message of another size or kind is a protocol error (the client is dropped); a pose frame with a
 * value out of range is refused with the reason (the frame is ignored). Allocates nothing.
 */
public final class FrameDecoder {

    public static final int KIND_POSE = 1, KIND_CLOCK = 2, KIND_PING = 3;
    public static final int POSE_BYTES = 20 * 8, CLOCK_BYTES = 3 * 8, PING_BYTES = 2 * 8;
    /** How far from unit length a quaternion may be and still be renormalised (browsers send float32). */
    public static final double UNIT_TOLERANCE = 1e-3;

    /** What a message was. */
    public enum Kind { POSE, CLOCK, REFUSED, PROTOCOL_ERROR }

    private final double maxPosition;
    private String error;
    private ByteBuffer in;   // the message being decoded
    private int base;
    private boolean swap;
    private long clockPing;
    private double clockMillis;

    /** {@code maxPosition}: the largest |x|, |y| or |z| accepted, in metres (the local-floor origin is at the operator's feet). */
    public FrameDecoder(double maxPosition) {
        this.maxPosition = maxPosition;
    }

    /** Why the last message was refused or a protocol error. */
    public String error() {
        return error;
    }

    /** The ping id of the last clock reply. */
    public long clockPing() {
        return clockPing;
    }

    /** The page's clock (ms) when it got that ping. */
    public double clockMillis() {
        return clockMillis;
    }

    /** Decodes {@code message} (position to limit) into {@code frame} or the clock fields; {@code lastSeq} is the previous frame's. */
    public Kind decode(ByteBuffer message, ControllerFrame frame, long lastSeq) {
        in = message;
        base = message.position();
        swap = message.order() != ByteOrder.LITTLE_ENDIAN;
        int size = message.remaining();
        if (size < 8) return protocol("a message of " + size + " bytes: a pose frame is " + POSE_BYTES + " bytes, a clock reply " + CLOCK_BYTES);
        double kind = at(0);
        if (kind == KIND_POSE && size == POSE_BYTES) return pose(frame, lastSeq);
        if (kind == KIND_CLOCK && size == CLOCK_BYTES) return clock();
        return protocol("a message of " + size + " bytes of kind " + kind + ": a pose frame is kind 1 in "
                + POSE_BYTES + " bytes, a clock reply kind 2 in " + CLOCK_BYTES);
    }

    /** The float64 at byte {@code offset} of the message, little-endian whatever the buffer's order (no view allocated). */
    private double at(int offset) {
        long bits = in.getLong(base + offset);
        return Double.longBitsToDouble(swap ? Long.reverseBytes(bits) : bits);
    }

    private Kind clock() {
        double id = at(8), t = at(16);
        if (!isCount(id) || !Double.isFinite(t)) return refuse("a clock reply with ping id " + id + " and time " + t);
        clockPing = (long) id;
        clockMillis = t;
        return Kind.CLOCK;
    }

    private Kind pose(ControllerFrame f, long lastSeq) {
        double seq = at(8), t = at(16), flags = at(80);
        if (!isCount(seq)) return refuse("frame number " + seq + " is not a whole number >= 0");
        if ((long) seq <= lastSeq) return refuse("frame " + (long) seq + " after frame " + lastSeq + ": frame numbers must increase");
        if (!Double.isFinite(t)) return refuse("frame " + (long) seq + ": sample time " + t);
        if (flags != 0 && flags != 1 && flags != 3) return refuse("frame " + (long) seq + ": flags " + flags + " (0 lost, 1 tracked, 3 tracked with an estimated position)");
        boolean tracked = flags != 0;
        double norm2 = 0;
        for (int i = 0; i < 7; i++) {
            double v = at(24 + 8 * i);
            if (!Double.isFinite(v)) return refuse("frame " + (long) seq + ": " + (i < 3 ? "position" : "orientation") + " holds " + v);
            if (i < 3 && Math.abs(v) > maxPosition) return refuse("frame " + (long) seq + ": position " + v + " m is beyond ~max_position (" + maxPosition + " m) from the tracking origin");
            if (i >= 3) norm2 += v * v;
        }
        double norm = Math.sqrt(norm2);
        if (tracked && Math.abs(norm - 1) > UNIT_TOLERANCE) return refuse("frame " + (long) seq + ": the orientation quaternion has length " + norm + ", not 1");
        for (int i = 0; i < ControllerFrame.BUTTONS; i++) {
            double b = at(88 + 8 * i);
            if (b != 0 && b != 1) return refuse("frame " + (long) seq + ": button " + i + " is " + b + " (0 or 1)");
        }
        for (int i = 0; i < ControllerFrame.AXES; i++) {
            double a = at(128 + 8 * i), low = i < 2 ? 0 : -1;
            if (!(a >= low && a <= 1)) return refuse("frame " + (long) seq + ": axis " + i + " is " + a + " (" + low + "..1)");
        }
        // checked: fill the frame
        f.seq = (long) seq;
        f.sampleMillis = t;
        f.tracked = tracked;
        f.emulatedPosition = flags == 3;
        for (int i = 0; i < 3; i++) f.position[i] = at(24 + 8 * i);
        for (int i = 0; i < 4; i++) f.orientation[i] = tracked ? at(48 + 8 * i) / norm : (i == 3 ? 1 : 0);
        for (int i = 0; i < ControllerFrame.BUTTONS; i++) f.buttons[i] = (int) at(88 + 8 * i);
        for (int i = 0; i < ControllerFrame.AXES; i++) f.axes[i] = (float) at(128 + 8 * i);
        return Kind.POSE;
    }

    private static boolean isCount(double v) {
        return v >= 0 && v <= 9.007199254740992e15 && v == Math.rint(v);
    }

    private Kind refuse(String why) {
        error = why;
        return Kind.REFUSED;
    }

    private Kind protocol(String why) {
        error = why;
        return Kind.PROTOCOL_ERROR;
    }
}
