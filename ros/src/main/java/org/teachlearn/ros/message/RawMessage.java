package org.teachlearn.ros.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A message kept as its serialised bytes, with the type it was sent as: lets a node relay or
 * record topics of any type without a class for it. The byte array is reused and grows as needed.
 */
public final class RawMessage implements Message {

    private MessageType<RawMessage> type;
    private byte[] data = Wire.EMPTY_BYTES;
    private int length;

    public RawMessage(MessageType<RawMessage> type) {
        this.type = type;
    }

    @Override
    public MessageType<RawMessage> type() {
        return type;
    }

    /** The connection this message arrived on may name a more precise type than the subscriber did. */
    public void setType(MessageType<RawMessage> type) {
        this.type = type;
    }

    public byte[] data() {
        return data;
    }

    public int length() {
        return length;
    }

    public RawMessage set(byte[] bytes, int offset, int len) {
        ensure(len);
        System.arraycopy(bytes, offset, data, 0, len);
        length = len;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    @Override
    public int serializedSize() {
        return length;
    }

    @Override
    public void serialize(ByteBuffer out) {
        out.put(data, 0, length);
    }

    /** Takes every byte left in the buffer: a raw message is the whole frame. */
    @Override
    public void deserialize(ByteBuffer in) {
        int n = in.remaining();
        ensure(n);
        in.get(data, 0, n);
        length = n;
    }

    /** Reads this message as a known type. */
    public <T extends Message> T decode(T into) {
        into.deserialize(ByteBuffer.wrap(data, 0, length).order(java.nio.ByteOrder.LITTLE_ENDIAN));
        return into;
    }

    private void ensure(int n) {
        if (data.length < n) data = new byte[Math.max(n, data.length * 2)];
    }
}
