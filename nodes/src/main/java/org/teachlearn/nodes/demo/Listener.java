package org.teachlearn.nodes.demo;

import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.ros.node.Node;
import org.teachlearn.nodes.program.NodeProgram;

/** The classic listener: logs every std_msgs/String on {@code chatter}. */
public final class Listener {

    private Listener() {
    }

    public static void main(java.lang.String[] argv) throws Exception {
        NodeProgram.main("listener", argv, Listener::run);
    }

    public static void run(Node node) throws Exception {
        node.subscribe("chatter", String.TYPE, m -> node.log().info("I heard: " + m.data));
        node.spin();
    }
}
