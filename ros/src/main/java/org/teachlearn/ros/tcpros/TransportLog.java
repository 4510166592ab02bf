package org.teachlearn.ros.tcpros;

/** Where the transport reports what went wrong with a peer; the node sends it to /rosout. */
public interface TransportLog {
    void warn(String message);

    void error(String message);

    TransportLog STDERR = new TransportLog() {
        @Override
        public void warn(String message) {
            System.err.println("[WARN] " + message);
        }

        @Override
        public void error(String message) {
            System.err.println("[ERROR] " + message);
        }
    };
}
