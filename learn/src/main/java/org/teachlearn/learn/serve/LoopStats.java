package org.teachlearn.learn.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the timed control loop reports every few seconds: ticks run, ticks missed (finished after
 * the end of their period), the slowest tick, and the process's resident memory. Allocation-free
 * per tick; the report line is built once per window.
 */
final class LoopStats {

    private final String name;

    private long ticks, missed, worst, totalTicks, totalMissed;

    LoopStats(String name) {
        this.name = name;
    }

    void record(long start, long end, long deadline, long period) {
        ticks++;
        if (end > deadline + period) missed++;
        worst = Math.max(worst, end - start);
    }

    /** The window's line, then a fresh window. */
    String report(double seconds) {
        totalTicks += ticks;
        totalMissed += missed;
        String line = String.format(Locale.ROOT, "%s: %d ticks in %.0f s, %d missed (total %d of %d), slowest %.0f µs, RSS %d MB",
                name, ticks, seconds, missed, totalMissed, totalTicks, worst / 1e3, residentMegabytes());
        ticks = missed = worst = 0;
        return line;
    }

    /** VmRSS of this process, or −1 where /proc is not there. */
    static long residentMegabytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
