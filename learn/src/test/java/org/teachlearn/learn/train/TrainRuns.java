package org.teachlearn.learn.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;

/** What the learning tests share: runs into directories of their own under one temporary directory, and their progress.csv read back. */
abstract class TrainRuns {

    @TempDir
    static Path dir;

    @BeforeAll
    static void home() throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
    }

    static Path train(String algorithm, String... options) throws Exception {
        Path out = dir.resolve(algorithm + "-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of(algorithm, "--out", out.toString()));
        args.addAll(List.of(options));
        TrainCommand.train(args);
        return out;
    }

    static int col(Path out, String name) throws Exception {
        String[] header = CsvLog.header(out.resolve("progress.csv"));
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        throw new AssertionError("no column " + name);
    }

    /** The last non-NaN value of a column. */
    static double last(Path out, String column) throws Exception {
        int c = col(out, column);
        List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
        for (int i = rows.size() - 1; i >= 0; i--) if (!Double.isNaN(rows.get(i)[c])) return rows.get(i)[c];
        throw new AssertionError("no value in column " + column);
    }
}
