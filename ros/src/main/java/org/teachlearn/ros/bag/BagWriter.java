package org.teachlearn.ros.bag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageType;

/**
 * Writes a ROS bag (format 2.0): messages go into chunks (optionally BZ2 or LZ4 compressed), each
 * followed by its index records; closing writes the connection and chunk-info index and fills in
 * the file header. Crash safety: a chunk is written out when it reaches {@code chunkBytes} or is
 * {@code maxChunkAge} old (1 s by default, also checked by a timer when no message comes), so a
 * writer killed with {@code kill -9} leaves every closed chunk on disk for {@link BagReindexer}.
 * Thread-safe.
 */
public final class BagWriter implements AutoCloseable {

    public enum Compression {
        NONE("none"), BZ2("bz2"), LZ4("lz4");

        final String name;

        Compression(String name) {
            this.name = name;
        }
    }

    /** One topic's connection as recorded. */
    public record Connection(int id, String topic, String type, String md5, String definition, String callerId, boolean latching) { }

    private final FileChannel file;
    private final Compression compression;
    private final int chunkBytes;
    private final long maxChunkNanos;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<String, Integer> byKey = new LinkedHashMap<>();
    private final List<byte[]> chunkInfos = new ArrayList<>();
    private final java.util.Set<Integer> written = new java.util.HashSet<>();   // connections whose record is in some chunk
    private final Thread timer;
    private byte[] chunk = new byte[1 << 16];
    private int chunkLength;
    private long chunkOpenedAt = -1;
    private long chunkStart = Long.MAX_VALUE, chunkEnd = Long.MIN_VALUE;
    private final Map<Integer, List<long[]>> chunkIndex = new LinkedHashMap<>();   // conn → (time, offset)
    private boolean closed;

    public BagWriter(Path path, Compression compression) throws IOException {
        this(path, compression, 768 * 1024, 1_000_000_000L);
    }

    public BagWriter(Path path, Compression compression, int chunkBytes, long maxChunkNanos) throws IOException {
        this.compression = compression;
        this.chunkBytes = chunkBytes;
        this.maxChunkNanos = maxChunkNanos;
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        writeFully(ByteBuffer.wrap(BagFormat.MAGIC));
        writeBagHeader(0, 0, 0);
        timer = new Thread(this::flushOldChunks, "bag-chunk-timer");
        timer.setDaemon(true);
        timer.start();
    }

    /** The connection id for a topic and type (one per distinct topic, type and caller). */
    public synchronized int connection(String topic, MessageType<?> type, String callerId, boolean latching) {
        String key = topic + "\n" + type.name() + "\n" + type.md5() + "\n" + callerId;
        Integer id = byKey.get(key);
        if (id != null) return id;
        Connection c = new Connection(connections.size(), topic, type.name(), type.md5(), type.definition(), callerId, latching);
        connections.add(c);
        byKey.put(key, c.id());
        return c.id();
    }

    /** Records a message received at {@code timeNanos} (ROS time, nanoseconds since the epoch). */
    public synchronized void write(int connection, long timeNanos, Message m) throws IOException {
        int size = m.serializedSize();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        m.serialize(b);
        write(connection, timeNanos, b.array(), 0, size);
    }

    /** Records a message's serialized bytes. */
    public synchronized void write(int connection, long timeNanos, byte[] data, int offset, int length) throws IOException {
        if (closed) throw new IllegalStateException("the bag is closed");
        if (connection < 0 || connection >= connections.size()) throw new IllegalArgumentException("no connection " + connection);
        if (chunkOpenedAt < 0) chunkOpenedAt = System.nanoTime();
        if (written.add(connection)) append(connectionRecord(connections.get(connection)));
        byte[] header = new BagFormat.Fields().op(BagFormat.OP_MESSAGE).int32("conn", connection).time("time", timeNanos).toBytes();
        chunkIndex.computeIfAbsent(connection, k -> new ArrayList<>()).add(new long[] {timeNanos, chunkLength});
        appendRecord(header, data, offset, length);
        chunkStart = Math.min(chunkStart, timeNanos);
        chunkEnd = Math.max(chunkEnd, timeNanos);
        if (chunkLength >= chunkBytes || System.nanoTime() - chunkOpenedAt >= maxChunkNanos) closeChunk();
    }

    /** Writes the open chunk out now. */
    public synchronized void flush() throws IOException {
        closeChunk();
    }

    private void flushOldChunks() {
        while (true) {
            try {
                Thread.sleep(Math.max(1, maxChunkNanos / 4_000_000));
                synchronized (this) {
                    if (closed) return;
                    if (chunkOpenedAt >= 0 && System.nanoTime() - chunkOpenedAt >= maxChunkNanos) closeChunk();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                System.err.println("bag: writing a chunk failed: " + e.getMessage());
                return;
            }
        }
    }

    private byte[] connectionRecord(Connection c) {
        BagFormat.Fields data = new BagFormat.Fields().string("topic", c.topic()).string("type", c.type()).string("md5sum", c.md5())
                .string("message_definition", c.definition());
        if (!c.callerId().isEmpty()) data.string("callerid", c.callerId());
        if (c.latching()) data.string("latching", "1");
        byte[] header = new BagFormat.Fields().op(BagFormat.OP_CONNECTION).int32("conn", c.id()).string("topic", c.topic()).toBytes();
        byte[] d = data.toBytes();
        ByteBuffer r = ByteBuffer.allocate(8 + header.length + d.length).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt(header.length).put(header).putInt(d.length).put(d);
        return r.array();
    }

    private void append(byte[] record) {
        ensure(record.length);
        System.arraycopy(record, 0, chunk, chunkLength, record.length);
        chunkLength += record.length;
    }

    private void appendRecord(byte[] header, byte[] data, int offset, int length) {
        ensure(8 + header.length + length);
        ByteBuffer b = ByteBuffer.wrap(chunk, chunkLength, 8 + header.length + length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(header.length).put(header).putInt(length).put(data, offset, length);
        chunkLength += 8 + header.length + length;
    }

    private void ensure(int more) {
        if (chunkLength + more > chunk.length) chunk = java.util.Arrays.copyOf(chunk, Math.max(chunk.length * 2, chunkLength + more));
    }

    private void closeChunk() throws IOException {
        if (chunkOpenedAt < 0 || chunkLength == 0) return;
        long chunkPos = file.position();
        byte[] data = BagFormat.compress(compression.name, chunk, chunkLength);
        byte[] header = new BagFormat.Fields().op(BagFormat.OP_CHUNK).string("compression", compression.name).int32("size", chunkLength).toBytes();
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(header.length).put(header).putInt(data.length).put(data).flip();
        writeFully(out);
        for (Map.Entry<Integer, List<long[]>> e : chunkIndex.entrySet()) writeFully(ByteBuffer.wrap(BagFormat.indexRecord(e.getKey(), e.getValue())));
        chunkInfos.add(BagFormat.chunkInfoRecord(chunkPos, chunkStart, chunkEnd, chunkIndex));
        chunkLength = 0;
        chunkOpenedAt = -1;
        chunkStart = Long.MAX_VALUE;
        chunkEnd = Long.MIN_VALUE;
        chunkIndex.clear();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closeChunk();
        closed = true;
        timer.interrupt();
        long indexPos = file.position();
        for (Connection c : connections) writeFully(ByteBuffer.wrap(connectionRecord(c)));
        for (byte[] info : chunkInfos) writeFully(ByteBuffer.wrap(info));
        file.position(BagFormat.MAGIC.length);
        writeBagHeader(indexPos, connections.size(), chunkInfos.size());
        file.force(true);
        file.close();
    }

    private void writeBagHeader(long indexPos, int connCount, int chunkCount) throws IOException {
        writeFully(ByteBuffer.wrap(bagHeader(indexPos, connCount, chunkCount)));
    }

    /** The 4096-byte bag header record (padded with spaces, so it can be rewritten in place). */
    static byte[] bagHeader(long indexPos, int connCount, int chunkCount) {
        byte[] h = new BagFormat.Fields().op(BagFormat.OP_BAG_HEADER).int64("index_pos", indexPos).int32("conn_count", connCount)
                .int32("chunk_count", chunkCount).toBytes();
        int pad = BagFormat.BAG_HEADER_LENGTH - 8 - h.length;
        ByteBuffer b = ByteBuffer.allocate(BagFormat.BAG_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(h.length).put(h).putInt(pad);
        while (b.hasRemaining()) b.put((byte) ' ');
        return b.array();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) file.write(b);
    }
}
