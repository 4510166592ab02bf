package org.teachlearn.ros.bag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repairs a bag whose writer died before closing it ({@code rosbag reindex} does the same): keeps
 * every chunk that is on disk whole with its index records, drops a torn last one, and writes the
 * connection and chunk-info index and the file header anew. The original is kept beside it as
 * {@code NAME.orig.bag}.
 */
public final class BagReindexer {

    /** What a reindex kept. */
    public record Result(int chunks, int connections, long messages, long droppedBytes) { }

    private BagReindexer() {
    }

    public static Result reindex(Path bag) throws IOException {
        String name = bag.getFileName().toString();
        Path orig = bag.resolveSibling(name.endsWith(".bag") ? name.substring(0, name.length() - 4) + ".orig.bag" : name + ".orig");
        Files.copy(bag, orig, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel f = FileChannel.open(bag, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = f.size(), pos = BagFormat.MAGIC.length + BagFormat.BAG_HEADER_LENGTH, validEnd = pos;
            Map<Integer, byte[]> connections = new LinkedHashMap<>();
            List<byte[]> chunkInfos = new ArrayList<>();
            long messages = 0;
            while (pos < size) {
                long chunkPos = pos;
                BagReader.Record chunk = raw(f, pos);
                if (chunk == null || BagFormat.op(chunk.fields()) != BagFormat.OP_CHUNK) break;
                byte[] data;
                try {
                    byte[] compressed = new byte[chunk.data().remaining()];
                    chunk.data().get(compressed);
                    data = BagFormat.decompress(BagFormat.string(chunk.fields(), "compression"), compressed, BagFormat.int32(chunk.fields(), "size"));
                } catch (IOException | BagException e) {
                    break;   // torn chunk
                }
                Map<Integer, Integer> counts = new LinkedHashMap<>();
                long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
                ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                while (b.remaining() > 0) {
                    int at = b.position();
                    BagReader.Record r = BagReader.record(b);
                    byte op = BagFormat.op(r.fields());
                    if (op == BagFormat.OP_CONNECTION) {
                        byte[] record = new byte[b.position() - at];
                        System.arraycopy(data, at, record, 0, record.length);
                        connections.putIfAbsent(BagFormat.int32(r.fields(), "conn"), record);
                    } else if (op == BagFormat.OP_MESSAGE) {
                        counts.merge(BagFormat.int32(r.fields(), "conn"), 1, Integer::sum);
                        long t = BagFormat.time(r.fields(), "time");
                        start = Math.min(start, t);
                        end = Math.max(end, t);
                    }
                }
                pos = chunk.end();
                boolean indexed = true;
                for (int i = 0; i < counts.size(); i++) {   // one index record per connection of the chunk
                    BagReader.Record idx = raw(f, pos);
                    if (idx == null || BagFormat.op(idx.fields()) != BagFormat.OP_INDEX) {
                        indexed = false;
                        break;
                    }
                    pos = idx.end();
                }
                if (!indexed) break;
                long total = 0;
                for (int c : counts.values()) total += c;
                messages += total;
                BagFormat.Fields info = new BagFormat.Fields().op(BagFormat.OP_CHUNK_INFO).int32("ver", 1).int64("chunk_pos", chunkPos)
                        .time("start_time", start == Long.MAX_VALUE ? 0 : start).time("end_time", end == Long.MIN_VALUE ? 0 : end)
                        .int32("count", counts.size());
                ByteBuffer c = ByteBuffer.allocate(8 * counts.size()).order(ByteOrder.LITTLE_ENDIAN);
                counts.forEach((conn, n) -> c.putInt(conn).putInt(n));
                byte[] h = info.toBytes();
                chunkInfos.add(ByteBuffer.allocate(8 + h.length + c.capacity()).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).put(h)
                        .putInt(c.capacity()).put(c.array()).array());
                validEnd = pos;
            }
            f.truncate(validEnd);
            f.position(validEnd);
            for (byte[] c : connections.values()) write(f, c);
            for (byte[] c : chunkInfos) write(f, c);
            f.position(BagFormat.MAGIC.length);
            write(f, BagWriter.bagHeader(validEnd, connections.size(), chunkInfos.size()));
            f.force(true);
            return new Result(chunkInfos.size(), connections.size(), messages, size - validEnd);
        }
    }

    /** The record at {@code pos}, or null when it is torn or malformed (the kill's last write). */
    private static BagReader.Record raw(FileChannel f, long pos) throws IOException {
        try {
            return BagReader.record(f, pos);
        } catch (BagException e) {
            return null;
        }
    }

    private static void write(FileChannel f, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) f.write(b);
    }
}
