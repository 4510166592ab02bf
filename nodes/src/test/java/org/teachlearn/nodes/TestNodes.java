package org.teachlearn.nodes;

import java.net.URI;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/** Starting nodes on a test's master. */
public final class TestNodes {

    /**
     * The tag of tests whose outcome depends on wall-clock pacing: simulated people moving at human
     * speed, topic rates, latencies. They run after the others, one at a time (nodes/pom.xml), so
     * that no other test's load changes what they measure.
     */
    public static final String REALTIME = "realtime";

    private TestNodes() {
    }

    /** A node named {@code name} on {@code master}, with command-line {@code params} ({@code _p:=v}, remaps). */
    public static Node node(String name, URI master, String... params) throws Exception {
        String[] argv = new String[params.length + 1];
        argv[0] = "__master:=" + master;
        System.arraycopy(params, 0, argv, 1, params.length);
        return Node.start(NodeArgs.parse(name, argv));
    }
}
