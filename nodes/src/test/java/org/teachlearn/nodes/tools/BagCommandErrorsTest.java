package org.teachlearn.nodes.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.bag.BagWriter;

/**
 * {@code bag info|play|reindex} on what is not a good bag: one line saying what is wrong and what to
 * do, no stack trace, exit status 1; a truncated bag is never summarised as empty; a damaged bag is
 * repaired with its loss reported.
 */
class BagCommandErrorsTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) { }

    static Run bag(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = BagCommand.execute(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    static void oneLineError(Run r, String expected) {
        assertEquals(1, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void missingNonBagAndOtherVersionFilesAreOneLineErrors() throws Exception {
        Path missing = dir.resolve("missing.bag"), text = dir.resolve("notes.bag"), old = dir.resolve("old.bag");
        Files.writeString(text, "just some text\n");
        Files.writeString(old, "#ROSBAG V1.2\n" + "x".repeat(100));
        for (String cmd : List.of("info", "play", "reindex")) {
            oneLineError(bag(cmd, missing.toString()), "no such file");
            oneLineError(bag(cmd, text.toString()), "is not a ROS bag");
            oneLineError(bag(cmd, old.toString()), "version 1.2");
        }
        System.out.println("bag errors, e.g.: " + bag("info", old.toString()).err().trim());
    }

    @Test
    void truncatedBagIsReportedThenRepaired() throws Exception {
        Path bag = dir.resolve("cut.bag");
        write(bag);
        try (RandomAccessFile f = new RandomAccessFile(bag.toFile(), "rw")) {
            f.setLength(f.length() * 2 / 3);
        }
        Run info = bag("info", bag.toString());
        oneLineError(info, "truncated");
        assertTrue(info.err().contains("bag reindex") && !info.out().contains("messages:"), info.toString());
        Run reindex = bag("reindex", bag.toString());
        assertEquals(0, reindex.status(), reindex.toString());
        assertTrue(reindex.out().contains("kept ") && reindex.out().contains("lost "), reindex.out());
        System.out.println("bag reindex of a bag cut at 2/3: " + reindex.out().trim());
        Run after = bag("info", bag.toString());
        assertEquals(0, after.status(), after.toString());
        assertTrue(after.out().contains("messages:"), after.out());
    }

    @Test
    void bagThatYieldsNothingExitsNonZero() throws Exception {
        Path bag = dir.resolve("garbage.bag");
        byte[] junk = new byte[50_000];
        new java.util.Random(3).nextBytes(junk);
        Files.write(bag, "#ROSBAG V2.0\n".getBytes());
        Files.write(bag, junk, java.nio.file.StandardOpenOption.APPEND);
        oneLineError(bag("reindex", bag.toString()), "holds no intact message");
    }

    private static void write(Path bag) throws Exception {
        try (BagWriter w = new BagWriter(bag, BagWriter.Compression.BZ2, 8 * 1024, Long.MAX_VALUE / 4)) {
            int c = w.connection("/chatter", org.teachlearn.msgs.std_msgs.String.TYPE, "/talker", false);
            org.teachlearn.msgs.std_msgs.String m = new org.teachlearn.msgs.std_msgs.String();
            for (int i = 0; i < 2000; i++) {
                m.data = "message " + i;
                w.write(c, 1_700_000_000_000_000_000L + i * 1_000_000L, m);
            }
        }
    }
}
