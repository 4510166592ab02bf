package org.teachlearn.ros.tcpros;

import java.io.IOException;

/** A peer broke the TCPROS protocol; its connection is dropped. */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
