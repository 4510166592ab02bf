package org.teachlearn.nodes.loop;

import java.util.concurrent.atomic.AtomicInteger;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Subscriber;

/**
 * The episodes that workers finish, counted from their {@code task/state} as anyone on the graph
 * can: how many ended and how many succeeded, from the moment it is reset on.
 */
final class EpisodeWatch implements AutoCloseable {

    private final AtomicInteger ended = new AtomicInteger(), succeeded = new AtomicInteger();
    private final Subscriber<?>[] subs;
    private volatile boolean counting;

    /** Watches {@code /worker_0/task/state} … for {@code workers} workers. */
    EpisodeWatch(Node node, int workers) throws Exception {
        subs = new Subscriber<?>[workers];
        for (int i = 0; i < workers; i++) {
            subs[i] = node.subscribe("/worker_" + i + "/task/state", TaskState.TYPE, 1000, this::onState);
        }
    }

    private void onState(TaskState s) {
        if (!counting || !s.done) return;
        ended.incrementAndGet();
        if (s.success) succeeded.incrementAndGet();
    }

    /** Counts from now on. */
    void reset() {
        counting = false;
        ended.set(0);
        succeeded.set(0);
        counting = true;
    }

    int ended() {
        return ended.get();
    }

    int succeeded() {
        return succeeded.get();
    }

    @Override
    public void close() {
        for (Subscriber<?> s : subs) s.close();
    }
}
