package org.teachlearn.ros.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.teachlearn.ros.tcpros.ServiceProvider;
import org.teachlearn.ros.tcpros.TopicPublisher;
import org.teachlearn.ros.tcpros.TopicSubscriber;

/**
 * Notices a master that restarted and registers the node again. Once a second it asks the master
 * who it is (lookupNode of its own name, one short call); a master that does not know it gets every publication,
 * subscription, service and parameter subscription again. Without this a node outlives a roscore
 * restart but nobody new can find it, as happens to roscpp and rospy nodes.
 */
final class MasterWatch implements AutoCloseable {

    static final long PERIOD_MILLIS = 1_000;

    private final Node node;
    private final MasterClient probe;
    private final Thread thread;
    private volatile boolean closed;
    private boolean unreachable;

    MasterWatch(Node node) {
        this.node = node;
        this.probe = new MasterClient(node.master().uri(), node.name(), 1_000);
        this.thread = new Thread(this::run, "master-watch" + node.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (closed || node.isShutdown()) return;
            check();
        }
    }

    private void check() {
        try {
            Object api = probe.call("lookupNode", node.name());
            if (unreachable) node.log().info("master at " + probe.uri() + " answers again and still knows this node");
            unreachable = false;
            return; // known (under another URI if a newer node took the name: the master shuts us down then)
        } catch (MasterClient.MasterException e) {
            // answered, but does not know us: a new master
        } catch (IOException e) {
            if (!unreachable) {
                node.log().warn("master at " + probe.uri() + " does not answer (" + e.getMessage()
                        + "); this node registers again when it is back");
            }
            unreachable = true;
            return;
        }
        unreachable = false;
        if (!closed && !node.isShutdown()) registerAgain();
    }

    /** Offers everything the node has to the master again; each call stands alone. */
    void registerAgain() {
        MasterClient master = node.master();
        String api = node.slaveUri().toString();
        List<String> failed = new ArrayList<>();
        int n = 0;
        for (TopicPublisher p : new ArrayList<>(node.transport().publishers())) {
            n++;
            try {
                master.call("registerPublisher", p.topic(), p.type().name(), api);
            } catch (IOException e) {
                failed.add("publisher of " + p.topic() + ": " + e.getMessage());
            }
        }
        for (TopicSubscriber<?> s : new ArrayList<>(node.transport().subscribers())) {
            n++;
            try {
                Object pubs = master.call("registerSubscriber", s.topic(), s.type().name(), api);
                List<String> uris = new ArrayList<>();
                if (pubs instanceof List<?> l) for (Object o : l) uris.add(String.valueOf(o));
                s.updatePublishers(uris);
            } catch (IOException e) {
                failed.add("subscriber of " + s.topic() + ": " + e.getMessage());
            }
        }
        for (ServiceProvider<?, ?> s : new ArrayList<>(node.transport().services())) {
            n++;
            try {
                master.call("registerService", s.name(), node.serviceUri(), api);
            } catch (IOException e) {
                failed.add("service " + s.name() + ": " + e.getMessage());
            }
        }
        n += node.params().subscribeAgain(failed);
        node.log().warn("master at " + master.uri() + " did not know this node (restarted?): registered "
                + (n - failed.size()) + " of " + n + " publications, subscriptions, services and parameter"
                + " subscriptions again" + (failed.isEmpty() ? "" : "; failed: " + String.join("; ", failed)));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
