package org.teachlearn.ros.tcpros;

/**
 * Caps on what a peer can make a node allocate. A frame or header over its cap closes the
 * connection with an error in the log; other connections are unaffected.
 *
 * @param maxMessageBytes  largest message accepted (policy models travel as messages, so the
 *                         default is generous)
 * @param maxHeaderBytes   largest connection header accepted
 * @param handshakeMillis  how long a new connection may take to send its header
 */
public record Limits(int maxMessageBytes, int maxHeaderBytes, int handshakeMillis) {

    public static final Limits DEFAULT = new Limits(256 << 20, 1 << 20, 5_000);

    public Limits {
        if (maxMessageBytes <= 0 || maxHeaderBytes <= 0 || handshakeMillis <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
