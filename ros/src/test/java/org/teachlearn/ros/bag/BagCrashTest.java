package org.teachlearn.ros.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A writer killed with {@code kill -9} in the middle of a recording leaves a bag that ours refuses
 * with what to do; after {@link BagReindexer} both ours and Python rosbag read it, and it holds
 * every message written up to at most the last second before the kill, in order.
 */
class BagCrashTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void killedWriterRepairsLosingAtMostTheLastSecond(BagWriter.Compression compression) throws Exception {
        Path bag = dir.resolve("killed.bag");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), BagKillTarget.class.getName(), bag.toString(), compression.name()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        // killed once it has written 1,500 messages (3 s at its 500 a second, several chunks), not after a
        // fixed time: a JVM on a loaded 2-core machine took over 1.5 s to start, and another once wrote
        // only 968 in its first 3 s
        String l = out.readLine();
        assertTrue(l != null, "the writer wrote nothing");
        int last = Integer.parseInt(l.trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (last < 1500 && System.nanoTime() < deadline && (l = out.readLine()) != null) last = Integer.parseInt(l.trim());
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertTrue(last > 1000, "the writer wrote only " + last + " messages");

        BagException e = assertThrows(BagException.class, () -> new BagReader(bag).close());
        assertTrue(e.getMessage().contains("reindex"), e.getMessage());
        BagReindexer.Result r = BagReindexer.reindex(bag);

        List<Integer> ours = new ArrayList<>();
        try (BagReader reader = new BagReader(bag)) {
            reader.read(null, 0, Long.MAX_VALUE, m -> {
                byte[] b = new byte[m.data().getInt(0)];
                m.data().get(4, b);
                ours.add(Integer.parseInt(new String(b, StandardCharsets.UTF_8)));
            });
        }
        for (int i = 0; i < ours.size(); i++) assertEquals(i, ours.get(i), "message " + i + " in order, none missing");
        assertEquals(r.messagesKept(), ours.size());
        // 500 messages per second: at most the last second (plus the messages in flight in the pipe) is lost
        assertTrue(ours.size() >= last - 600, "kept " + ours.size() + " of " + (last + 1) + " messages (chunks " + r.chunksKept() + ")");
        System.out.printf("bag %s killed after ~%d messages: reindex kept %d in %d chunks, skipped %d torn bytes%n", compression, last + 1,
                ours.size(), r.chunksKept(), r.bytesSkipped());
        List<String> python = BagInteropTest.peer("read", bag.toString());
        assertEquals(ours.size(), python.size(), "Python rosbag reads the repaired bag");
    }
}
