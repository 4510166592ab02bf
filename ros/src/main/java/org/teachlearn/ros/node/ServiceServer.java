package org.teachlearn.ros.node;

/** A handle on a service this node offers. */
public final class ServiceServer implements AutoCloseable {

    private final Node node;
    private final String name;

    ServiceServer(Node node, String name) {
        this.node = node;
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        node.unadvertiseService(name);
    }
}
