package org.teachlearn.learn.online;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Batches on their way from the workers (subscriber threads) to the learner (one thread), and the
 * book of who sent what. Memory is bounded: a worker may have at most {@code perWorkerRows}
 * transitions waiting, and all workers together {@code totalRows} (16 times that unless the
 * heap asks for less); a batch past either bound is
 * dropped and counted against its worker, so one flooding worker cannot starve the others or
 * the heap. Batches are taken in turn from the workers that have some waiting, each worker's in
 * the order it sent them: a slow worker never holds the learner up, and a flooding one delays
 * each other worker's next batch by at most one of its own. A batch with the same transitions as
 * one of the last {@link #REMEMBERED} of its worker is a replay and is dropped: counted twice, it
 * would bias the update and the statistics. A worker silent for longer than the
 * timeout is reported once and counts again from its next batch. The book holds at most
 * {@link #MAX_WORKERS} names; when it is full, silent workers with nothing waiting make room.
 */
public final class Intake {

    /** What the trainer knows about one worker. */
    public static final class Worker {
        public final String name;
        public long batches, rows, refused, stale, flooded, replayed;
        public long lastVersion = -1;
        /** The most transitions this worker had waiting at once (at most the per-worker bound). */
        public int peakPendingRows;
        long lastSeenNanos;
        int pendingRows;
        boolean silent;
        final ArrayDeque<Batch> waiting = new ArrayDeque<>();
        final long[] recent = new long[REMEMBERED];   // fingerprints of its last batches, a ring
        int recentCount, recentNext;

        boolean seen(long fingerprint) {
            for (int i = 0; i < recentCount; i++) if (recent[i] == fingerprint) return true;
            return false;
        }

        void remember(long fingerprint) {
            recent[recentNext] = fingerprint;
            recentNext = (recentNext + 1) % recent.length;
            recentCount = Math.min(recentCount + 1, recent.length);
        }

        Worker(String name) {
            this.name = name;
        }
    }

    /** Names the book holds at most. */
    public static final int MAX_WORKERS = 1024;

    /** Batches per worker whose fingerprints are kept to recognise a replay. */
    public static final int REMEMBERED = 32;

    private final int perWorkerRows;
    private final long totalRows;
    private final ArrayDeque<Worker> turns = new ArrayDeque<>();   // workers with batches waiting, next first
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private long pendingRows, peakPendingRows, flooded, replayed;
    private boolean closed;

    public Intake(int perWorkerRows) {
        this(perWorkerRows, 16L * perWorkerRows);
    }

    /** @param totalRows what all workers together may have waiting (at least {@code perWorkerRows}) */
    public Intake(int perWorkerRows, long totalRows) {
        if (perWorkerRows < 1) throw new IllegalArgumentException("a worker must be allowed at least one waiting transition");
        this.perWorkerRows = perWorkerRows;
        this.totalRows = Math.max(perWorkerRows, totalRows);
    }

    /**
     * A batch arrived at {@code nowNanos}. Returns null when it was queued (as a {@link Batch#copy},
     * so the caller may reuse its arrays), or why it was dropped. The first batch of a worker
     * returns it in {@code joined} (when not null).
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
            if (workers.size() >= MAX_WORKERS) forgetSilent();
            if (workers.size() >= MAX_WORKERS) {
                return "the trainer already follows " + MAX_WORKERS + " workers, none of them silent; batches from new names are dropped";
            }
            w = new Worker(b.worker);
            workers.put(b.worker, w);
            if (joined != null) joined.add(b.worker);
        }
        if (w.silent && back != null) back.put(w.name, (nowNanos - w.lastSeenNanos) / 1e9);
        w.lastSeenNanos = nowNanos;
        w.silent = false;
        int n = b.rows();
        long fingerprint = b.fingerprint();
        if (w.seen(fingerprint)) {
            w.replayed++;
            replayed++;
            return "the worker replays: the same transitions as one of its last " + REMEMBERED + " batches (each is learned from once)";
        }
        if (n > perWorkerRows) {
            w.flooded++;
            flooded++;
            return "the worker floods: " + n + " transitions in one batch, more than a worker may have waiting (~max_pending_rows "
                    + perWorkerRows + ")";
        }
        if (w.pendingRows + n > perWorkerRows) {
            w.flooded++;
            flooded++;
            return String.format(Locale.ROOT, "the worker floods: %d transitions from it already wait (at most %d, ~max_pending_rows); "
                    + "the trainer is behind or the worker sends faster than it acts", w.pendingRows, perWorkerRows);
        }
        if (pendingRows + n > totalRows) {
            w.flooded++;
            flooded++;
            return String.format(Locale.ROOT, "the workers flood: %d transitions from all of them already wait (at most %d); "
                    + "the trainer is behind", pendingRows, totalRows);
        }
        w.remember(fingerprint);
        if (w.waiting.isEmpty()) turns.add(w);
        w.waiting.add(b.copy());
        w.pendingRows += n;
        pendingRows += n;
        w.peakPendingRows = Math.max(w.peakPendingRows, w.pendingRows);
        peakPendingRows = Math.max(peakPendingRows, pendingRows);
        notifyAll();
        return null;
    }

    /** Makes room in a full book: workers reported silent with nothing waiting are forgotten (they join again with their next batch). */
    private void forgetSilent() {
        workers.values().removeIf(w -> w.silent && w.waiting.isEmpty());
    }

    /** The next batch, waiting at most {@code timeoutMillis}; null when none came or the intake was closed. */
    public synchronized Batch take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (turns.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Worker w = turns.poll();
        if (w == null) return null;
        Batch b = w.waiting.poll();
        if (!w.waiting.isEmpty()) turns.add(w);   // its next batch waits for everyone else's turn
        w.pendingRows -= b.rows();
        pendingRows -= b.rows();
        return b;
    }

    /** The learner used {@code b}. */
    public synchronized void used(Batch b) {
        Worker w = workers.get(b.worker);
        if (w == null) return;   // forgotten while its last batch was being learned from
        w.batches++;
        w.rows += b.rows();
        w.lastVersion = b.policyVersion;
    }

    /** The learner refused {@code b} as malformed. */
    public synchronized void refused(Batch b) {
        Worker w = workers.get(b.worker);
        if (w != null) w.refused++;
    }

    /** The learner dropped {@code b} as too old for its algorithm. */
    public synchronized void stale(Batch b) {
        Worker w = workers.get(b.worker);
        if (w == null) return;
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

    /** The most transitions that waited at once, all workers together (at most {@link #totalRows()}). */
    public synchronized long peakPendingRows() {
        return peakPendingRows;
    }

    /** Batches dropped for want of room, all workers together. */
    public synchronized long flooded() {
        return flooded;
    }

    /** Batches dropped as replays, all workers together. */
    public synchronized long replayed() {
        return replayed;
    }

    /** The bound on what all workers together may have waiting. */
    public long totalRows() {
        return totalRows;
    }

    /** The bound on what one worker may have waiting. */
    public int perWorkerRows() {
        return perWorkerRows;
    }

    /** Wakes the learner and refuses nothing more: {@link #take} returns what is left, then null. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
