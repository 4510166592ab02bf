package org.teachlearn.ros.bag;

import java.util.Arrays;
import org.apache.commons.compress.compressors.lz4.XXHash32;

/**
 * Compresses bag chunks as LZ4 frames (the format rosbag's roslz4 reads: 4 MB independent blocks,
 * content checksum) with a greedy single-probe LZ4 block compressor that skips ahead faster the
 * longer it finds no match. A recorder compresses on the message path, so speed matters more than
 * the last percent: commons-compress's LZ4 needs 150–250 ms for one 640x480 RGB frame, too slow
 * for a 30 Hz camera; this needs a few milliseconds and stores what does not compress as it is.
 * One per writer (its hash table is reused); not thread-safe.
 */
final class Lz4Frames {

    private static final int MAGIC = 0x184D2204;
    private static final int BLOCK = 4 << 20;
    private static final int MIN_MATCH = 4, LAST_LITERALS = 5, MATCH_LIMIT = 12, MAX_OFFSET = 65535;
    private static final int HASH_BITS = 16;

    private final int[] table = new int[1 << HASH_BITS];

    /** The LZ4 frame of {@code data[0, length)}. */
    byte[] compress(byte[] data, int length) {
        byte[] out = new byte[7 + length + length / 255 + 16 * (length / BLOCK + 1) + 8];
        int o = putInt(out, 0, MAGIC);
        out[o++] = 0x64;   // version 01, blocks independent, no block checksum, content checksum
        out[o++] = 0x70;   // 4 MB blocks
        XXHash32 h = new XXHash32();
        h.update(out, 4, 2);
        out[o++] = (byte) (h.getValue() >>> 8);
        for (int start = 0; start < length; start += BLOCK) {
            int n = Math.min(BLOCK, length - start);
            int size = compressBlock(data, start, n, out, o + 4);
            if (size < 0 || size >= n) {   // stored as it is: high bit of the size
                putInt(out, o, n | 0x80000000);
                System.arraycopy(data, start, out, o + 4, n);
                o += 4 + n;
            } else {
                putInt(out, o, size);
                o += 4 + size;
            }
        }
        o = putInt(out, o, 0);   // end mark
        XXHash32 content = new XXHash32();
        content.update(data, 0, length);
        o = putInt(out, o, (int) content.getValue());
        return Arrays.copyOf(out, o);
    }

    /** One LZ4 block of src[start, start+n) into dst at {@code at}; its size, or -1 when it would not fit in n bytes. */
    private int compressBlock(byte[] src, int start, int n, byte[] dst, int at) {
        int end = start + n, o = at, limit = at + n;
        int anchor = start, ip = start;
        int matchStartLimit = end - MATCH_LIMIT, matchEndLimit = end - LAST_LITERALS;
        Arrays.fill(table, -1);
        while (ip < matchStartLimit) {
            int seq = readInt(src, ip);
            int hash = (seq * -1640531535) >>> (32 - HASH_BITS);
            int ref = table[hash];
            table[hash] = ip;
            if (ref < 0 || ip - ref > MAX_OFFSET || readInt(src, ref) != seq) {
                ip += 1 + ((ip - anchor) >>> 6);
                continue;
            }
            int len = MIN_MATCH;
            while (ip + len < matchEndLimit && src[ref + len] == src[ip + len]) len++;
            o = sequence(src, anchor, ip - anchor, dst, o, limit, ip - ref, len);
            if (o < 0) return -1;
            ip += len;
            anchor = ip;
        }
        o = sequence(src, anchor, end - anchor, dst, o, limit, 0, 0);
        return o < 0 ? -1 : o - at;
    }

    /** Writes literals and, unless {@code matchLength} is 0 (the block's last sequence), a match; the next output position or -1. */
    private static int sequence(byte[] src, int literalsAt, int literals, byte[] dst, int o, int limit, int offset, int matchLength) {
        if (o + 1 + literals / 255 + 1 + literals + 2 + matchLength / 255 + 1 > limit) return -1;
        int token = o++;
        int ml = matchLength == 0 ? 0 : matchLength - MIN_MATCH;
        dst[token] = (byte) ((Math.min(literals, 15) << 4) | Math.min(ml, 15));
        if (literals >= 15) o = length(dst, o, literals - 15);
        System.arraycopy(src, literalsAt, dst, o, literals);
        o += literals;
        if (matchLength == 0) return o;
        dst[o++] = (byte) offset;
        dst[o++] = (byte) (offset >>> 8);
        if (ml >= 15) o = length(dst, o, ml - 15);
        return o;
    }

    private static int length(byte[] dst, int o, int rest) {
        for (; rest >= 255; rest -= 255) dst[o++] = (byte) 255;
        dst[o++] = (byte) rest;
        return o;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static int putInt(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
        return i + 4;
    }
}
