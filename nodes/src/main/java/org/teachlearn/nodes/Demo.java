package org.teachlearn.nodes;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * {@code ./teach_learn demo}. What exists so far is the ROS 1 wire, so the demo runs an embedded
 * master with a talker and a listener over real TCPROS and reports the round trip. The learning
 * demo (demonstrations, BC, PPO, serving) replaces it as the robot, learning and policy server
 * parts land.
 */
final class Demo {

    private Demo() {
    }

    static void run() throws Exception {
        System.out.println("teach_learn demo: so far the ROS 1 wire is built; the learning demo comes with the policy server.");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            URI uri = master.uri();
            System.out.println("[1/3] embedded master at " + uri);
            try (RosoutAggregator rosout = new RosoutAggregator(uri, null);
                    Node talker = Node.start(args("talker", uri));
                    Node listener = Node.start(args("listener", uri))) {
                int total = 50;
                CountDownLatch heard = new CountDownLatch(total);
                AtomicInteger last = new AtomicInteger(-1);
                listener.subscribe("chatter", org.teachlearn.msgs.std_msgs.String.TYPE, m -> {
                    last.set(Integer.parseInt(m.data.substring(m.data.lastIndexOf(' ') + 1)));
                    heard.countDown();
                });
                Publisher<org.teachlearn.msgs.std_msgs.String> chatter =
                        talker.advertise("chatter", org.teachlearn.msgs.std_msgs.String.TYPE);
                System.out.println("[2/3] talker and listener started; waiting for the listener to connect");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (chatter.subscriberCount() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
                org.teachlearn.msgs.std_msgs.String msg = new org.teachlearn.msgs.std_msgs.String();
                for (int i = 0; i < total; i++) {
                    msg.data = "hello world " + i;
                    chatter.publish(msg);
                    Thread.sleep(20);
                    if ((i + 1) % 10 == 0) System.out.printf("      sent %d/%d%n", i + 1, total);
                }
                boolean all = heard.await(5, TimeUnit.SECONDS);
                System.out.printf("[3/3] listener heard %d of %d messages (last: hello world %d)%n",
                        total - heard.getCount(), total, last.get());
                if (!all) throw new IllegalStateException("messages were lost between talker and listener");
            }
        }
        System.out.println("demo finished: the wire works. Try ./teach_learn master, then rostopic/rosnode against it.");
    }

    private static NodeArgs args(String name, URI master) {
        return NodeArgs.parse(name, new String[0]).withMaster(master);
    }
}
