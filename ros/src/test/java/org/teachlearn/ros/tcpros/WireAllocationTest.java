package org.teachlearn.ros.tcpros;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The wire's hot path allocates nothing per message: a steady JointState stream through TCPROS,
 * measured on every thread that touches a message — the publishing thread, the flusher, the
 * connection's reader (a queue-0 subscription runs its callback there) and a queued
 * subscription's dispatch thread.
 */
class WireAllocationTest {

    static final int MESSAGES = 30_000;

    @Test
    void aSteadyJointStateStreamAllocatesNothingPerMessage() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node pubNode = Node.start(NodeArgs.parse("streamer", new String[] {"__master:=" + master.uri()}));
            Node subNode = Node.start(NodeArgs.parse("reader", new String[] {"__master:=" + master.uri()}));
            AtomicLong inline = new AtomicLong(), queued = new AtomicLong();
            double[] sum = new double[1];
            subNode.subscribe("/js", JointState.TYPE, 0, m -> {
                sum[0] += m.position[0];
                inline.incrementAndGet();
            });
            subNode.subscribe("/js2", JointState.TYPE, MESSAGES,   // a slot per message: after the warm-up every slot has its size
                m -> queued.incrementAndGet());
            Publisher<JointState> js = pubNode.advertise("/js", JointState.TYPE);
            Publisher<JointState> js2 = pubNode.advertise("/js2", JointState.TYPE);
            RosPeers.waitUntil(() -> js.subscriberCount() > 0 && js2.subscriberCount() > 0, 10, "the subscriber to connect");
            JointState m = new JointState();
            m.name = new String[] {"a1", "a2", "a3", "a4", "a5", "a6", "a7"};
            m.position = new double[7];
            m.velocity = new double[7];
            m.effort = new double[7];
            try {
                stream(js, js2, m, MESSAGES, inline, queued);   // warm-up: JIT, buffers grown to size
                long[] ids = wireThreads(Thread.currentThread().getId());
                long[] each = threads.getThreadAllocatedBytes(ids);
                long before = sum(threads, ids);
                stream(js, js2, m, MESSAGES, inline, queued);
                long bytes = sum(threads, ids) - before;
                long[] after = threads.getThreadAllocatedBytes(ids);
                for (int k = 0; k < ids.length; k++) {
                    var info = threads.getThreadInfo(ids[k]);
                    System.out.printf("  %s: %d B%n", info == null ? ids[k] : info.getThreadName(), after[k] - each[k]);
                }
                double perMessage = bytes / (2.0 * MESSAGES);
                System.out.printf("wire: %d messages on %d threads, %.3f B allocated per message%n", 2 * MESSAGES, ids.length, perMessage);
                assertTrue(ids.length >= 4, "did not find the wire's threads: " + ids.length);
                assertTrue(perMessage < 1.0, perMessage + " B allocated per message on the wire's hot path");
            } finally {
                subNode.shutdown("test over");
                pubNode.shutdown("test over");
            }
        }
    }

    private static void stream(Publisher<JointState> a, Publisher<JointState> b, JointState m, int n, AtomicLong inline, AtomicLong queued)
            throws Exception {
        long i0 = inline.get(), q0 = queued.get();
        for (int i = 0; i < n; i++) {
            m.header.seq = i;
            m.header.stamp.setNanos(1_000_000L * i);
            m.position[0] = i;
            a.publish(m);
            b.publish(m);
            if ((i & 255) == 0) Thread.sleep(1);   // let the readers keep up: nothing is dropped, nothing queues deep
        }
        RosPeers.waitUntil(() -> inline.get() - i0 >= n && queued.get() - q0 >= n, 30, "all messages to arrive");
    }

    /** The caller's thread and every thread the transport runs messages on. */
    private static long[] wireThreads(long caller) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getId() == caller || t.getName().startsWith("sub/js") || t.getName().startsWith("dispatch/js")
                        || t.getName().startsWith("tcpros-flush"))
                .mapToLong(Thread::getId).toArray();
    }

    private static long sum(com.sun.management.ThreadMXBean threads, long[] ids) {
        long s = 0;
        for (long v : threads.getThreadAllocatedBytes(ids)) if (v > 0) s += v;
        return s;
    }
}
