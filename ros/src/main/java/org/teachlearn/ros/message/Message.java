package org.teachlearn.ros.message;

import java.nio.ByteBuffer;

/**
 * A ROS message that writes itself to and reads itself from a little-endian buffer. Reading
 * reuses the message's arrays, nested messages and unchanged strings, so one instance can take a
 * stream of messages without allocating; it is therefore valid only until it is read into again.
 */
public interface Message {

    MessageType<? extends Message> type();

    /** Bytes {@link #serialize} will write. */
    int serializedSize();

    /** Writes this message at the buffer's position; the buffer must be little-endian. */
    void serialize(ByteBuffer out);

    /**
     * Reads a message from the buffer's position; the buffer must be little-endian.
     *
     * @throws java.nio.BufferUnderflowException when the data ends early
     * @throws MessageFormatException when a length in the data cannot be right
     */
    void deserialize(ByteBuffer in);
}
