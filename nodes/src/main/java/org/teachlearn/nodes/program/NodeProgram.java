package org.teachlearn.nodes.program;

import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * What a node executable does on its started node, returning when the node is done (shut down or
 * finished). The same program runs as its own process ({@code ./teach_learn run}, {@code rosrun})
 * or next to others in the launcher's JVM, so it never exits the JVM itself.
 */
@FunctionalInterface
public interface NodeProgram {

    void run(Node node) throws Exception;

    /** Runs a program as a process: a configuration error is logged as fatal and exits with status 2. */
    static void main(String defaultName, String[] argv, NodeProgram program) throws Exception {
        Node node = Node.start(NodeArgs.parse(defaultName, argv));
        try {
            program.run(node);
        } catch (IllegalArgumentException e) {
            node.log().fatal(node.name() + ": " + e.getMessage());
            node.shutdown("configuration error");
            System.exit(2);
        }
        node.shutdown("done");
    }
}
