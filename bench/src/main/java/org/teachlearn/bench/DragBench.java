package org.teachlearn.bench;

import java.util.Arrays;
import org.teachlearn.robot.teach.DragController;

/**
 * drag_teach's feel and speed in process ({@code ./teach_learn bench drag}): on the built-in
 * simulator with default parameters ({@link DragFeel}), for admittance on the position-controlled
 * arm and gravity mode on the effort-controlled arm: the steady force a hand needs to move the
 * hand at 0.1 and 0.3 m/s; the drift, nobody touching, with a 0.5 kg tool compensated (and not);
 * pushed into the table, the oscillation left 0.5 s after contact. Then the tick, sensor reading
 * in → command out, timed over many ticks: p50, p99, p99.9 and bytes per tick.
 *
 * Usage: DragBench [ticks]
 */
public final class DragBench {

    /** One mode's feel. */
    public record Feel(DragController.Mode mode, double[] slow, double[] fast, double[] drift, double[] driftUncompensated, double[] table) {
        @Override
        public String toString() {
            return String.format("%s: force for 0.1 m/s %.2f N (moved at %.3f m/s), for 0.3 m/s %.2f N (%.3f m/s); drift in 10 s with a 0.5 kg tool"
                    + " compensated %.3f mm (not compensated %.1f mm) after turning the hand %.2f rad; pushed into the table with 10 N:"
                    + " oscillation %.2f mm from 0.5 s after contact (height change over the window %.2f mm)",
                    mode.name().toLowerCase(), slow[0], slow[1], fast[0], fast[1], drift[0] * 1e3, driftUncompensated[0] * 1e3, drift[1],
                    table[1] * 1e3, table[2] * 1e3);
        }
    }

    /** The feel of {@code mode}; {@code seconds} of drift (the full figure: 10). */
    public static Feel feel(DragController.Mode mode, double seconds) throws Exception {
        return new Feel(mode, DragFeel.guide(mode, 0.1, 2.5, 1.0), DragFeel.guide(mode, 0.3, 1.2, 0.4), DragFeel.drift(mode, 0.5, 0.5, seconds),
                DragFeel.drift(mode, 0.5, 0, seconds), DragFeel.tablePush(mode, 10, 2, org.teachlearn.robot.teach.DragSettings.DEFAULTS));
    }

    /**
     * p50, p99, p99.9 (µs) and bytes per tick of {@code ticks} ticks of {@code mode}, after a
     * warm-up; gravity mode with the hand's orientation locked (the spring's Jacobian and forward
     * kinematics are the longer path).
     */
    public static double[] tickTimes(DragController.Mode mode, int ticks) throws Exception {
        DragFeel f = new DragFeel(mode, 0.5, false, 5, mode == DragController.Mode.GRAVITY
                ? org.teachlearn.robot.teach.DragSettings.DEFAULTS.withSelectedAxes("x y z") : org.teachlearn.robot.teach.DragSettings.DEFAULTS);
        f.tare(0.3);
        DragController c = f.controller();
        double[] q = new double[7], qd = new double[7], raw = new double[6], out = new double[7];
        f.sim().armPositions(q);
        f.sim().armVelocities(qd);
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[ticks];
        // bytes are counted in windows and the quietest window is reported: a one-off such as a late
        // JIT deoptimisation lands in one window, while a per-tick allocation shows in every window
        int window = Math.max(1, ticks / 4);
        long windowStart = 0, quietest = Long.MAX_VALUE;
        for (int i = -50_000; i < ticks; i++) {
            if (i >= 0 && i % window == 0) {
                long now = mx.getCurrentThreadAllocatedBytes();
                if (i > 0) quietest = Math.min(quietest, now - windowStart);
                windowStart = now;
            }
            // a hand pushing back and forth, the arm where it was commanded (an ideal position controller)
            raw[1] = 6 * Math.sin(i * 0.002);
            raw[2] = -4 + 3 * Math.cos(i * 0.0013);
            long t = System.nanoTime();
            c.tick(q, qd, raw, 0.001, out);
            long dt = System.nanoTime() - t;
            if (i >= 0) nanos[i] = dt;
            if (mode == DragController.Mode.ADMITTANCE) {
                for (int j = 0; j < 7; j++) {
                    qd[j] = (out[j] - q[j]) / 0.001;
                    q[j] = out[j];
                }
            }
        }
        if (ticks % window == 0) quietest = Math.min(quietest, mx.getCurrentThreadAllocatedBytes() - windowStart);
        Arrays.sort(nanos);
        return new double[] {nanos[ticks / 2] / 1e3, nanos[(int) (ticks * 0.99)] / 1e3, nanos[(int) (ticks * 0.999)] / 1e3, (double) quietest / window};
    }

    public static void main(String[] args) throws Exception {
        int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long t0 = System.nanoTime();
        for (DragController.Mode mode : DragController.Mode.values()) System.out.println("drag_teach feel, " + feel(mode, 10));
        for (DragController.Mode mode : DragController.Mode.values()) {
            double[] t = tickTimes(mode, ticks);
            System.out.printf("drag_teach tick in process, %s (wrench in -> command out): p50 %.1f us, p99 %.1f us, p99.9 %.1f us,"
                    + " %.2f B/tick in the quietest quarter of %d ticks (target p99 <= 50 us, 0 B)%n", mode.name().toLowerCase(), t[0], t[1], t[2], t[3], ticks);
        }
        System.out.printf("(%.0f s)%n", (System.nanoTime() - t0) / 1e9);
    }
}
