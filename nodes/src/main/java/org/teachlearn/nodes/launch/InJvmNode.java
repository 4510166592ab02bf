package org.teachlearn.nodes.launch;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.teachlearn.nodes.program.NodeProgram;
import org.teachlearn.ros.launch.LaunchNode;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * A teach_learn node run on a thread of the launcher's JVM: its own name, namespace, remaps and
 * private parameters, as a process of its own would have them, without a JVM start per node.
 */
final class InJvmNode extends Launched {

    private final NodeProgram program;
    private volatile Thread thread;
    private volatile Node node;
    private volatile String ending = "process has finished cleanly";

    InJvmNode(LaunchNode spec, NodeProgram program, URI master) {
        super(spec, master);
        this.program = program;
    }

    @Override
    String begin() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        environment(env);
        Node n = Node.start(NodeArgs.parse(spec.type(), nodeArgs().toArray(new String[0]), env));
        node = n;
        ending = "process has finished cleanly";
        Thread t = new Thread(() -> {
            try {
                program.run(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | Error e) {
                n.log().fatal(spec.name() + ": " + e.getMessage());
                ending = "process has died [" + e + "]";
            } finally {
                n.shutdown("done");
            }
        }, spec.fullName());
        thread = t;
        t.start();
        return "process[" + processName() + "]: started in this JVM";
    }

    @Override
    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    @Override
    String ending() {
        return ending;
    }

    @Override
    void stop() {
        Node n = node;
        if (n != null) n.shutdown("launch shutting down");
        Thread t = thread;
        if (t == null) return;
        try {
            t.join(5000);
            if (t.isAlive()) {
                t.interrupt();
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
