package org.teachlearn.ros.bag;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * The ROS bag format 2.0 (wiki.ros.org/Bags/Format/2.0): records of a header (length-prefixed
 * {@code name=value} fields, binary values little-endian) and data; op codes; chunk compression.
 * Shared by {@link BagWriter}, {@link BagReader} and {@link BagReindexer}.
 */
final class BagFormat {

    static final byte[] MAGIC = "#ROSBAG V2.0\n".getBytes(StandardCharsets.US_ASCII);
    static final byte OP_MESSAGE = 0x02, OP_BAG_HEADER = 0x03, OP_INDEX = 0x04, OP_CHUNK = 0x05, OP_CHUNK_INFO = 0x06, OP_CONNECTION = 0x07;
    static final int BAG_HEADER_LENGTH = 4096;

    private BagFormat() {
    }

    /** Header fields being built. */
    static final class Fields {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Fields op(byte op) {
            return bytes("op", new byte[] {op});
        }

        Fields int32(String name, int v) {
            return bytes(name, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Fields int64(String name, long v) {
            return bytes(name, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Fields time(String name, long nanos) {
            return bytes(name, timeBytes(nanos));
        }

        Fields string(String name, String v) {
            return bytes(name, v.getBytes(StandardCharsets.UTF_8));
        }

        Fields bytes(String name, byte[] value) {
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            int len = n.length + 1 + value.length;
            out.write(len & 0xff);
            out.write((len >>> 8) & 0xff);
            out.write((len >>> 16) & 0xff);
            out.write((len >>> 24) & 0xff);
            out.writeBytes(n);
            out.write('=');
            out.writeBytes(value);
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /**
     * Checks that {@code bag} starts as a version 2.0 bag does; the error says what the file is
     * instead (missing, empty, another bag version, not a bag).
     */
    static void checkMagic(java.nio.file.Path bag) throws IOException {
        if (!java.nio.file.Files.isRegularFile(bag)) {
            throw new BagException(bag + (java.nio.file.Files.exists(bag) ? " is not a file" : ": no such file"));
        }
        byte[] start;
        try (InputStream in = java.nio.file.Files.newInputStream(bag)) {
            start = in.readNBytes(MAGIC.length);
        }
        if (java.util.Arrays.equals(start, MAGIC)) return;
        if (start.length == 0) throw new BagException(bag + " is empty, not a ROS bag");
        String text = new String(start, StandardCharsets.ISO_8859_1);
        if (text.startsWith("#ROSBAG V") && text.endsWith("\n")) {
            throw new BagException(bag + " is a ROS bag of version " + text.substring(9).trim()
                    + "; only version 2.0 (what rosbag has written since ROS C Turtle) is supported");
        }
        throw new BagException(bag + " is not a ROS bag (it does not start with '#ROSBAG V2.0')");
    }

    /** A whole record: header length, header, data length, data. */
    static byte[] record(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length).put(header)
                .putInt(data.length).put(data).array();
    }

    /** The index record of one connection in a chunk: (time, offset in the uncompressed chunk) per message. */
    static byte[] indexRecord(int conn, List<long[]> entries) {
        byte[] h = new Fields().op(OP_INDEX).int32("ver", 1).int32("conn", conn).int32("count", entries.size()).toBytes();
        ByteBuffer d = ByteBuffer.allocate(12 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] e : entries) d.put(timeBytes(e[0])).putInt((int) e[1]);
        return record(h, d.array());
    }

    /** {@link #chunkInfoRecord(long, long, long, Map)} from the writer's arrays: {@code n} connections and their message counts. */
    static byte[] chunkInfoRecord(long chunkPos, long start, long end, int[] conns, int[] counts, int n) {
        byte[] h = new Fields().op(OP_CHUNK_INFO).int32("ver", 1).int64("chunk_pos", chunkPos)
                .time("start_time", start == Long.MAX_VALUE ? 0 : start).time("end_time", end == Long.MIN_VALUE ? 0 : end)
                .int32("count", n).toBytes();
        ByteBuffer d = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) d.putInt(conns[i]).putInt(counts[conns[i]]);
        return record(h, d.array());
    }

    /** The chunk-info record of the index section: where a chunk is, its time span, messages per connection. */
    static byte[] chunkInfoRecord(long chunkPos, long start, long end, Map<Integer, ? extends List<?>> byConnection) {
        byte[] h = new Fields().op(OP_CHUNK_INFO).int32("ver", 1).int64("chunk_pos", chunkPos)
                .time("start_time", start == Long.MAX_VALUE ? 0 : start).time("end_time", end == Long.MIN_VALUE ? 0 : end)
                .int32("count", byConnection.size()).toBytes();
        ByteBuffer d = ByteBuffer.allocate(8 * byConnection.size()).order(ByteOrder.LITTLE_ENDIAN);
        byConnection.forEach((conn, entries) -> d.putInt(conn).putInt(entries.size()));
        return record(h, d.array());
    }

    /** ROS time (uint32 secs, uint32 nsecs) of nanoseconds since the epoch. */
    static byte[] timeBytes(long nanos) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (nanos / 1_000_000_000L))
                .putInt((int) (nanos % 1_000_000_000L)).array();
    }

    static long readTime(ByteBuffer b) {
        long secs = b.getInt() & 0xffffffffL, nsecs = b.getInt() & 0xffffffffL;
        return secs * 1_000_000_000L + nsecs;
    }

    /** Parses header fields; values are raw bytes. Throws on a malformed header. */
    static Map<String, byte[]> parseFields(ByteBuffer header) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        ByteBuffer b = header.slice().order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() > 0) {
            if (b.remaining() < 4) throw new BagException("truncated record header field length");
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) throw new BagException("record header field of " + len + " bytes overruns its header");
            byte[] field = new byte[len];
            b.get(field);
            int eq = 0;
            while (eq < len && field[eq] != '=') eq++;
            if (eq == len) throw new BagException("record header field without '='");
            fields.put(new String(field, 0, eq, StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(field, eq + 1, len));
        }
        return fields;
    }

    static int int32(Map<String, byte[]> f, String name) {
        return ByteBuffer.wrap(required(f, name)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static long int64(Map<String, byte[]> f, String name) {
        return ByteBuffer.wrap(required(f, name)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static long time(Map<String, byte[]> f, String name) {
        return readTime(ByteBuffer.wrap(required(f, name)).order(ByteOrder.LITTLE_ENDIAN));
    }

    static String string(Map<String, byte[]> f, String name) {
        return new String(required(f, name), StandardCharsets.UTF_8);
    }

    static byte op(Map<String, byte[]> f) {
        byte[] v = required(f, "op");
        if (v.length != 1) throw new BagException("op field of " + v.length + " bytes");
        return v[0];
    }

    private static byte[] required(Map<String, byte[]> f, String name) {
        byte[] v = f.get(name);
        if (v == null) throw new BagException("record header lacks field '" + name + "' (has " + f.keySet() + ")");
        return v;
    }

    /** A chunk's data compressed as {@code compression} says; LZ4 through {@link Lz4Frames}, the one LZ4 writer. */
    static byte[] compress(String compression, byte[] data, int length) throws IOException {
        if (compression.equals("none")) return java.util.Arrays.copyOf(data, length);
        if (compression.equals("lz4")) return new Lz4Frames().compress(data, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 64);
        try (OutputStream c = new BZip2CompressorOutputStream(out)) {
            c.write(data, 0, length);
        }
        return out.toByteArray();
    }

    static byte[] decompress(String compression, byte[] data, int size) throws IOException {
        if (compression.equals("none")) return data;
        InputStream in = switch (compression) {
            case "bz2" -> new BZip2CompressorInputStream(new ByteArrayInputStream(data));
            case "lz4" -> new FramedLZ4CompressorInputStream(new ByteArrayInputStream(data));
            default -> throw new BagException("unknown chunk compression '" + compression + "' (bags use none, bz2, lz4)");
        };
        try (in) {
            byte[] out = in.readNBytes(size);
            if (out.length != size) throw new BagException("chunk decompressed to " + out.length + " bytes, its header says " + size);
            return out;
        }
    }
}
