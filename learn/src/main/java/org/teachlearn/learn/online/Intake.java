package org.teachlearn.learn.online;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Batches on their way from the workers (subscriber threads) to the learner (one thread), and the
 * book of who sent what. Memory is bounded: a worker may have at most {@code perWorkerRows}
 * transitions waiting, and all workers together 16 times that; a batch past either bound is
 * dropped and counted against its worker, so one flooding worker cannot starve the others or
 * the heap. Batches are taken in arrival order, whoever sent them: a slow worker never holds the
 * learner up. A worker silent for longer than the timeout is reported once and counts again from
 * its next batch.
 */
public final class Intake {

    /** What the trainer knows about one worker. */
    public static final class Worker {
        public final String name;
        public long batches, rows, refused, stale, flooded;
        public long lastVersion = -1;
        long lastSeenNanos;
        int pendingRows;
        boolean silent;

        Worker(String name) {
            this.name = name;
        }
    }

    private final int perWorkerRows;
    private final long totalRows;
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private long pendingRows;
    private boolean closed;

    public Intake(int perWorkerRows) {
        if (perWorkerRows < 1) throw new IllegalArgumentException("a worker must be allowed at least one waiting transition");
        this.perWorkerRows = perWorkerRows;
        this.totalRows = 16L * perWorkerRows;
    }

    /**
     * A batch arrived at {@code nowNanos}. Returns null when it was queued, or why it was dropped.
     * The first batch of a worker returns it in {@code joined} (when not null).
     */
    public synchronized String offer(Batch b, long nowNanos, List<String> joined) {
        return offer(b, nowNanos, joined, null);
    }

    /**
     * As {@link #offer(Batch, long, List)}; a worker that had been reported silent comes back in
     * {@code back} (when not null) with the seconds it was silent.
     */
    public synchronized String offer(Batch b, long nowNanos, List<String> joined, Map<String, Double> back) {
        Worker w = workers.get(b.worker);
        if (w == null) {
            if (workers.size() >= 1024) return "more than 1024 workers have sent experience; batches from new names are dropped";
            w = new Worker(b.worker);
            workers.put(b.worker, w);
            if (joined != null) joined.add(b.worker);
        }
        if (w.silent && back != null) back.put(w.name, (nowNanos - w.lastSeenNanos) / 1e9);
        w.lastSeenNanos = nowNanos;
        w.silent = false;
        int n = b.rows();
        if (w.pendingRows + n > perWorkerRows || pendingRows + n > totalRows) {
            w.flooded++;
            return String.format("%d transitions already wait from this worker (at most %d): the trainer is behind or the worker floods",
                    w.pendingRows, perWorkerRows);
        }
        w.pendingRows += n;
        pendingRows += n;
        queue.add(b);
        notifyAll();
        return null;
    }

    /** The next batch, waiting at most {@code timeoutMillis}; null when none came or the intake was closed. */
    public synchronized Batch take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (queue.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Batch b = queue.poll();
        if (b != null) {
            Worker w = workers.get(b.worker);
            w.pendingRows -= b.rows();
            pendingRows -= b.rows();
        }
        return b;
    }

    /** The learner used {@code b}. */
    public synchronized void used(Batch b) {
        Worker w = workers.get(b.worker);
        w.batches++;
        w.rows += b.rows();
        w.lastVersion = b.policyVersion;
    }

    /** The learner refused {@code b} as malformed. */
    public synchronized void refused(Batch b) {
        workers.get(b.worker).refused++;
    }

    /** The learner dropped {@code b} as too old for its algorithm. */
    public synchronized void stale(Batch b) {
        Worker w = workers.get(b.worker);
        w.stale++;
        w.lastVersion = b.policyVersion;
    }

    /** The book entry of {@code name} (created by its first batch); null when it never sent one. */
    public synchronized Worker worker(String name) {
        return workers.get(name);
    }

    /** Workers silent for longer than {@code timeoutNanos} that were not reported yet; each is reported once per silence. */
    public synchronized List<Worker> newlySilent(long nowNanos, long timeoutNanos) {
        List<Worker> out = new ArrayList<>();
        for (Worker w : workers.values()) {
            if (!w.silent && nowNanos - w.lastSeenNanos > timeoutNanos) {
                w.silent = true;
                out.add(w);
            }
        }
        return out;
    }

    /** How many workers sent a batch within the timeout. */
    public synchronized int active() {
        int n = 0;
        for (Worker w : workers.values()) if (!w.silent) n++;
        return n;
    }

    /** A copy of the book, for reports. */
    public synchronized List<Worker> workers() {
        return new ArrayList<>(workers.values());
    }

    public synchronized long pendingRows() {
        return pendingRows;
    }

    /** Wakes the learner and refuses nothing more: {@link #take} returns what is left, then null. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
