package org.teachlearn.ros.master;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * The master's calls back to nodes (publisherUpdate, paramUpdate, shutdown), as rosmaster makes
 * them: off the caller's thread, in order per node, on a fixed number of threads with a timeout
 * per call. Ten thousand dead subscribers cost ten thousand queued calls, not ten thousand
 * threads; past the queue's cap new calls are dropped with a line in the log.
 */
final class Notifier implements AutoCloseable {

    private final MasterLimits limits;
    private final Consumer<String> log;
    private final ThreadPoolExecutor pool;
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>(); // per node; present while one runs
    private int queued;
    private long lastDropLogNanos;
    private int unloggedDrops;

    Notifier(MasterLimits limits, Consumer<String> log) {
        this.limits = limits;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(limits.notifyThreads(), limits.notifyThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "master-notify-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Calls {@code method} on the node at {@code api}, after any calls to it queued before. */
    void send(String api, String method, Object... args) {
        submit(api, () -> {
            try {
                new XmlRpcClient(URI.create(api), limits.notifyTimeoutMillis(), 1 << 20).call(method, args);
            } catch (Exception e) {
                log.accept(method + " to " + api + " failed: " + e.getMessage());
            }
        });
    }


    private void submit(String api, Runnable call) {
        synchronized (this) {
            if (queued >= limits.notifyQueue()) {
                dropped(api);
                return;
            }
            queued++;
            ArrayDeque<Runnable> q = waiting.get(api);
            if (q != null) {
                q.add(call);
                return;
            }
            waiting.put(api, new ArrayDeque<>());
        }
        execute(() -> runThenNext(api, call));
    }

    /** Runs {@code task} on a notifier thread, not in order with anything; dropped when the master is closing. */
    void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed between the check and here: the master is going away
        }
    }

    private void runThenNext(String api, Runnable call) {
        try {
            call.run();
        } finally {
            Runnable next;
            synchronized (this) {
                queued--;
                ArrayDeque<Runnable> q = waiting.get(api);
                next = q == null ? null : q.poll();
                if (next == null) waiting.remove(api);
            }
            if (next != null) execute(() -> runThenNext(api, next));
        }
    }

    private void dropped(String api) {
        long now = System.nanoTime();
        if (lastDropLogNanos != 0 && now - lastDropLogNanos < 1_000_000_000L) {
            unloggedDrops++;
            return;
        }
        lastDropLogNanos = now;
        log.accept("dropped a callback to " + api + ": " + limits.notifyQueue() + " callbacks already wait"
                + " (nodes that do not answer?); raise notifyQueue in MasterLimits if this graph needs more"
                + (unloggedDrops > 0 ? " (" + unloggedDrops + " more dropped in the last second)" : ""));
        unloggedDrops = 0;
    }

    /** Callbacks waiting or running now, for tests. */
    synchronized int queued() {
        return queued;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
