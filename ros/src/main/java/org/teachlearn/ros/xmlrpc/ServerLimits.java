package org.teachlearn.ros.xmlrpc;

/**
 * What one XML-RPC server lets its clients cost: connections, time and memory. The defaults
 * follow roscore's bar (hundreds of idle or slow clients do not stop it answering) while keeping
 * threads fixed and memory inside the heap the JVM runs with.
 *
 * @param maxBodyBytes        largest request body accepted; larger ones are refused before reading
 * @param maxInFlightBytes    request bodies held at once, all connections together; a request that
 *                            would pass it is answered 503 before its body is allocated
 * @param maxConnections      open connections; past it the longest-idle one is closed for the new one
 * @param requestMillis       whole-request deadline, from its first byte to its last (and for
 *                            writing the answer): a client trickling bytes is cut when it passes
 * @param idleMillis          how long a connection may sit between requests (keep-alive) or before
 *                            its first one
 * @param maxHeaderBytes      request line and headers together
 * @param workers             threads running handlers; they only ever see complete requests
 */
public record ServerLimits(int maxBodyBytes, long maxInFlightBytes, int maxConnections, int requestMillis,
        int idleMillis, int maxHeaderBytes, int workers) {

    public ServerLimits {
        if (maxBodyBytes <= 0 || maxInFlightBytes < maxBodyBytes || maxConnections <= 0 || requestMillis <= 0
                || idleMillis <= 0 || maxHeaderBytes < 256 || workers <= 0) {
            throw new IllegalArgumentException("XML-RPC server limits must be positive, with maxInFlightBytes >= maxBodyBytes"
                    + " and maxHeaderBytes >= 256: " + this);
        }
    }

    /**
     * Defaults for this JVM: a body may take at most an eighth of the heap and all bodies in
     * flight a quarter, whatever {@code requestedMaxBody} asks for; a parsed body takes a few times
     * its size, so this leaves the heap room for the handlers and the rest of the node.
     */
    public static ServerLimits forHeap(int requestedMaxBody) {
        long heap = Runtime.getRuntime().maxMemory();
        long inFlight = Math.max(1 << 20, heap / 4);
        int body = (int) Math.max(64 << 10, Math.min(requestedMaxBody, heap / 8));
        return new ServerLimits(body, Math.max(inFlight, body), 1024, 15_000, 60_000, 16 << 10, 16);
    }
}
