package org.teachlearn.ros.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flood of log lines keeps the log directory bounded, rotates with ROS's names, stays fast and allocates nothing per line. */
class RotatingLogFileTest {

    @TempDir
    Path dir;

    @Test
    void floodOf20MbWithA1MbCapKeepsFourFilesOfAtMost1Mb() throws Exception {
        Path log = dir.resolve("rosout.log");
        StringBuilder line = new StringBuilder();
        long written = 0, lines = 0;
        long t0 = System.nanoTime();
        try (RotatingLogFile f = new RotatingLogFile(log, new RotatingLogFile.Limits(1 << 20, 3))) {
            while (written < 20L << 20) {
                line.setLength(0);
                line.append("1700000000.000000000 INFO /flooder [flood.py:12(spam)] [topics: /rosout] message ").append(lines++);
                f.println(line);
                written += line.length() + 1;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        long total = 0;
        for (Path p : files) {
            assertTrue(Files.size(p) <= 1 << 20, p + " is " + Files.size(p) + " bytes");
            total += Files.size(p);
        }
        assertEquals(List.of(log, dir.resolve("rosout.log.1"), dir.resolve("rosout.log.2"), dir.resolve("rosout.log.3")), files);
        String last = Files.readAllLines(log).get(Files.readAllLines(log).size() - 1);
        assertTrue(last.endsWith("message " + (lines - 1)), "the newest line is in rosout.log: " + last);
        String firstOf1 = Files.readAllLines(dir.resolve("rosout.log.1")).get(0);
        String lastOf1 = Files.readAllLines(dir.resolve("rosout.log.1")).get(Files.readAllLines(dir.resolve("rosout.log.1")).size() - 1);
        long n = Long.parseLong(lastOf1.substring(lastOf1.lastIndexOf(' ') + 1));
        assertTrue(Files.readAllLines(log).get(0).endsWith("message " + (n + 1)), "rosout.log continues where rosout.log.1 ends: " + firstOf1);
        double mbps = written / 1e6 / seconds;
        // the writer it replaces, in the same run: a PrintWriter flushed per line, never rotated
        long t1 = System.nanoTime();
        Path old = Files.createTempFile("unrotated", ".log");
        try (java.io.PrintWriter w = new java.io.PrintWriter(Files.newBufferedWriter(old), true)) {
            for (long i = 0; i < lines; i++) {
                w.println("1700000000.000000000 INFO /flooder [flood.py:12(spam)] [topics: /rosout] message " + i);
            }
        }
        double oldMbps = written / 1e6 / ((System.nanoTime() - t1) / 1e9);
        Files.delete(old);
        System.out.printf("log flood: %.1f MB in %d lines at %.0f MB/s (the unrotated PrintWriter it replaces: %.0f MB/s);"
                + " directory after: %d files, %.2f MB (cap 1 MiB x (1 + 3 backups))%n", written / 1e6, lines, mbps, oldMbps, files.size(), total / 1e6);
        assertTrue(total <= 4L << 20);
        assertTrue(mbps > 0.5 * oldMbps, "writing stays fast: " + mbps + " MB/s, the old writer " + oldMbps);
    }

    @Test
    void aLineAllocatesNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StringBuilder line = new StringBuilder("[INFO] [1700000000.000000000]: tick 0123456789 ünïcode");
        try (RotatingLogFile f = new RotatingLogFile(dir.resolve("node.log"), new RotatingLogFile.Limits(1 << 20, 1))) {
            for (int i = 0; i < 20_000; i++) f.println(line);   // warm up, and past rotations
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 100_000; i++) f.println(line);
            long perLine = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / 100_000;
            System.out.println("log line: " + perLine + " bytes allocated per line (rotations included)");
            assertTrue(perLine < 16, perLine + " bytes per line");
        }
    }

    @Test
    void aLineLongerThanTheCapIsCutAtIt() throws Exception {
        Path log = dir.resolve("big.log");
        try (RotatingLogFile f = new RotatingLogFile(log, new RotatingLogFile.Limits(4096, 2))) {
            f.println("first");
            f.println("y".repeat(200_000));
            f.println("after");
        }
        assertEquals(4096, Files.size(dir.resolve("big.log.1")));
        assertEquals("first\n", Files.readString(dir.resolve("big.log.2")));
        assertEquals("after\n", Files.readString(log));
    }

    @Test
    void limitsParseSizesWithUnits() {
        assertEquals(100L << 20, RotatingLogFile.Limits.bytes("100M"));
        assertEquals(512 << 10, RotatingLogFile.Limits.bytes("512k"));
        assertEquals(1048576, RotatingLogFile.Limits.bytes("1048576"));
        assertEquals(new RotatingLogFile.Limits(100L << 20, 10), RotatingLogFile.Limits.ROSOUT);
    }
}
