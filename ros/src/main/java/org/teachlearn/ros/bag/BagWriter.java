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
 * Thread-safe. Writing a message allocates nothing once the chunk buffer and the per-connection
 * index arrays have grown to size (a recorder at several kHz must not feed the collector); closing
 * a chunk allocates its index records.
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
    private boolean[] written = new boolean[8];   // connections whose record is in some chunk
    private final Thread timer;
    private byte[] chunk = new byte[1 << 16];
    private ByteBuffer chunkView = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    private int chunkLength;
    private long chunkOpenedAt = -1;
    private long chunkStart = Long.MAX_VALUE, chunkEnd = Long.MIN_VALUE;
    // The open chunk's index: per connection id the (time, offset) of its messages, and the ids in first-use order.
    private long[][] indexTimes = new long[8][];
    private int[][] indexOffsets = new int[8][];
    private int[] indexCounts = new int[8];
    private int[] chunkConns = new int[8];
    private int chunkConnCount;
    private long bytesWritten;
    private final Lz4Frames lz4 = new Lz4Frames();
    private ByteBuffer indexOut = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);    private boolean closed;

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
        if (c.id() >= indexCounts.length) {
            int n = indexCounts.length * 2;
            indexTimes = java.util.Arrays.copyOf(indexTimes, n);
            indexOffsets = java.util.Arrays.copyOf(indexOffsets, n);
            indexCounts = java.util.Arrays.copyOf(indexCounts, n);
            chunkConns = java.util.Arrays.copyOf(chunkConns, n);
            written = java.util.Arrays.copyOf(written, n);
        }
        indexTimes[c.id()] = new long[64];
        indexOffsets[c.id()] = new int[64];
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
        if (!written[connection]) {
            written[connection] = true;
            append(connectionRecord(connections.get(connection)));
        }
        indexEntry(connection, timeNanos, chunkLength);
        appendMessage(connection, timeNanos, data, offset, length);
        chunkStart = Math.min(chunkStart, timeNanos);
        chunkEnd = Math.max(chunkEnd, timeNanos);
        if (chunkLength >= chunkBytes || System.nanoTime() - chunkOpenedAt >= maxChunkNanos) closeChunk();
    }

    /** Writes the open chunk out now. */
    public synchronized void flush() throws IOException {
        closeChunk();
    }

    /**
     * The timer: closes a chunk that has grown old without a message to close it, and syncs what
     * was written to the disk (outside the lock, so writers go on meanwhile). Syncing as it goes
     * leaves {@link #close} only the last chunk to sync: a recorder's stop returns in milliseconds,
     * not after the whole take's dirty pages.
     */
    private void flushOldChunks() {
        long synced = 0;
        while (true) {
            try {
                long written;
                synchronized (this) {
                    // woken by close(), never interrupted: an interrupt during a channel operation closes the channel
                    if (!closed) wait(Math.max(1, maxChunkNanos / 4_000_000));
                    if (closed) return;
                    if (chunkOpenedAt >= 0 && System.nanoTime() - chunkOpenedAt >= maxChunkNanos) closeChunk();
                    written = bytesWritten;
                }
                if (written > synced) {
                    file.force(false);
                    synced = written;
                }
            } catch (InterruptedException | java.nio.channels.ClosedChannelException e) {
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

    /**
     * A message record's header as rosbag writes it (op, conn, time), built once: each message copies
     * it and fills in its connection and time, so no header is built per message.
     */
    private static final byte[] MESSAGE_HEADER = new BagFormat.Fields().op(BagFormat.OP_MESSAGE).int32("conn", 0).time("time", 0).toBytes();
    private static final int CONN_AT = 4 + 3 + 1 + 4 + 5, TIME_AT = CONN_AT + 4 + 4 + 5;   // value offsets in MESSAGE_HEADER

    /** A message record, written straight into the chunk. */
    private void appendMessage(int connection, long timeNanos, byte[] data, int offset, int length) {
        ensure(8 + MESSAGE_HEADER.length + length);
        int at = chunkLength;
        chunkView.putInt(at, MESSAGE_HEADER.length);
        System.arraycopy(MESSAGE_HEADER, 0, chunk, at + 4, MESSAGE_HEADER.length);
        chunkView.putInt(at + 4 + CONN_AT, connection);
        chunkView.putInt(at + 4 + TIME_AT, (int) (timeNanos / 1_000_000_000L)).putInt(at + 4 + TIME_AT + 4, (int) (timeNanos % 1_000_000_000L));
        at += 4 + MESSAGE_HEADER.length;
        chunkView.putInt(at, length);
        System.arraycopy(data, offset, chunk, at + 4, length);
        chunkLength = at + 4 + length;
    }

    private void indexEntry(int connection, long timeNanos, int offset) {
        int n = indexCounts[connection];
        if (n == 0) chunkConns[chunkConnCount++] = connection;
        if (n == indexTimes[connection].length) {
            indexTimes[connection] = java.util.Arrays.copyOf(indexTimes[connection], n * 2);
            indexOffsets[connection] = java.util.Arrays.copyOf(indexOffsets[connection], n * 2);
        }
        indexTimes[connection][n] = timeNanos;
        indexOffsets[connection][n] = offset;
        indexCounts[connection] = n + 1;
    }

    private void ensure(int more) {
        if (chunkLength + more > chunk.length) {
            chunk = java.util.Arrays.copyOf(chunk, Math.max(chunk.length * 2, chunkLength + more));
            chunkView = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Bytes written to the file so far (chunks and their index records), for a recorder's disk accounting. */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    private void closeChunk() throws IOException {
        if (chunkOpenedAt < 0 || chunkLength == 0) return;
        long chunkPos = file.position();
        // uncompressed, the chunk goes out from its buffer as it is (an image-sized chunk is not copied)
        byte[] data = switch (compression) {
            case NONE -> chunk;
            case LZ4 -> lz4.compress(chunk, chunkLength);
            case BZ2 -> BagFormat.compress(compression.name, chunk, chunkLength);
        };
        int dataLength = compression == Compression.NONE ? chunkLength : data.length;
        byte[] header = new BagFormat.Fields().op(BagFormat.OP_CHUNK).string("compression", compression.name).int32("size", chunkLength).toBytes();
        ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(header.length).put(header).putInt(dataLength).flip();
        writeFully(head);
        writeFully(ByteBuffer.wrap(data, 0, dataLength));
        for (int i = 0; i < chunkConnCount; i++) writeIndexRecord(chunkConns[i]);
        chunkInfos.add(BagFormat.chunkInfoRecord(chunkPos, chunkStart, chunkEnd, chunkConns, indexCounts, chunkConnCount));
        for (int i = 0; i < chunkConnCount; i++) indexCounts[chunkConns[i]] = 0;
        chunkConnCount = 0;
        bytesWritten = file.position();
        chunkLength = 0;
        chunkOpenedAt = -1;
        chunkStart = Long.MAX_VALUE;
        chunkEnd = Long.MIN_VALUE;
    }

    /** A connection's index record for the chunk just written, from a reused buffer: its 12 bytes per message are not allocated. */
    private void writeIndexRecord(int c) throws IOException {
        int count = indexCounts[c];
        byte[] header = new BagFormat.Fields().op(BagFormat.OP_INDEX).int32("ver", 1).int32("conn", c).int32("count", count).toBytes();
        int need = 8 + header.length + 12 * count;
        if (indexOut.capacity() < need) indexOut = ByteBuffer.allocate(Math.max(need, indexOut.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        indexOut.clear();
        indexOut.putInt(header.length).put(header).putInt(12 * count);
        long[] times = indexTimes[c];
        int[] offsets = indexOffsets[c];
        for (int i = 0; i < count; i++) {
            indexOut.putInt((int) (times[i] / 1_000_000_000L)).putInt((int) (times[i] % 1_000_000_000L)).putInt(offsets[i]);
        }
        indexOut.flip();
        writeFully(indexOut);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closeChunk();
        closed = true;
        notifyAll();
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
