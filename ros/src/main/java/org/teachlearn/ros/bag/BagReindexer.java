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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repairs a bag ({@code rosbag reindex} does the same for a bag whose writer died): keeps every
 * chunk that is intact wherever it is — a corrupt record in the middle costs that record, not the
 * rest of the bag ({@link BagScan} finds the next valid record) — and the loose message records of
 * an uncompressed chunk whose header broke, then writes the index records, connections, chunk
 * infos and file header anew. The original is kept beside it as {@code NAME.orig.bag}; a bag that
 * yields no message is left as it was.
 */
public final class BagReindexer {

    /**
     * What a reindex kept and lost. {@code messagesLost} is what the surviving index records say the
     * lost chunks held; when a lost chunk left no such record ({@code lossCounted} false) it is a
     * lower bound.
     */
    public record Result(int chunksKept, int chunksLost, long messagesKept, long messagesLost, boolean lossCounted,
            long messagesSalvaged, long messagesWithoutConnection, int connections, long bytesSkipped, Path original) {

        public boolean yieldedNothing() {
            return messagesKept == 0;
        }

        public boolean lostSomething() {
            return chunksLost > 0 || messagesLost > 0 || bytesSkipped > 0 || messagesWithoutConnection > 0;
        }

        /** What a reindex of {@code bag} kept and lost, in one line. */
        public String summary(String bag) {
            String lost = lossCounted() ? messagesLost() + " messages"
                    : messagesLost() > 0 ? "at least " + messagesLost() + " messages" : "an unknown number of messages (no index record counts them)";
            return String.format(java.util.Locale.ROOT, "%s: kept %d messages in %d intact chunks%s, %d connections; lost %d chunks, %s%s, %d bytes skipped"
                            + " as damaged (original kept as %s)", bag, messagesKept(), chunksKept(),
                    messagesSalvaged() > 0 ? " and " + messagesSalvaged() + " salvaged loose" : "", connections(), chunksLost(), lost,
                    messagesWithoutConnection() > 0 ? " (" + messagesWithoutConnection() + " of them had no connection record left)" : "",
                    bytesSkipped(), original().getFileName());
        }
    }

    private static final int LOOSE_CHUNK_BYTES = 768 * 1024;

    private BagReindexer() {
    }

    public static Result reindex(Path bag) throws IOException {
        BagFormat.checkMagic(bag);
        String name = bag.getFileName().toString();
        Path orig = bag.resolveSibling(name.endsWith(".bag") ? name.substring(0, name.length() - 4) + ".orig.bag" : name + ".orig");
        if (Files.exists(orig)) {
            throw new BagException(orig + " exists (the original of an earlier reindex): move it away, then reindex " + bag + " again");
        }
        Path tmp = bag.resolveSibling(name + ".reindex-tmp");
        Result result;
        try (FileChannel in = FileChannel.open(bag, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            BagScan scan = BagScan.of(in);
            result = write(scan, in, out, orig);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (result.yieldedNothing()) {
            Files.delete(tmp);
            return result;
        }
        Files.move(bag, orig);
        Files.move(tmp, bag, StandardCopyOption.ATOMIC_MOVE);
        return result;
    }

    private static Result write(BagScan scan, FileChannel in, FileChannel out, Path orig) throws IOException {
        Output o = new Output(out, scan.connections);
        writeFully(out, BagFormat.MAGIC);
        writeFully(out, BagWriter.bagHeader(0, 0, 0));
        long messages = 0, withoutConnection = 0;
        ChunkBuilder loose = new ChunkBuilder("none");
        for (BagScan.Piece p : scan.pieces) {
            byte[] record = read(in, p.pos(), (int) (p.end() - p.pos()));
            if (p.chunk()) {
                messages += o.flush(loose);
                long[] kept = o.chunk(record);
                messages += kept[0];
                withoutConnection += kept[1];
            } else {
                ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
                Map<String, byte[]> f = BagFormat.parseFields(r.slice(4, r.getInt(0)));
                int conn = BagFormat.int32(f, "conn");
                if (!scan.connections.containsKey(conn)) {
                    withoutConnection++;
                    continue;
                }
                loose.add(conn, BagFormat.time(f, "time"), record, scan.connections);
                if (loose.length() >= LOOSE_CHUNK_BYTES) messages += o.flush(loose);
            }
        }
        messages += o.flush(loose);
        long indexPos = out.position();
        Set<Integer> used = o.usedConnections;
        int connections = 0;
        for (Map.Entry<Integer, byte[]> c : scan.connections.entrySet()) {
            if (!used.contains(c.getKey())) continue;   // a connection without messages would only confuse readers
            writeFully(out, c.getValue());
            connections++;
        }
        for (byte[] info : o.chunkInfos) writeFully(out, info);
        out.position(BagFormat.MAGIC.length);
        writeFully(out, BagWriter.bagHeader(indexPos, connections, o.chunkInfos.size()));
        out.force(true);

        int chunksLost = Math.max(scan.chunksBroken, Math.max(scan.indexedChunks, scan.headerChunks) - scan.chunksSeen);
        long lost = Math.max(scan.orphanIndexMessages, scan.indexedMessages - scan.messagesInChunks - scan.looseMessages);
        boolean indexWhole = scan.indexedChunks >= Math.max(scan.headerChunks, scan.chunksSeen + scan.chunksBroken);
        boolean counted = indexWhole || !scan.lossUncounted && scan.headerChunks <= scan.chunksSeen + scan.chunksBroken;
        return new Result(scan.chunksSeen, chunksLost, messages, Math.max(0, lost) + withoutConnection, counted, scan.looseMessages,
                withoutConnection, connections, scan.bytesSkipped, orig);
    }

    /** The repaired bag being written: chunks copied whole or rebuilt, and the chunk infos for its index. */
    private static final class Output {
        final List<byte[]> chunkInfos = new ArrayList<>();
        final Set<Integer> usedConnections = new HashSet<>();
        private final FileChannel out;
        private final Map<Integer, byte[]> connections;

        Output(FileChannel out, Map<Integer, byte[]> connections) {
            this.out = out;
            this.connections = connections;
        }

        /** Copies an intact chunk as it is; rebuilds it without the messages of connections no record describes. Returns {kept, dropped}. */
        long[] chunk(byte[] record) throws IOException {
            ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            int hl = r.getInt(0);
            Map<String, byte[]> f = BagFormat.parseFields(r.slice(4, hl));
            String compression = BagFormat.string(f, "compression");
            byte[] compressed = java.util.Arrays.copyOfRange(record, 8 + hl, record.length);
            byte[] data = BagFormat.decompress(compression, compressed, BagFormat.int32(f, "size"));
            ChunkBuilder index = new ChunkBuilder(compression);
            ChunkBuilder rebuilt = new ChunkBuilder(compression);
            long dropped = 0;
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() > 0) {
                int at = b.position();
                BagReader.Record m = BagReader.record(b);
                if (BagFormat.op(m.fields()) != BagFormat.OP_MESSAGE) continue;
                int conn = BagFormat.int32(m.fields(), "conn");
                long t = BagFormat.time(m.fields(), "time");
                if (!connections.containsKey(conn)) {
                    dropped++;
                    continue;
                }
                index.note(conn, t, at);
                rebuilt.add(conn, t, java.util.Arrays.copyOfRange(data, at, b.position()), connections);
            }
            if (dropped > 0) return new long[] {flush(rebuilt), dropped};
            long chunkPos = out.position();
            writeFully(out, record);
            return new long[] {index.finish(out, chunkPos, chunkInfos, usedConnections), 0};
        }

        /** Writes a built chunk, if it holds anything; returns its messages. */
        long flush(ChunkBuilder c) throws IOException {
            if (c.length() == 0) return 0;
            long chunkPos = out.position();
            byte[] data = c.bytes();
            byte[] header = new BagFormat.Fields().op(BagFormat.OP_CHUNK).string("compression", c.compression).int32("size", data.length).toBytes();
            writeFully(out, BagFormat.record(header, BagFormat.compress(c.compression, data, data.length)));
            long n = c.finish(out, chunkPos, chunkInfos, usedConnections);
            c.clear();
            return n;
        }
    }

    /** A chunk's records and index, built from salvaged messages (or only the index of one copied whole). */
    private static final class ChunkBuilder {
        final String compression;
        private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        private final Map<Integer, List<long[]>> index = new LinkedHashMap<>();
        private long start = Long.MAX_VALUE, end = Long.MIN_VALUE;

        ChunkBuilder(String compression) {
            this.compression = compression;
        }

        /** Appends a message record, preceded by its connection's record the first time in this chunk (as rosbag writes). */
        void add(int conn, long time, byte[] record, Map<Integer, byte[]> connections) {
            if (!index.containsKey(conn)) data.writeBytes(connections.get(conn));
            note(conn, time, data.size());
            data.writeBytes(record);
        }

        void note(int conn, long time, int offset) {
            index.computeIfAbsent(conn, k -> new ArrayList<>()).add(new long[] {time, offset});
            start = Math.min(start, time);
            end = Math.max(end, time);
        }

        int length() {
            return data.size();
        }

        byte[] bytes() {
            return data.toByteArray();
        }

        /** Writes the index records that follow the chunk at {@code chunkPos}, notes its chunk info; returns its messages. */
        long finish(FileChannel out, long chunkPos, List<byte[]> chunkInfos, Set<Integer> used) throws IOException {
            long n = 0;
            for (Map.Entry<Integer, List<long[]>> e : index.entrySet()) {
                writeFully(out, BagFormat.indexRecord(e.getKey(), e.getValue()));
                n += e.getValue().size();
            }
            used.addAll(index.keySet());
            if (!index.isEmpty()) chunkInfos.add(BagFormat.chunkInfoRecord(chunkPos, start, end, index));
            return n;
        }

        void clear() {
            data.reset();
            index.clear();
            start = Long.MAX_VALUE;
            end = Long.MIN_VALUE;
        }
    }

    private static byte[] read(FileChannel f, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (f.read(b, pos + b.position()) < 0) throw new BagException("the bag ends inside a record at " + pos);
        }
        return b.array();
    }

    private static void writeFully(FileChannel f, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) f.write(b);
    }
}
