package org.teachlearn.learn.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What every reinforcement learning run writes beside its log: the curves while it trains, the summary at the end. */
final class RunOutputs {

    private static final long PLOT_EVERY_NANOS = 30_000_000_000L;

    private RunOutputs() {
    }

    /** When a run starts: its first checkpoint draws the curves. */
    static long neverPlotted() {
        return System.nanoTime() - PLOT_EVERY_NANOS - 1_000_000_000L;
    }

    /**
     * Draws curve.png and .svg at a checkpoint: drawing costs 0.3-0.8 s, so at most every 30 s while
     * training, and always at the end ({@code last}). Returns when the curves were last drawn.
     */
    static long curves(Setup setup, CsvLog csv, String algorithm, Path out, boolean last, long lastPlot) throws IOException {
        if (!last && System.nanoTime() - lastPlot <= PLOT_EVERY_NANOS) return lastPlot;
        LearningCurve.plot(csv.file(), "env_steps", new String[] {"eval_success_rate", "mean_return", "value_loss"},
                algorithm + " on " + setup.task + (setup.pushes.any() ? " with pushes" : ""), out.resolve("curve.png"));
        return System.nanoTime();
    }

    /** summary.txt: the final evaluation; and the line that says where everything is. */
    static void summary(Setup setup, String algorithm, Path out, long envSteps, double evalSuccess, int evalEpisodes, PrintStream log)
            throws IOException {
        Files.writeString(out.resolve("summary.txt"), String.format(Locale.ROOT,
                "%s on %s: %d env steps, final evaluation %.1f%% success over %d episodes%n", algorithm, setup.task, envSteps,
                100 * evalSuccess, evalEpisodes));
        log.printf(Locale.ROOT, "done: %s; curves %s, model %s%n", Files.readString(out.resolve("summary.txt")).trim(),
                out.resolve("curve.png"), out.resolve("policy.onnx"));
    }
}
