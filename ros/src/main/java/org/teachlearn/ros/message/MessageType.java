package org.teachlearn.ros.message;

import java.util.function.Supplier;

/**
 * What a topic carries: the ROS type name, its MD5 sum, its full definition text, and how to
 * make an empty instance. Generated classes expose theirs as {@code TYPE}.
 */
public record MessageType<T extends Message>(String name, String md5, String definition, Supplier<T> factory) {

    public T newMessage() {
        return factory.get();
    }

    /** A type for relaying or recording messages of any type as bytes, without knowing them. */
    public static MessageType<RawMessage> raw(String name, String md5, String definition) {
        MessageType<RawMessage>[] self = new MessageType[1];
        self[0] = new MessageType<>(name, md5, definition, () -> new RawMessage(self[0]));
        return self[0];
    }

    /** Accepts whatever a publisher offers: md5 and type {@code *}, as rostopic and rosbag do. */
    public static MessageType<RawMessage> any() {
        return raw("*", "*", "");
    }

    public boolean isWildcard() {
        return md5.equals("*");
    }
}
