package org.teachlearn.learn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's progress log: one CSV row per iteration, flushed as written. On resume, rows past the
 * checkpoint's iteration (written by the run that was killed after its last checkpoint) are dropped,
 * so the log continues the same curve without duplicates.
 */
public final class CsvLog {

    private final Path file;
    private final String[] columns;

    public CsvLog(Path file, String... columns) {
        this.file = file;
        this.columns = columns;
    }

    /** Starts a fresh log, or keeps the rows up to {@code lastIteration} (the first column) of an existing one. */
    public void open(boolean resume, long lastIteration) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> keep = new ArrayList<>();
        keep.add(String.join(",", columns));
        if (resume && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 1; i < lines.size(); i++) {
                String l = lines.get(i);
                int comma = l.indexOf(',');
                if (comma < 0) continue;
                try {
                    if (Long.parseLong(l.substring(0, comma)) <= lastIteration) keep.add(l);
                } catch (NumberFormatException e) {
                    // a row torn by the kill: drop it
                }
            }
        }
        Files.write(file, keep);
    }

    public void row(double... values) throws IOException {
        if (values.length != columns.length) throw new IllegalArgumentException("row has " + values.length + " values for " + columns.length + " columns");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(',');
            double v = values[i];
            sb.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v));
        }
        sb.append('\n');
        Files.writeString(file, sb, StandardOpenOption.APPEND);
    }

    public Path file() {
        return file;
    }

    /** The log's rows as numbers (NaN where a cell is empty or not a number). */
    public static List<double[]> read(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            double[] r = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                try {
                    r[c] = Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    r[c] = Double.NaN;
                }
            }
            rows.add(r);
        }
        return rows;
    }

    public static String[] header(Path file) throws IOException {
        return Files.readAllLines(file).get(0).split(",");
    }
}
