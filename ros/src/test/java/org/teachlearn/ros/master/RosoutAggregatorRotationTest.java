package org.teachlearn.ros.master;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.RotatingLogFile;

/** A node flooding /rosout fills rosout.log, which rotates: the log directory stays bounded. */
class RosoutAggregatorRotationTest {

    @TempDir
    Path dir;

    @Test
    void rosoutFloodKeepsTheLogDirectoryBounded() throws Exception {
        Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
        try (RosoutAggregator rosout = new RosoutAggregator(master.uri(), dir, new RotatingLogFile.Limits(1 << 20, 3))) {
            Node flooder = Node.start(NodeArgs.parse("flooder", new String[0]).withMaster(master.uri()));
            Thread.sleep(500);   // the aggregator's subscription connects
            String text = "x".repeat(200);
            long t0 = System.nanoTime();
            for (int i = 0; i < 60_000; i++) {   // ~16 MB of rosout.log lines
                flooder.log().debug("never printed");   // below the threshold: nothing happens
                flooder.log().log(org.teachlearn.msgs.rosgraph_msgs.Log.INFO, text);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(1500);
            flooder.shutdown("done");
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.sorted().toList();
            }
            long total = 0;
            for (Path p : files) {
                assertTrue(Files.size(p) <= 1 << 20, p + " is " + Files.size(p));
                total += Files.size(p);
            }
            System.out.printf("rosout flood: 60000 lines in %.1f s through /rosout; log directory after: %s, %.2f MB%n", seconds,
                    files.stream().map(p -> p.getFileName().toString()).toList(), total / 1e6);
            assertTrue(files.size() <= 4 && files.contains(dir.resolve("rosout.log.3")), files.toString());
        } finally {
            master.close();
        }
    }
}
