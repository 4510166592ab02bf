package org.teachlearn.ros.node;

import java.io.IOException;
import java.net.URI;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.ServiceType;
import org.teachlearn.ros.tcpros.Limits;
import org.teachlearn.ros.tcpros.ServiceConnection;

/**
 * Calls a service by name. A plain client looks the service up and connects for every call; a
 * persistent one keeps its connection and reconnects if it breaks.
 */
public final class ServiceClient<Q extends Message, R extends Message> implements AutoCloseable {

    private final Node node;
    private final String name;
    private final ServiceType<Q, R> type;
    private final boolean persistent;
    private final Limits limits;
    private ServiceConnection<Q, R> connection;

    ServiceClient(Node node, String name, ServiceType<Q, R> type, boolean persistent, Limits limits) {
        this.node = node;
        this.name = name;
        this.type = type;
        this.persistent = persistent;
        this.limits = limits;
    }

    public String name() {
        return name;
    }

    public Q newRequest() {
        return type.request().newMessage();
    }

    /** Calls the service and returns a new response. */
    public R call(Q request) throws IOException {
        R response = type.response().newMessage();
        call(request, response);
        return response;
    }

    public synchronized void call(Q request, R response) throws IOException {
        if (persistent && connection != null) {
            try {
                connection.call(request, response);
                return;
            } catch (org.teachlearn.ros.tcpros.ServiceException e) {
                throw e;
            } catch (IOException e) {
                closeConnection();
            }
        }
        ServiceConnection<Q, R> c = new ServiceConnection<>(lookup(), name, type, node.name(), persistent, limits);
        try {
            c.call(request, response);
        } finally {
            if (persistent) connection = c;
            else c.close();
        }
    }

    /** Waits until the master knows a provider; false on timeout. */
    public boolean waitForService(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try {
                lookup();
                return true;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) return false;
                Thread.sleep(50);
            }
        }
    }

    private URI lookup() throws IOException {
        Object uri = node.master().call("lookupService", name);
        URI u = URI.create(String.valueOf(uri));
        if (!"rosrpc".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
            throw new IOException("service " + name + " has an unusable URI: " + uri);
        }
        return u;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // dropping it anyway
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
