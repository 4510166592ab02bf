package org.teachlearn.ros.node;

import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.tcpros.TopicPublisher;

/** A handle on a topic this node publishes. {@link #publish} serialises once for all subscribers. */
public final class Publisher<T extends Message> implements AutoCloseable {

    private final Node node;
    private final TopicPublisher topic;

    Publisher(Node node, TopicPublisher topic) {
        this.node = node;
        this.topic = topic;
    }

    /** Sends the message to every subscriber; the message may be changed and sent again at once. */
    public void publish(T message) {
        topic.publish(message);
    }

    public String topic() {
        return topic.topic();
    }

    public int subscriberCount() {
        return topic.subscriberCount();
    }

    /** Per subscriber (caller id), messages dropped because it fell more than the queue behind. */
    public java.util.Map<String, Long> droppedBySubscriber() {
        return topic.droppedBySubscriber();
    }

    /** Unadvertises the topic. */
    @Override
    public void close() {
        node.unadvertise(topic.topic());
    }
}
