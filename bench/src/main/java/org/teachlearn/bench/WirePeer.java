package org.teachlearn.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.Subscriber;

/**
 * Our side of the wire benchmarks, with the same modes as the roscpp and rospy peers
 * (ros/src/test/peers): echo, ping, jspub, jssub. Allocation is measured with the JVM's
 * per-thread allocation counters after warm-up.
 */
public final class WirePeer {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private WirePeer() {
    }

    public static void main(String[] argv) throws Exception {
        NodeArgs args = NodeArgs.parse("java_peer", argv).anonymous();
        java.util.List<String> a = args.rest();
        Node node = Node.start(args);
        switch (a.get(0)) {
            case "echo" -> echo(node, a.get(1), a.get(2));
            case "ping" -> ping(node, a.get(1), a.get(2), Integer.parseInt(a.get(3)));
            case "jspub" -> jsPub(node, a.get(1), Double.parseDouble(a.get(2)));
            case "jssub" -> jsSub(node, a.get(1), Double.parseDouble(a.get(2)));
            default -> throw new IllegalArgumentException("modes: echo IN OUT | ping OUT IN N | jspub T S | jssub T S");
        }
        node.shutdown("done");
        System.exit(0);
    }

    private static void echo(Node node, String in, String out) throws Exception {
        Publisher<Float64MultiArray> pub = node.advertise(out, Float64MultiArray.TYPE, 1, false);
        node.subscribe(in, Float64MultiArray.TYPE, 1, pub::publish);
        System.out.println("ready");
        node.spin();
    }

    private static void ping(Node node, String out, String in, int n) throws Exception {
        AtomicLong received = new AtomicLong();
        Publisher<Float64MultiArray> pub = node.advertise(out, Float64MultiArray.TYPE, 1, false);
        Subscriber<Float64MultiArray> sub = node.subscribe(in, Float64MultiArray.TYPE, 1, m -> received.incrementAndGet());
        while (pub.subscriberCount() == 0 || sub.publisherCount() == 0) Thread.sleep(10);
        Thread.sleep(500);
        Float64MultiArray m = new Float64MultiArray();
        m.data = new double[14];
        java.util.Arrays.fill(m.data, 0.5);
        long[] rtt = new long[n];
        int warm = Math.min(20000, n);
        long allocBefore = 0;
        for (int i = 0; i < warm + n; i++) {
            if (i == warm) allocBefore = THREADS.getCurrentThreadAllocatedBytes();
            long expect = received.get() + 1;
            long t0 = System.nanoTime();
            pub.publish(m);
            while (received.get() < expect) Thread.onSpinWait();
            if (i >= warm) rtt[i - warm] = System.nanoTime() - t0;
        }
        long alloc = THREADS.getCurrentThreadAllocatedBytes() - allocBefore;
        StringBuilder b = new StringBuilder();
        for (long r : rtt) b.append("rtt_ns ").append(r).append('\n');
        System.out.print(b);
        System.out.println("publish_thread_alloc_bytes_per_msg " + (double) alloc / n);
    }

    private static void jsPub(Node node, String topic, double seconds) throws Exception {
        Publisher<JointState> pub = node.advertise(topic, JointState.TYPE, 1000, false);
        while (pub.subscriberCount() == 0) Thread.sleep(10);
        JointState m = new JointState();
        m.name = new String[7];
        for (int j = 0; j < 7; j++) m.name[j] = "joint" + (j + 1);
        m.position = new double[7];
        m.velocity = new double[7];
        m.effort = new double[7];
        java.util.Arrays.fill(m.position, 0.1);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long sent = 0;
        long allocStart = -1;
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            m.header.seq++;
            pub.publish(m);
            sent++;
            if (allocStart < 0 && System.nanoTime() > warmEnd) {
                allocStart = THREADS.getCurrentThreadAllocatedBytes();
                sent = 0;
            }
        }
        long alloc = THREADS.getCurrentThreadAllocatedBytes() - allocStart;
        System.out.println("publish_thread_alloc_bytes_per_msg " + (double) alloc / Math.max(1, sent));
    }

    private static void jsSub(Node node, String topic, double seconds) throws Exception {
        AtomicLong count = new AtomicLong();
        node.subscribe(topic, JointState.TYPE, 1000, m -> count.incrementAndGet());
        System.out.println("ready");
        while (count.get() == 0) Thread.onSpinWait();
        long start = System.nanoTime();
        Thread.sleep(1000);
        long c0 = count.get();
        long a0 = allThreadsAllocated();
        long measureStart = System.nanoTime();
        while (System.nanoTime() - start < (long) (seconds * 1e9)) Thread.sleep(5);
        long c1 = count.get();
        long a1 = allThreadsAllocated();
        double window = (System.nanoTime() - measureStart) / 1e9;
        System.out.println("count " + count.get());
        System.out.println("rate_msgs_per_s " + (c1 - c0) / window);
        System.out.println("receive_alloc_bytes_per_msg " + (double) (a1 - a0) / Math.max(1, c1 - c0));
    }

    /** Bytes allocated by every live thread of this JVM (the receive and dispatch threads included). */
    private static long allThreadsAllocated() {
        long[] ids = THREADS.getAllThreadIds();
        long sum = 0;
        for (long v : THREADS.getThreadAllocatedBytes(ids)) if (v > 0) sum += v;
        return sum;
    }
}
