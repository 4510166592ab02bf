package org.teachlearn.ros.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bag damaged in the middle — a chunk's length, bytes of a chunk header, a zeroed stretch, a cut —
 * loses only what the damage touched: after {@link BagReindexer} every message of every intact
 * chunk is there, byte for byte, for ours and for Python rosbag, and the loss is reported.
 */
class BagRepairTest {

    static final int MESSAGES = 3000;
    static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    /** How a test damages the bag, given the chunks' {position, start, end}; returns the indexes of the chunks it ruins. */
    interface Damage {
        Set<Integer> apply(RandomAccessFile f, List<long[]> chunks) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void corruptChunkLengthLosesOnlyThatChunk(BagWriter.Compression c) throws Exception {
        repair("chunk 1's length", c, (f, chunks) -> {
            long pos = chunks.get(1)[0];
            f.seek(pos);
            int hl = Integer.reverseBytes(f.readInt());
            f.seek(pos + 4 + hl);
            f.writeInt(Integer.reverseBytes(0x7fff0000));   // data length far past the end of the file
            return Set.of(1);
        });
    }

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void flippedChunkHeaderBytesLoseOnlyThatChunk(BagWriter.Compression c) throws Exception {
        repair("bytes flipped in chunk 2's header", c, (f, chunks) -> {
            long pos = chunks.get(2)[0];
            for (int i = 6; i < 30; i += 3) {
                f.seek(pos + i);
                int b = f.read();
                f.seek(pos + i);
                f.write(b ^ 0x5a);
            }
            return Set.of(2);
        });
    }

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void zeroedStretchLosesOnlyTheChunksItTouches(BagWriter.Compression c) throws Exception {
        repair("zeroed from mid chunk 2 into chunk 3", c, (f, chunks) -> {
            long from = chunks.get(2)[0] + recordLength(f, chunks.get(2)[0]) / 2;
            f.seek(from);
            f.write(new byte[(int) (chunks.get(3)[0] + 64 - from)]);
            return Set.of(2, 3);
        });
    }

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void truncatedMidChunkKeepsTheChunksBefore(BagWriter.Compression c) throws Exception {
        Path bag = repair("cut in the middle of chunk 4", c, (f, chunks) -> {
            long pos = chunks.get(4)[0];
            f.setLength(pos + recordLength(f, pos) / 2);
            return new HashSet<>(List.of(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20).subList(0, chunks.size() - 4));
        });
        assertTrue(Files.exists(bag));
    }

    @Test
    void truncatedBagIsReportedNotReadAsEmpty() throws Exception {
        Path bag = dir.resolve("cut.bag");
        write(bag, BagWriter.Compression.LZ4);
        try (RandomAccessFile f = new RandomAccessFile(bag.toFile(), "rw")) {
            f.setLength(f.length() - 300);   // the end of the index section
        }
        BagException e = assertThrows(BagException.class, () -> new BagReader(bag).close());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("reindex"), e.getMessage());
        try (RandomAccessFile f = new RandomAccessFile(bag.toFile(), "rw")) {
            f.setLength(f.length() / 2);   // the index is gone altogether
        }
        e = assertThrows(BagException.class, () -> new BagReader(bag).close());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("reindex"), e.getMessage());
    }

    @Test
    void bagOfGarbageYieldsNothingAndIsLeftAlone() throws Exception {
        Path bag = dir.resolve("garbage.bag");
        byte[] junk = new byte[100_000];
        new java.util.Random(7).nextBytes(junk);
        Files.write(bag, BagFormat.MAGIC);
        Files.write(bag, junk, java.nio.file.StandardOpenOption.APPEND);
        BagReindexer.Result r = BagReindexer.reindex(bag);
        assertTrue(r.yieldedNothing());
        assertEquals(BagFormat.MAGIC.length + junk.length, Files.size(bag), "left as it was");
        assertFalse(Files.exists(r.original()));
    }

    @Test
    void notABagAndOtherVersionsSayWhatTheyAre() throws Exception {
        Path text = dir.resolve("notes.bag");
        Files.writeString(text, "hello\n");
        assertTrue(assertThrows(BagException.class, () -> BagReindexer.reindex(text)).getMessage().contains("is not a ROS bag"));
        Path old = dir.resolve("old.bag");
        Files.writeString(old, "#ROSBAG V1.2\nrest");
        assertTrue(assertThrows(BagException.class, () -> new BagReader(old)).getMessage().contains("version 1.2"));
        Path missing = dir.resolve("missing.bag");
        assertTrue(assertThrows(BagException.class, () -> BagReindexer.reindex(missing)).getMessage().contains("no such file"));
    }

    // --- the repair and its checks ---

    private Path repair(String what, BagWriter.Compression c, Damage damage) throws Exception {
        Path bag = dir.resolve("damaged.bag");
        List<String> written = write(bag, c);
        List<long[]> chunks;
        try (BagReader r = new BagReader(bag)) {
            chunks = r.chunkSpans();
        }
        assertTrue(chunks.size() >= 6, chunks.size() + " chunks");
        Set<Integer> ruined;
        try (RandomAccessFile f = new RandomAccessFile(bag.toFile(), "rw")) {
            ruined = damage.apply(f, chunks);
        }
        List<String> intact = new ArrayList<>();   // what the chunks the damage did not touch hold
        for (String m : written) {
            long t = Long.parseLong(m.split(" ")[1]);
            boolean lost = false;
            for (int i : ruined) lost |= t >= chunks.get(i)[1] && t <= chunks.get(i)[2];
            if (!lost) intact.add(m);
        }
        long t0 = System.nanoTime();
        BagReindexer.Result r = BagReindexer.reindex(bag);
        double ms = (System.nanoTime() - t0) / 1e6;
        List<String> kept = read(bag);
        assertTrue(kept.containsAll(intact), "every message of an intact chunk is kept: " + kept.size() + " kept, " + intact.size() + " intact");
        assertTrue(written.containsAll(kept), "nothing kept that was not written");
        assertEquals(kept.size(), new HashSet<>(kept).size(), "no message twice");
        assertEquals(r.messagesKept(), kept.size());
        if (c != BagWriter.Compression.NONE) {
            assertEquals(intact.size(), kept.size(), "a damaged compressed chunk is lost whole");
        }
        assertTrue(r.lostSomething() && r.bytesSkipped() > 0, "the loss is reported: " + r);
        if (r.lossCounted()) assertEquals(written.size() - kept.size(), r.messagesLost(), "the loss counted from the surviving index: " + r);
        else assertTrue(r.messagesLost() <= written.size() - kept.size(), "a lower bound when a torn chunk left no count: " + r);

        List<String> python = BagInteropTest.peer("read", bag.toString());
        assertEquals(lines(bag), python, "Python rosbag reads the repaired bag, message for message");
        String info = BagInteropTest.run("rosbag", "info", bag.toString());
        assertTrue(info.matches("(?s).*messages:\\s+" + kept.size() + "\\n.*"), info);
        System.out.printf("bag repair | %-34s | %-4s | chunks kept %2d lost %d | messages kept %4d of %d, lost %4d%s | %6d bytes skipped | %.0f ms%n",
                what, c, r.chunksKept(), r.chunksLost(), r.messagesKept(), written.size(), r.messagesLost(),
                r.lossCounted() ? "" : "+", r.bytesSkipped(), ms);
        return bag;
    }

    /** The length of the whole record at {@code pos}. */
    static long recordLength(RandomAccessFile f, long pos) throws Exception {
        f.seek(pos);
        int hl = Integer.reverseBytes(f.readInt());
        f.seek(pos + 4 + hl);
        return 8L + hl + Integer.reverseBytes(f.readInt());
    }

    /** 3,000 std_msgs/String on two topics, in chunks of 16 KB: "topic time data" per message. */
    static List<String> write(Path bag, BagWriter.Compression c) throws Exception {
        List<String> written = new ArrayList<>();
        try (BagWriter w = new BagWriter(bag, c, 16 * 1024, Long.MAX_VALUE / 4)) {
            int a = w.connection("/chatter", org.teachlearn.msgs.std_msgs.String.TYPE, "/talker", false);
            int b = w.connection("/status", org.teachlearn.msgs.std_msgs.String.TYPE, "/monitor", false);
            org.teachlearn.msgs.std_msgs.String m = new org.teachlearn.msgs.std_msgs.String();
            for (int i = 0; i < MESSAGES; i++) {
                long t = T0 + i * 1_000_000L;
                m.data = "message " + i + " " + "x".repeat(i % 17);
                boolean chatter = i % 3 != 0;
                w.write(chatter ? a : b, t, m);
                written.add((chatter ? "/chatter " : "/status ") + t + " " + m.data);
            }
        }
        return written;
    }

    static List<String> read(Path bag) throws Exception {
        List<String> out = new ArrayList<>();
        try (BagReader r = new BagReader(bag)) {
            r.read(null, 0, Long.MAX_VALUE, e -> {
                byte[] s = new byte[e.data().getInt(0)];
                e.data().get(4, s);
                out.add(e.connection().topic() + " " + e.timeNanos() + " " + new String(s, StandardCharsets.UTF_8));
            });
        }
        return out;
    }

    private static List<String> lines(Path bag) throws Exception {
        List<String> out = new ArrayList<>();
        try (BagReader r = new BagReader(bag)) {
            r.read(null, 0, Long.MAX_VALUE, e -> out.add(BagInteropTest.line(e.connection().topic(), e.data().duplicate(), e.timeNanos())));
        }
        return out;
    }
}
