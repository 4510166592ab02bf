package org.teachlearn.ros.message;

/** Bytes that cannot be a message of the expected type: a length too large, or data too short. */
public class MessageFormatException extends RuntimeException {
    public MessageFormatException(String message) {
        super(message);
    }
}
