package org.teachlearn.ros.bag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first pass of {@link BagReindexer} over a bag that may be damaged anywhere: walks it record by
 * record and, where a record is not valid ({@link RecordCheck}), moves forward byte by byte to the
 * next one that is, so one flipped bit costs one chunk, not the rest of the bag. It notes what is
 * intact (chunks whose contents parse, loose message records, e.g. of an uncompressed chunk whose
 * header broke, connection records wherever they are) and what the surviving index says was there.
 */
final class BagScan {

    /** Something to copy into the repaired bag: a whole chunk, or one loose message record. */
    record Piece(boolean chunk, long pos, long end) { }

    final List<Piece> pieces = new ArrayList<>();
    final Map<Integer, byte[]> connections = new LinkedHashMap<>();   // conn id → its whole record
    long bytesSkipped;
    int chunksSeen;            // intact chunks
    int chunksBroken;          // chunks known to be lost: broken chunk headers, or index records left without their chunk
    long messagesInChunks;     // messages in the intact chunks (before dropping any of an unknown connection)
    long looseMessages;
    long orphanIndexMessages;  // what index records of lost chunks say those chunks held, less the loose messages found there
    boolean lossUncounted;     // a lost chunk whose message count no surviving record tells
    int indexedChunks = -1;    // chunk infos of the old index section, when found
    int headerChunks = -1;     // the chunk count in the old file header, when its writer closed it
    long indexedMessages;

    private final List<long[]> regions = new ArrayList<>();   // per damaged stretch: {messages its orphan index records count, loose messages found}
    private boolean sawCompressed;   // loose records inside a compressed chunk may be LZ4 literals, not messages: salvage none then
    private final Window w;
    private final Set<Long> chunkInfoPositions = new HashSet<>();

    private BagScan(FileChannel file) throws IOException {
        w = new Window(file);
    }

    static BagScan of(FileChannel file) throws IOException {
        BagScan s = new BagScan(file);
        s.run();
        return s;
    }

    private void run() throws IOException {
        long pos = BagFormat.MAGIC.length, size = w.size;
        boolean afterChunk = false;      // index records here belong to the chunk just kept
        boolean inOrphanIndex = false;   // within index records whose chunk is lost
        boolean pendingBroken = false;   // a broken chunk header seen, its index records not (yet)
        long regionOrphans = 0, regionLoose = 0;   // since the last intact chunk
        while (pos < size) {
            Rec r = at(pos);
            if (r == null || r.op == BagFormat.OP_CHUNK && !chunkIntact(pos, r) || r.op == BagFormat.OP_MESSAGE && !chained(r)) {
                if (chunkHeaderAt(pos)) {
                    chunksBroken++;
                    if (pendingBroken) lossUncounted = true;
                    pendingBroken = true;
                }
                long next = nextRecord(pos + 1);
                bytesSkipped += next - pos;
                pos = next;
                afterChunk = inOrphanIndex = false;
                continue;
            }
            switch (r.op) {
                case BagFormat.OP_CHUNK -> {
                    pieces.add(new Piece(true, pos, r.end));
                    chunksSeen++;
                    messagesInChunks += messagesInLastChunk;
                    regions.add(new long[] {regionOrphans, regionLoose});   // a damaged stretch ends: settle it
                    if (pendingBroken) lossUncounted = true;
                    regionOrphans = regionLoose = 0;
                    pendingBroken = false;
                }
                case BagFormat.OP_INDEX -> {
                    if (!afterChunk) {
                        if (!inOrphanIndex && !pendingBroken) chunksBroken++;   // a chunk lost without a trace but its index
                        pendingBroken = false;
                        inOrphanIndex = true;
                        regionOrphans += r.int32("count");
                    }
                }
                case BagFormat.OP_MESSAGE -> {
                    pieces.add(new Piece(false, pos, r.end));
                    looseMessages++;
                    regionLoose++;
                }
                case BagFormat.OP_CONNECTION -> connections.putIfAbsent(r.int32("conn"), w.bytes(pos, (int) (r.end - pos)));
                case BagFormat.OP_CHUNK_INFO -> {
                    if (chunkInfoPositions.add(r.int64("chunk_pos"))) {
                        indexedChunks = Math.max(indexedChunks, 0) + 1;
                        ByteBuffer d = ByteBuffer.wrap(w.bytes(r.dataPos, (int) (r.end - r.dataPos))).order(ByteOrder.LITTLE_ENDIAN);
                        while (d.remaining() >= 8) {
                            d.getInt();
                            indexedMessages += d.getInt() & 0xffffffffL;
                        }
                    }
                }
                case BagFormat.OP_BAG_HEADER -> {   // the repaired bag gets a new one; a closed bag's says how many chunks it had
                    if (r.int64("index_pos") != 0) headerChunks = r.int32("chunk_count");
                }
                default -> { }
            }
            afterChunk = r.op == BagFormat.OP_CHUNK || afterChunk && r.op == BagFormat.OP_INDEX;
            inOrphanIndex = r.op == BagFormat.OP_INDEX && !afterChunk;
            pos = r.end;
        }
        regions.add(new long[] {regionOrphans, regionLoose});
        if (pendingBroken) lossUncounted = true;
        if (sawCompressed && looseMessages > 0) {
            for (Piece p : pieces) if (!p.chunk()) bytesSkipped += p.end() - p.pos();
            pieces.removeIf(p -> !p.chunk());
            looseMessages = 0;
            for (long[] region : regions) region[1] = 0;
        }
        for (long[] region : regions) orphanIndexMessages += Math.max(0, region[0] - region[1]);
    }

    /** The next position at or after {@code from} where a valid record starts, or the end of the file. */
    private long nextRecord(long from) throws IOException {
        for (long p = from; p < w.size; p++) {
            Rec r = at(p);
            if (r != null && (r.op != BagFormat.OP_CHUNK || chunkIntact(p, r)) && (r.op != BagFormat.OP_MESSAGE || chained(r))) return p;
        }
        return w.size;
    }

    /**
     * A loose message record counts only when a valid record (or the end of the file) follows it:
     * a message whose tail was overwritten or cut is not taken for a whole one.
     */
    private boolean chained(Rec r) throws IOException {
        return r.end == w.size || at(r.end) != null;
    }

    /** Whether a chunk's header starts at {@code pos}, whatever its data: a chunk that was there and is lost. */
    private boolean chunkHeaderAt(long pos) throws IOException {
        if (pos + 8 > w.size) return false;
        int hl = w.int32(pos);
        if (hl < 8 || hl > RecordCheck.MAX_HEADER || pos + 4 + hl > w.size) return false;
        Map<String, byte[]> f = RecordCheck.fields(ByteBuffer.wrap(w.bytes(pos + 4, hl)));
        byte[] op = f == null ? null : f.get("op");
        if (op != null && op.length == 1 && op[0] == BagFormat.OP_CHUNK && !"none".equals(new String(f.getOrDefault("compression", new byte[0]),
                java.nio.charset.StandardCharsets.US_ASCII))) {
            sawCompressed = true;
        }
        return op != null && op.length == 1 && op[0] == BagFormat.OP_CHUNK && f.containsKey("compression") && f.containsKey("size");
    }

    private long intactAt = -1;
    private long messagesInLastChunk;

    /** A chunk is intact when it decompresses to its stated size and its contents are whole records. */
    private boolean chunkIntact(long pos, Rec r) throws IOException {
        if (pos == intactAt) return true;   // the scan that found it already checked it
        if (!BagFormat.string(r.fields, "compression").equals("none")) sawCompressed = true;
        byte[] data = w.bytes(r.dataPos, (int) (r.end - r.dataPos));
        try {
            byte[] plain = BagFormat.decompress(BagFormat.string(r.fields, "compression"), data, r.int32("size"));
            Map<Integer, byte[]> found = new LinkedHashMap<>();
            long messages = RecordCheck.chunkContents(plain, found::putIfAbsent);
            if (messages < 0) return false;
            found.forEach(connections::putIfAbsent);   // a bag without its index section has its connections only here
            intactAt = pos;
            messagesInLastChunk = messages;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;   // not a chunk that decompresses
        }
    }

    /** The record at {@code pos} when its header and lengths are valid, else null. */
    private Rec at(long pos) throws IOException {
        if (pos + 8 > w.size) return null;
        int hl = w.int32(pos);
        if (hl < 8 || hl > RecordCheck.MAX_HEADER || pos + 8 + hl > w.size) return null;
        if (w.int32(pos + 4) < 2) return null;   // first field's length: cheap rejection before parsing
        Map<String, byte[]> f = RecordCheck.fields(ByteBuffer.wrap(w.bytes(pos + 4, hl)));
        if (f == null) return null;
        long dataPos = pos + 8 + hl;
        int dl = w.int32(pos + 4 + hl);
        if (dl < 0 || dataPos + dl > w.size) return null;
        byte op = RecordCheck.op(f, dl);
        if (op < 0) return null;
        if (op == BagFormat.OP_CONNECTION && !RecordCheck.connectionData(ByteBuffer.wrap(w.bytes(dataPos, dl)))) return null;
        return new Rec(op, f, dataPos, dataPos + dl);
    }

    private record Rec(byte op, Map<String, byte[]> fields, long dataPos, long end) {
        int int32(String name) {
            return BagFormat.int32(fields, name);
        }

        long int64(String name) {
            return BagFormat.int64(fields, name);
        }
    }

    /** Reads of a file through a 1 MiB window, so the byte-by-byte scan does not cost a system call per byte. */
    static final class Window {
        private static final int SIZE = 1 << 20;
        final long size;
        private final FileChannel file;
        private final ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        private long start = -1;

        Window(FileChannel file) throws IOException {
            this.file = file;
            this.size = file.size();
        }

        int int32(long pos) throws IOException {
            if (start < 0 || pos < start || pos + 4 > start + buf.limit()) fill(pos);
            return buf.getInt((int) (pos - start));
        }

        byte[] bytes(long pos, int length) throws IOException {
            byte[] out = new byte[length];
            if (length <= SIZE / 2) {
                if (start < 0 || pos < start || pos + length > start + buf.limit()) fill(pos);
                buf.get((int) (pos - start), out);
                return out;
            }
            ByteBuffer b = ByteBuffer.wrap(out);
            while (b.hasRemaining()) {
                if (file.read(b, pos + b.position()) < 0) throw new BagException("the bag ends inside a record at " + pos);
            }
            return out;
        }

        private void fill(long pos) throws IOException {
            buf.clear();
            while (buf.hasRemaining() && pos + buf.position() < size) {
                if (file.read(buf, pos + buf.position()) < 0) break;
            }
            buf.flip();
            start = pos;
        }
    }
}
