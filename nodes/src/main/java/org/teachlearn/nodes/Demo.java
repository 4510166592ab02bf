package org.teachlearn.nodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.teachlearn.nodes.loop.TeachLearnLoop;

/**
 * {@code ./teach_learn demo}: the whole teach-and-learn loop over ROS on an embedded master, each
 * stage a launch file run as a user runs it (see {@link TeachLearnLoop}). Progress on the console;
 * report.txt and report.html (the stages' figures and curves in one page) in {@code runs/demo/}.
 */
final class Demo {

    private Demo() {
    }

    static void run(Path out) throws Exception {
        run(out, TeachLearnLoop.Plan.FULL);
    }

    static void run(Path out, TeachLearnLoop.Plan plan) throws Exception {
        if (Files.exists(out)) deleteTree(out);
        Files.createDirectories(out);
        TeachLearnLoop.run(out, plan);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) Files.deleteIfExists(all.get(i));
    }
}
