package org.teachlearn.ros.bag;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether bytes look like a bag record, strictly enough that a scan through a damaged bag
 * can tell a real record from garbage: header field names of plain ASCII, an op code the format
 * knows, the fields that op requires with their exact sizes, data lengths that agree with them.
 * {@link BagReindexer} scans with it; a chunk is only real once its contents also parse
 * ({@link #chunkContents}).
 */
final class RecordCheck {

    /** Headers are a few fields of names and ids; anything longer is garbage, not a header. */
    static final int MAX_HEADER = 1 << 20;
    /** A chunk is at most a few MB when written; 1 GiB is far beyond any recorder's setting. */
    static final int MAX_CHUNK_SIZE = 1 << 30;

    private RecordCheck() {
    }

    /** The header's fields if they are well formed, else null. */
    static Map<String, byte[]> fields(ByteBuffer header) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        ByteBuffer b = header.slice().order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() > 0) {
            if (b.remaining() < 4) return null;
            int len = b.getInt();
            if (len < 2 || len > b.remaining()) return null;
            int start = b.position(), eq = -1;
            for (int i = 0; i < len; i++) {
                byte c = b.get(start + i);
                if (c == '=') {
                    eq = i;
                    break;
                }
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) return null;
            }
            if (eq < 1) return null;
            byte[] name = new byte[eq], value = new byte[len - eq - 1];
            b.get(start, name);
            b.get(start + eq + 1, value);
            b.position(start + len);
            if (fields.put(new String(name, java.nio.charset.StandardCharsets.US_ASCII), value) != null) return null;
        }
        return fields;
    }

    /** The op of a record whose fields and data length fit together, or -1. */
    static byte op(Map<String, byte[]> f, long dataLength) {
        if (f == null || !has(f, "op", 1)) return -1;
        byte op = f.get("op")[0];
        boolean ok = switch (op) {
            case BagFormat.OP_MESSAGE -> has(f, "conn", 4) && has(f, "time", 8);
            case BagFormat.OP_BAG_HEADER -> has(f, "index_pos", 8) && has(f, "conn_count", 4) && has(f, "chunk_count", 4);
            case BagFormat.OP_INDEX -> has(f, "ver", 4) && has(f, "conn", 4) && has(f, "count", 4) && BagFormat.int32(f, "ver") == 1
                    && BagFormat.int32(f, "count") >= 0 && dataLength == 12L * BagFormat.int32(f, "count");
            case BagFormat.OP_CHUNK -> f.containsKey("compression") && has(f, "size", 4) && chunkHeaderFits(f, dataLength);
            case BagFormat.OP_CHUNK_INFO -> has(f, "ver", 4) && has(f, "chunk_pos", 8) && has(f, "start_time", 8) && has(f, "end_time", 8)
                    && has(f, "count", 4) && BagFormat.int32(f, "count") >= 0 && dataLength == 8L * BagFormat.int32(f, "count");
            case BagFormat.OP_CONNECTION -> has(f, "conn", 4) && f.containsKey("topic");
            default -> false;
        };
        return ok ? op : -1;
    }

    private static boolean chunkHeaderFits(Map<String, byte[]> f, long dataLength) {
        String compression = BagFormat.string(f, "compression");
        int size = BagFormat.int32(f, "size");
        if (size < 0 || size > MAX_CHUNK_SIZE) return false;
        return switch (compression) {
            case "none" -> dataLength == size;
            case "bz2", "lz4" -> true;
            default -> false;
        };
    }

    private static boolean has(Map<String, byte[]> f, String name, int bytes) {
        byte[] v = f.get(name);
        return v != null && v.length == bytes;
    }

    /** A connection record's data holds type, md5sum and message_definition. */
    static boolean connectionData(ByteBuffer data) {
        Map<String, byte[]> d = fields(data);
        return d != null && d.containsKey("type") && d.containsKey("md5sum") && d.containsKey("message_definition");
    }

    /**
     * The number of messages in a decompressed chunk when it is a sequence of whole message and
     * connection records and nothing else, else -1: a chunk that decompresses to garbage (or is not
     * a chunk at all) fails here. Each connection record found goes to {@code onConnection} (id,
     * whole record) when that is not null.
     */
    static long chunkContents(byte[] data, java.util.function.BiConsumer<Integer, byte[]> onConnection) {
        long messages = 0;
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() > 0) {
            int at = b.position();
            if (b.remaining() < 8) return -1;
            int headerLength = b.getInt();
            if (headerLength < 8 || headerLength > b.remaining() - 4) return -1;
            Map<String, byte[]> f = fields(b.slice(b.position(), headerLength));
            b.position(b.position() + headerLength);
            int dataLength = b.getInt();
            if (dataLength < 0 || dataLength > b.remaining()) return -1;
            byte op = op(f, dataLength);
            if (op == BagFormat.OP_CONNECTION) {
                if (!connectionData(b.slice(b.position(), dataLength))) return -1;
                if (onConnection != null) {
                    onConnection.accept(BagFormat.int32(f, "conn"), java.util.Arrays.copyOfRange(data, at, b.position() + dataLength));
                }
            } else if (op == BagFormat.OP_MESSAGE) {
                messages++;
            } else {
                return -1;
            }
            b.position(b.position() + dataLength);
        }
        return messages;
    }
}
