package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal (redrawn in place), or a plain line every few seconds when
 * the output is a file or a CI log.
 */
public final class ProgressBar {

    private final PrintStream out;
    private final String what;
    private final long total;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long lastPrint;

    public ProgressBar(PrintStream out, String what, long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    public void update(long done, String status) {
        long now = System.nanoTime();
        if (!terminal && now - lastPrint < 5_000_000_000L && done < total) return;
        lastPrint = now;
        double fraction = total > 0 ? Math.min(1, (double) done / total) : 1;
        double elapsed = (now - start) / 1e9;
        double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : Double.NaN;
        int width = 30, filled = (int) (fraction * width);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
        String line = String.format(Locale.ROOT, "%s %s %3.0f%% %d/%d %.0fs (eta %.0fs) %s", what, bar, 100 * fraction, done, total, elapsed, eta, status);
        if (terminal) {
            out.print("\r" + line + "   ");
            if (done >= total) out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }
}
