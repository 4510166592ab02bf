package org.teachlearn.ros.tcpros;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageType;

/**
 * Our side of one published topic: the subscribers connected to it, the latched message, and
 * the serialisation buffer every publish reuses.
 */
public final class TopicPublisher {

    private static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

    private final String topic;
    private final MessageType<?> type;
    private final String callerId;
    private final boolean latch;
    private final int queueSize;
    private final int maxMessageBytes;    // this topic's cap: subscribers refuse larger frames anyway
    private final TransportLog log;
    private final Flusher flusher;
    private final List<OutboundConnection> connections = new CopyOnWriteArrayList<>();

    private ByteBuffer frame = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer latched;
    private long published;

    TopicPublisher(String topic, MessageType<?> type, String callerId, boolean latch, int queueSize, Limits limits,
            TransportLog log, Flusher flusher) {
        this.topic = topic;
        this.type = type;
        this.callerId = callerId;
        this.latch = latch;
        this.queueSize = queueSize;
        this.maxMessageBytes = limits.messageCapFor(topic);
        this.log = log;
        this.flusher = flusher;
    }

    public String topic() {
        return topic;
    }

    public MessageType<?> type() {
        return type;
    }

    public int subscriberCount() {
        return connections.size();
    }

    /**
     * Per subscriber (caller id), the messages dropped for it because it fell more than the queue
     * behind, over the connections open now.
     */
    public java.util.Map<String, Long> droppedBySubscriber() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (OutboundConnection c : connections) {
            long d;
            synchronized (c) {
                d = c.dropped;
            }
            out.merge(c.subscriberId, d, Long::sum);
        }
        return out;
    }

    public synchronized long published() {
        return published;
    }

    public synchronized void publish(Message message) {
        published++;
        if (connections.isEmpty() && !latch) return;
        int size = message.serializedSize();
        if (size > maxMessageBytes) {
            throw new IllegalArgumentException("message of " + size + " bytes on " + topic
                    + " is larger than the cap of " + maxMessageBytes + " bytes; a larger cap: Limits.withMessageCap or -D"
                    + Limits.MESSAGE_CAP_PROPERTY + "." + topic + "=SIZE");
        }
        if (frame.capacity() < size + 4) {
            frame = ByteBuffer.allocateDirect(Math.max(size + 4, frame.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        frame.clear();
        frame.putInt(size);
        message.serialize(frame);
        int n = frame.position();
        if (n != size + 4) {
            throw new IllegalStateException(message.type().name() + " wrote " + (n - 4) + " bytes but announced " + size);
        }
        if (latch) {
            if (latched == null || latched.capacity() < n) latched = ByteBuffer.allocateDirect(Math.max(n, 256));
            frame.position(0).limit(n);
            latched.clear();
            latched.put(frame);
            latched.limit(n);
        }
        for (int i = 0; i < connections.size(); i++) {
            frame.limit(n);
            connections.get(i).send(frame);
        }
    }

    /**
     * Completes a subscriber's handshake on a socket the server accepted: checks its MD5, answers
     * with our header, and sends the latched message if there is one.
     */
    void accept(SocketChannel channel, OutputStream out, Map<String, String> header) throws IOException {
        String theirMd5 = header.getOrDefault("md5sum", "");
        String subscriber = header.getOrDefault("callerid", "unknown");
        if (!theirMd5.equals("*") && !type.isWildcard() && !theirMd5.equals(type.md5())) {
            String error = "client [" + subscriber + "] wants topic " + topic + " to have datatype/md5sum ["
                    + header.getOrDefault("type", "?") + "/" + theirMd5 + "], but our version has [" + type.name()
                    + "/" + type.md5() + "]. Dropping connection.";
            log.error(error);
            ConnectionHeader.write(out, Map.of("error", error));
            channel.close();
            return;
        }
        if ("1".equals(header.get("tcp_nodelay"))) channel.socket().setTcpNoDelay(true);
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put("callerid", callerId);
        reply.put("latching", latch ? "1" : "0");
        reply.put("md5sum", type.md5());
        reply.put("message_definition", type.definition());
        reply.put("topic", topic);
        reply.put("type", type.name());
        ConnectionHeader.write(out, reply);
        OutboundConnection[] self = new OutboundConnection[1];
        self[0] = new OutboundConnection(CONNECTION_IDS.incrementAndGet(), topic, subscriber, channel, queueSize,
                Math.max(maxMessageBytes, 1 << 20), log, () -> connections.remove(self[0]));
        synchronized (this) {
            self[0].attach(flusher);
            connections.add(self[0]);
            if (latch && latched != null) {
                latched.position(0);
                self[0].send(latched);
            }
        }
    }

    /** Per-connection statistics for getBusStats and getBusInfo. */
    List<OutboundConnection> connections() {
        return connections;
    }

    void close() {
        for (OutboundConnection c : connections) c.closeQuietly();
    }
}
