package org.teachlearn.ros.node;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;
import org.teachlearn.ros.xmlrpc.XmlRpcFault;

/** The master API as a node calls it: every call carries the node's caller id. */
public final class MasterClient {

    private final XmlRpcClient client;
    private final String callerId;

    public MasterClient(URI masterUri, String callerId) {
        this.client = new XmlRpcClient(masterUri);
        this.callerId = callerId;
    }

    /** A client that gives up on the master after {@code timeoutMillis} (for probes). */
    public MasterClient(URI masterUri, String callerId, int timeoutMillis) {
        this.client = new XmlRpcClient(masterUri, timeoutMillis, 64 << 20);
        this.callerId = callerId;
    }

    public URI uri() {
        return client.uri();
    }

    /** Calls a master method and returns the value of a successful [code, message, value] reply. */
    public Object call(String method, Object... args) throws IOException {
        Object[] full = new Object[args.length + 1];
        full[0] = callerId;
        System.arraycopy(args, 0, full, 1, args.length);
        Object reply;
        try {
            reply = client.call(method, full);
        } catch (XmlRpcFault f) {
            throw new IOException("master " + client.uri() + " " + method + ": " + f.getMessage(), f);
        }
        if (!(reply instanceof List<?> r) || r.size() < 3) {
            throw new IOException("master " + client.uri() + " sent a malformed reply to " + method + ": " + reply);
        }
        int code = r.get(0) instanceof Integer c ? c : -1;
        if (code != 1) throw new MasterException(method, code, String.valueOf(r.get(1)));
        return r.get(2);
    }

    /** A master reply with a failure code (e.g. an unknown parameter). */
    public static final class MasterException extends IOException {
        public final int code;

        MasterException(String method, int code, String message) {
            super(method + ": " + message);
            this.code = code;
        }
    }
}
