package org.teachlearn.ros.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/** Serialisation helpers shared by the generated message classes. */
public final class Wire {

    public static final byte[] EMPTY_BYTES = {};
    public static final short[] EMPTY_SHORTS = {};
    public static final int[] EMPTY_INTS = {};
    public static final long[] EMPTY_LONGS = {};
    public static final float[] EMPTY_FLOATS = {};
    public static final double[] EMPTY_DOUBLES = {};
    public static final boolean[] EMPTY_BOOLEANS = {};

    private Wire() {
    }

    /** UTF-8 length of a string without encoding it. */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2;
                i++;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    public static void writeString(ByteBuffer b, String s) {
        int start = b.position();
        b.putInt(0);
        int n = s.length();
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) break;
            b.put((byte) c);
        }
        if (i < n) {
            // Rare non-ASCII tail: the encoder allocates, which only costs where text needs it.
            b.put(s.substring(i).getBytes(StandardCharsets.UTF_8));
        }
        b.putInt(start, b.position() - start - 4);
    }

    /**
     * Reads a string, returning {@code current} itself when the bytes spell it, so a stream of
     * the same names or frame ids does not allocate.
     */
    public static String readString(ByteBuffer b, String current) {
        int n = readLength(b, 1);
        int pos = b.position();
        if (current.length() == n && asciiEquals(b, pos, current)) {
            b.position(pos + n);
            return current;
        }
        String s;
        if (b.hasArray()) {
            s = new String(b.array(), b.arrayOffset() + pos, n, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[n];
            b.get(pos, bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        b.position(pos + n);
        return s;
    }

    private static boolean asciiEquals(ByteBuffer b, int pos, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || b.get(pos + i) != (byte) c) return false;
        }
        return true;
    }

    /**
     * Reads an array or string length and checks it against what is left in the buffer, so a
     * corrupt or hostile length never makes us allocate more than the message itself holds.
     */
    public static int readLength(ByteBuffer b, int minElementSize) {
        int n = b.getInt();
        if (n < 0 || (long) n * minElementSize > b.remaining()) {
            throw new MessageFormatException("length " + (n & 0xffffffffL) + " at byte " + (b.position() - 4)
                    + " exceeds the " + b.remaining() + " bytes left in the message");
        }
        return n;
    }

    public static void checkFixedLength(int actual, int expected, String field) {
        if (actual != expected) {
            throw new IllegalArgumentException("field '" + field + "' is a fixed array of " + expected
                    + " elements but holds " + actual);
        }
    }

    public static <T> T[] filled(T[] array, Supplier<T> factory) {
        for (int i = 0; i < array.length; i++) array[i] = factory.get();
        return array;
    }

    /** Resizes an array of objects, keeping existing elements for reuse and making new ones. */
    public static <T> T[] resized(T[] array, int n, Supplier<T> factory) {
        T[] out = Arrays.copyOf(array, n);
        for (int i = array.length; i < n; i++) out[i] = factory.get();
        return out;
    }
}
