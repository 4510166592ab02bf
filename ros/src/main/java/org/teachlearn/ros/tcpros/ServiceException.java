package org.teachlearn.ros.tcpros;

import java.io.IOException;

/** A service call that the provider refused or failed; the message is the provider's. */
public class ServiceException extends IOException {
    public ServiceException(String message) {
        super(message);
    }
}
