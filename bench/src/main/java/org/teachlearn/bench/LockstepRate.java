package org.teachlearn.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * Counts the lockstep environment steps that pass through ROS (task/state messages, one per state)
 * for a given time, after a warm-up, and the episodes and successes among them.
 *
 * Usage: LockstepRate [seconds] [warm-up seconds]   (with ROS_MASTER_URI set)
 */
public final class LockstepRate {

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20, warm = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Node node = Node.start(NodeArgs.parse("lockstep_rate", new String[0]));
        AtomicLong states = new AtomicLong(), episodes = new AtomicLong(), successes = new AtomicLong();
        node.subscribe("task/state", TaskState.TYPE, 0, m -> {   // no queue: the probe costs the two cores as little as it can
            states.incrementAndGet();
            if (m.done) {
                episodes.incrementAndGet();
                if (m.success) successes.incrementAndGet();
            }
        });
        Thread.sleep((long) (warm * 1000));
        long s0 = states.get(), e0 = episodes.get(), ok0 = successes.get(), t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        double dt = (System.nanoTime() - t0) / 1e9;
        long n = states.get() - s0, e = episodes.get() - e0, ok = successes.get() - ok0;
        System.out.printf("lockstep through ROS: %.0f steps/s over %.0f s; %d episodes, %d succeeded%n", n / dt, dt, e, ok);
        node.shutdown("done");
        System.exit(0);
    }
}
