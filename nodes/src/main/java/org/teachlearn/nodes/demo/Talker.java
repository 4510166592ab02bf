package org.teachlearn.nodes.demo;

import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.ros.node.Node;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.ros.node.Publisher;

/**
 * The classic talker: publishes std_msgs/String on {@code chatter} at {@code ~rate} Hz (default 10),
 * {@code ~count} messages (0 = forever).
 */
public final class Talker {

    private Talker() {
    }

    public static void main(java.lang.String[] argv) throws Exception {
        NodeProgram.main("talker", argv, Talker::run);
    }

    public static void run(Node node) throws Exception {
        double rate = node.params().getDouble("~rate", 10.0);
        int count = node.params().getInt("~count", 0);
        Publisher<String> chatter = node.advertise("chatter", String.TYPE);
        String msg = new String();
        long period = (long) (1e9 / rate);
        long next = System.nanoTime();
        for (int i = 0; (count == 0 || i < count) && !node.isShutdown(); i++) {
            msg.data = "hello world " + i;
            node.log().info(msg.data);
            chatter.publish(msg);
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
