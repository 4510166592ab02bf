package org.teachlearn.learn.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.teachlearn.learn.chart.Curve;
import org.teachlearn.learn.train.Checkpoint;
import org.teachlearn.learn.train.CsvLog;

/**
 * What a report needs from one training run's directory: its log ({@code progress.csv}), the
 * settings it was started with (kept in {@code checkpoint.bin}), its one-line summary, and its
 * curves as {@code train} drew them.
 */
public record RunDirectory(Path dir, Map<String, String> settings, String[] header, List<double[]> rows, String summary) {

    public static RunDirectory read(Path dir) throws IOException {
        Path csv = dir.resolve("progress.csv");
        if (!Files.exists(csv)) throw new IllegalArgumentException(dir + " is not a training run: it has no progress.csv (train writes one)");
        Path ckpt = dir.resolve("checkpoint.bin"), summary = dir.resolve("summary.txt");
        Map<String, String> settings = Files.exists(ckpt) ? Checkpoint.settings(ckpt) : Map.of();
        return new RunDirectory(dir, settings, CsvLog.header(csv), CsvLog.read(csv), Files.exists(summary) ? Files.readString(summary).trim() : "");
    }

    public String name() {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    /** bc, dagger, ppo, ppo-kl, trpo, gail or reinforce; from the directory's name when the checkpoint is missing. */
    public String algorithm() {
        String a = settings.get("algo");
        if (a != null) return a;
        String n = name();
        for (String known : new String[] {"dagger", "ppo-kl", "trpo", "gail", "reinforce", "ppo", "bc"}) if (n.contains(known)) return known;
        return n;
    }

    public boolean imitation() {
        return column("env_steps") < 0;
    }

    public boolean fineTuned() {
        String init = settings.get("init");
        return init != null && !init.isEmpty();
    }

    /** The algorithm as a legend names it: "BC", "DAgger", "PPO (from a checkpoint)". */
    public String method() {
        String m = switch (algorithm()) {
            case "bc" -> "BC";
            case "dagger" -> "DAgger";
            case "ppo" -> "PPO";
            case "ppo-kl" -> "PPO (KL penalty)";
            case "trpo" -> "TRPO";
            case "gail" -> "GAIL";
            case "reinforce" -> "REINFORCE";
            default -> algorithm();
        };
        return fineTuned() ? m + " fine-tuned" : m;
    }

    /** The task as run: "reach", "reach with pushes". */
    public String condition() {
        return settings.getOrDefault("task", "reach") + ("true".equals(settings.get("pushes")) ? " with pushes" : "");
    }

    /**
     * The settings that make the run what it is: all it was started with but its seed, its output
     * directory, the checkpoint it started from and the counters a checkpoint adds. Runs equal in
     * these are seeds of one configuration.
     */
    public Map<String, String> configuration() {
        Map<String, String> c = new TreeMap<>(settings);
        for (String k : new String[] {"seed", "out", "init", "resume", "iteration", "env_steps", "next_seed", "beta", "labels"}) c.remove(k);
        return c;
    }

    public String seed() {
        return settings.getOrDefault("seed", "?");
    }

    public String setting(String name) {
        return settings.getOrDefault(name, "");
    }

    public int column(String name) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        return -1;
    }

    /** {@code y} (times {@code scale}) against {@code x} where both are logged; empty if either column is missing. */
    public Curve curve(String x, String y, double scale) {
        int xi = column(x), yi = column(y);
        if (xi < 0 || yi < 0) return new Curve(new double[0], new double[0]);
        return Curve.of(rows, xi, yi, scale);
    }

    /** The column's last logged number, NaN if none. */
    public double last(String name) {
        int c = column(name);
        for (int i = rows.size() - 1; c >= 0 && i >= 0; i--) {
            double[] r = rows.get(i);
            if (r.length > c && Double.isFinite(r[c])) return r[c];
        }
        return Double.NaN;
    }

    /** The curves {@code train} drew for this run: SVG if it wrote one, else PNG (runs from before SVG), else null. */
    public Path curveImage() {
        for (String f : new String[] {"curve.svg", "curve.png"}) if (Files.exists(dir.resolve(f))) return dir.resolve(f);
        return null;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s on %s, seed %s)", name(), method(), condition(), seed());
    }
}
