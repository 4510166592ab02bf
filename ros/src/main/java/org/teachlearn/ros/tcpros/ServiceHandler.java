package org.teachlearn.ros.tcpros;

import org.teachlearn.ros.message.Message;

/**
 * Answers a service request by filling in the response. A thrown exception is sent to the
 * client as a failed call carrying its message, as rospy does.
 */
@FunctionalInterface
public interface ServiceHandler<Q extends Message, R extends Message> {
    void handle(Q request, R response) throws Exception;
}
