package org.teachlearn.learn.serve;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A control loop at a fixed period on a thread of its own, as ros_control runs its controllers:
 * SCHED_FIFO where the process may ({@link RealtimeThread}), each tick started at its deadline by
 * parking and then spinning the last 200 µs (parking alone wakes late), no catching up in a burst
 * after falling behind, and a line of {@link LoopStats} every stats period. What a tick does, and
 * the watchdog that decides whether it may act, belong to the caller.
 */
public final class TimedLoop {

    /** One tick at time {@code now} (System.nanoTime()); true when it ran the controller (counted in the statistics). */
    public interface Tick {
        boolean run(long now);
    }

    private final Thread thread;

    /**
     * @param name          thread and statistics name
     * @param period        the current period in ns (asked every tick: a new model may change it)
     * @param priority      SCHED_FIFO priority; 0 runs at normal priority
     * @param statsPeriod   ns between two statistics lines
     * @param stopped       true once the loop must end
     */
    public TimedLoop(String name, LongSupplier period, int priority, long statsPeriod, Tick tick, Consumer<String> info,
            Consumer<String> warn, BooleanSupplier stopped) {
        thread = new Thread(() -> {
            String why = priority > 0 ? RealtimeThread.elevate(priority) : "its real-time priority is 0";
            if (why != null) warn.accept(name + " runs without real-time priority (" + why + "); expect late ticks on a busy machine");
            LoopStats stats = new LoopStats(name);
            long next = System.nanoTime(), window = next;
            while (!stopped.getAsBoolean()) {
                long step = period.getAsLong(), start = System.nanoTime();
                boolean ran = tick.run(start);
                long end = System.nanoTime();
                if (ran) stats.record(start, end, next, step);
                if (end - window >= statsPeriod) {
                    info.accept(stats.report((end - window) / 1e9));
                    window = end;
                }
                next += step;
                long sleep = next - System.nanoTime() - 200_000;
                if (sleep > 0) LockSupport.parkNanos(sleep);
                while (System.nanoTime() < next) Thread.onSpinWait();
                if (System.nanoTime() - next > step) next = System.nanoTime();
            }
        }, name);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }
}
