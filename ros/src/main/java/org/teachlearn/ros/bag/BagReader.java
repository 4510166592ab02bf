package org.teachlearn.ros.bag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a ROS bag (format 2.0) — ours or {@code rosbag record}'s, uncompressed, BZ2 or LZ4 — from
 * its index: connections, then the chunks in time order, messages within a chunk by time. A bag
 * whose writer was killed before closing has no index: the error says to run {@code bag reindex}.
 */
public final class BagReader implements AutoCloseable {

    /** A topic's connection: what {@code rosbag info} lists. */
    public record Connection(int id, String topic, String type, String md5, String definition, String callerId, boolean latching) { }

    /** One recorded message: its connection, receive time (ns since the epoch) and serialized bytes (valid during the callback). */
    public record Entry(Connection connection, long timeNanos, ByteBuffer data) { }

    private record ChunkInfo(long position, long start, long end, Map<Integer, Integer> counts) { }

    private final Path path;
    private final FileChannel file;
    private final Map<Integer, Connection> connections = new LinkedHashMap<>();
    private final List<ChunkInfo> chunks = new ArrayList<>();

    public BagReader(Path path) throws IOException {
        this.path = path;
        BagFormat.checkMagic(path);
        file = FileChannel.open(path, StandardOpenOption.READ);
        try {
            Record header;
            try {
                header = record(BagFormat.MAGIC.length);
                if (BagFormat.op(header.fields) != BagFormat.OP_BAG_HEADER) throw new BagException("not a bag header");
            } catch (BagException e) {
                throw new BagException(path + ": its file header is damaged (" + e.getMessage() + "): run ./teach_learn bag reindex " + path);
            }
            long indexPos = BagFormat.int64(header.fields, "index_pos");
            long size = file.size();
            if (indexPos == 0) {
                throw new BagException(path + " has no index (its writer did not close it): run ./teach_learn bag reindex " + path);
            }
            if (indexPos < BagFormat.MAGIC.length + BagFormat.BAG_HEADER_LENGTH || indexPos >= size) {
                throw new BagException(path + " is truncated or damaged: its index should start at byte " + indexPos + " of its " + size
                        + ": run ./teach_learn bag reindex " + path);
            }
            int chunkCount = BagFormat.int32(header.fields, "chunk_count"), connCount = BagFormat.int32(header.fields, "conn_count");
            long pos = indexPos;
            while (pos < size) {
                Record r;
                try {
                    r = record(pos);
                } catch (BagException e) {
                    throw new BagException(path + " is truncated or damaged in its index at byte " + pos + " (" + e.getMessage()
                            + "): run ./teach_learn bag reindex " + path);
                }
                byte op = BagFormat.op(r.fields);
                if (op == BagFormat.OP_CONNECTION) {
                    Connection c = connection(r);
                    connections.put(c.id(), c);
                } else if (op == BagFormat.OP_CHUNK_INFO) {
                    Map<Integer, Integer> counts = new LinkedHashMap<>();
                    ByteBuffer d = r.data.order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0, n = BagFormat.int32(r.fields, "count"); i < n; i++) counts.put(d.getInt(), d.getInt());
                    chunks.add(new ChunkInfo(BagFormat.int64(r.fields, "chunk_pos"), BagFormat.time(r.fields, "start_time"),
                            BagFormat.time(r.fields, "end_time"), counts));
                }
                pos = r.end;
            }
            if (chunks.size() != chunkCount || connections.size() != connCount) {
                throw new BagException(path + " is truncated or damaged: its index lists " + chunks.size() + " of " + chunkCount + " chunks and "
                        + connections.size() + " of " + connCount + " connections: run ./teach_learn bag reindex " + path);
            }
            chunks.sort(Comparator.comparingLong(ChunkInfo::start).thenComparingLong(ChunkInfo::position));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public Collection<Connection> connections() {
        return connections.values();
    }

    public int chunkCount() {
        return chunks.size();
    }

    /** Messages per connection id, from the chunk infos (what {@code rosbag info} counts). */
    public Map<Integer, Long> messageCounts() {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (ChunkInfo c : chunks) c.counts.forEach((conn, n) -> counts.merge(conn, (long) n, Long::sum));
        return counts;
    }

    /** Where each chunk starts in the file and the times it spans, {position, start, end}, in time order (tests damage chunks with it). */
    List<long[]> chunkSpans() {
        return chunks.stream().map(c -> new long[] {c.position, c.start, c.end}).toList();
    }

    public long startNanos() {
        return chunks.stream().mapToLong(ChunkInfo::start).min().orElse(0);
    }

    public long endNanos() {
        return chunks.stream().mapToLong(ChunkInfo::end).max().orElse(0);
    }

    /** Receives the messages of {@code topics} (null: all) with times in [start, end], in time order. */
    public void read(Set<String> topics, long startNanos, long endNanos, java.util.function.Consumer<Entry> visitor) throws IOException {
        for (ChunkInfo info : chunks) {
            if (info.end < startNanos || info.start > endNanos) continue;
            byte[] data;
            try {
                Record chunk = record(info.position);
                if (BagFormat.op(chunk.fields) != BagFormat.OP_CHUNK) throw new BagException("no chunk there");
                byte[] compressed = new byte[chunk.data.remaining()];
                chunk.data.get(compressed);
                data = BagFormat.decompress(BagFormat.string(chunk.fields, "compression"), compressed, BagFormat.int32(chunk.fields, "size"));
                if (RecordCheck.chunkContents(data, null) < 0) throw new BagException("its records do not parse");
            } catch (BagException | IOException e) {
                throw new BagException(path + ": the chunk at byte " + info.position + " is damaged (" + e.getMessage()
                        + "): run ./teach_learn bag reindex " + path + " to keep the rest");
            }
            List<long[]> order = new ArrayList<>();   // (time, offset) of matching messages
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() > 0) {
                int offset = b.position();
                Record r = record(b);
                if (BagFormat.op(r.fields) != BagFormat.OP_MESSAGE) continue;
                Connection c = connections.get(BagFormat.int32(r.fields, "conn"));
                if (c == null) throw new BagException(path + ": a message of unknown connection " + BagFormat.int32(r.fields, "conn"));
                long t = BagFormat.time(r.fields, "time");
                if (t < startNanos || t > endNanos || (topics != null && !topics.contains(c.topic()))) continue;
                order.add(new long[] {t, offset});
            }
            order.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            for (long[] e : order) {
                b.position((int) e[1]);
                Record r = record(b);
                visitor.accept(new Entry(connections.get(BagFormat.int32(r.fields, "conn")), e[0], r.data.order(ByteOrder.LITTLE_ENDIAN)));
            }
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    // --- records ---

    record Record(Map<String, byte[]> fields, ByteBuffer data, long end) { }

    private Record record(long pos) throws IOException {
        Record r = record(file, pos);
        if (r == null) throw new BagException(path + ": the record at " + pos + " runs past the end of the file");
        return r;
    }

    /** The record at {@code pos} of a bag file, or null when it does not fit in the file (torn by a crash). */
    static Record record(FileChannel file, long pos) throws IOException {
        long size = file.size();
        if (pos + 4 > size) return null;
        int headerLength = read(file, pos, 4).getInt();
        if (headerLength < 0 || pos + 8 + headerLength > size) return null;
        ByteBuffer header = read(file, pos + 4, headerLength);
        int dataLength = read(file, pos + 4 + headerLength, 4).getInt();
        if (dataLength < 0 || pos + 8 + headerLength + dataLength > size) return null;
        return new Record(BagFormat.parseFields(header), read(file, pos + 8 + headerLength, dataLength), pos + 8 + headerLength + dataLength);
    }

    /** A record from an in-memory chunk, advancing {@code b} past it. */
    static Record record(ByteBuffer b) {
        if (b.remaining() < 4) throw new BagException("truncated record in a chunk");
        int headerLength = b.getInt();
        if (headerLength < 0 || headerLength > b.remaining() - 4) throw new BagException("record header overruns its chunk");
        ByteBuffer header = b.slice(b.position(), headerLength);
        b.position(b.position() + headerLength);
        int dataLength = b.getInt();
        if (dataLength < 0 || dataLength > b.remaining()) throw new BagException("record data overruns its chunk");
        ByteBuffer data = b.slice(b.position(), dataLength);
        b.position(b.position() + dataLength);
        return new Record(BagFormat.parseFields(header), data, b.position());
    }

    private static ByteBuffer read(FileChannel file, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (file.read(b, pos + b.position()) < 0) throw new BagException("the bag ends inside a record at " + pos);
        }
        b.flip();
        return b;
    }

    static Connection connection(Record r) {
        Map<String, byte[]> d = BagFormat.parseFields(r.data);
        return new Connection(BagFormat.int32(r.fields, "conn"), BagFormat.string(r.fields, "topic"), BagFormat.string(d, "type"),
                BagFormat.string(d, "md5sum"), BagFormat.string(d, "message_definition"),
                d.containsKey("callerid") ? BagFormat.string(d, "callerid") : "", d.containsKey("latching") && BagFormat.string(d, "latching").equals("1"));
    }
}
