package org.teachlearn.ros.message;

/** A service: its type name, MD5 sum (of request and response together) and the two halves. */
public record ServiceType<Q extends Message, R extends Message>(String name, String md5,
        MessageType<Q> request, MessageType<R> response) {
}
