package org.teachlearn.ros.node;

import java.util.function.Consumer;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.tcpros.TopicSubscriber;

/** A handle on one callback subscribed to a topic. */
public final class Subscriber<T extends Message> implements AutoCloseable {

    private final Node node;
    private final TopicSubscriber<T> topic;
    private final Consumer<? super T> callback;

    Subscriber(Node node, TopicSubscriber<T> topic, Consumer<? super T> callback) {
        this.node = node;
        this.topic = topic;
        this.callback = callback;
    }

    public String topic() {
        return topic.topic();
    }

    /** Publishers this subscriber is connected to right now. */
    public int publisherCount() {
        return topic.publisherCount();
    }

    /**
     * Messages the topic's queue dropped because its callbacks fell behind (a recorder reports them
     * as lost); counts only the publishers connected now.
     */
    public long dropped() {
        return topic.dropped();
    }

    /** Removes the callback; the topic is unsubscribed when its last callback goes. */
    @Override
    public void close() {
        node.unsubscribe(topic, callback);
    }
}
