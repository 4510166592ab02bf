package org.teachlearn.ros.tcpros;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageFormatException;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.RawMessage;

/**
 * Our side of one subscribed topic: a connection per publisher, and the callbacks. Frames wait in
 * a queue of {@code queueSize} that drops the oldest, as roscpp's does, and one dispatch thread
 * per topic runs the callbacks, so they never run at the same time and a slow callback never
 * stalls the sockets. A queue size of 0 asks for no queue at all, as rospy's {@code
 * queue_size=None}: the connection's own thread runs the callbacks (one at a time), so a message
 * reaches its callback without a second thread waking up — for lockstep loops, where every hop's
 * wake-up is on the critical path — and none is dropped (a slow callback holds the publisher back
 * through TCP instead). The message given to a callback is reused for the next one: copy what
 * must outlive the call.
 */
public final class TopicSubscriber<T extends Message> {

    private static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

    private final String topic;
    private final MessageType<T> type;
    private final String callerId;
    private final Limits limits;
    private final TransportLog log;
    private final List<Consumer<? super T>> callbacks = new CopyOnWriteArrayList<>();
    private final Map<String, InboundConnection> connections = new ConcurrentHashMap<>();
    private final T message;

    // A plain monitor, not a ReentrantLock: its waits and wake-ups allocate nothing per message.
    private final Object queueLock = new Object();
    private boolean dispatcherWaiting;
    private final byte[][] slots;
    private final int[] slotLens;
    private final InboundConnection[] slotSources;
    private int head;
    private int count;
    private final Thread dispatcher;
    private final boolean inline;
    private final Object inlineLock = new Object();
    private ByteBuffer inlineView = ByteBuffer.allocate(0);
    private volatile boolean running = true;

    TopicSubscriber(String topic, MessageType<T> type, String callerId, int queueSize, Limits limits,
            TransportLog log) {
        this.topic = topic;
        this.type = type;
        this.callerId = callerId;
        this.limits = limits;
        this.log = log;
        this.message = type.newMessage();
        inline = queueSize <= 0;
        int n = inline ? 0 : queueSize;
        slots = new byte[n][];
        for (int i = 0; i < n; i++) slots[i] = new byte[64];
        slotLens = new int[n];
        slotSources = new InboundConnection[n];
        dispatcher = inline ? null : new Thread(this::dispatchLoop, "dispatch" + topic);
        if (dispatcher != null) {
            dispatcher.setDaemon(true);
            dispatcher.start();
        }
    }

    public String topic() {
        return topic;
    }

    public MessageType<T> type() {
        return type;
    }

    String callerId() {
        return callerId;
    }

    Limits limits() {
        return limits;
    }

    TransportLog log() {
        return log;
    }

    public void addCallback(Consumer<? super T> callback) {
        callbacks.add(callback);
    }

    public void removeCallback(Consumer<? super T> callback) {
        callbacks.remove(callback);
    }

    public int callbackCount() {
        return callbacks.size();
    }

    public int publisherCount() {
        int n = 0;
        for (InboundConnection c : connections.values()) if (c.connected) n++;
        return n;
    }

    /** The master's or a publisherUpdate's list of publisher URIs: connect to new ones, drop gone ones. */
    public synchronized void updatePublishers(List<String> uris) {
        Set<String> wanted = new HashSet<>(uris);
        for (String uri : new ArrayList<>(connections.keySet())) {
            if (!wanted.contains(uri)) connections.remove(uri).stop();
        }
        if (!running) return;
        for (String uri : uris) {
            if (!connections.containsKey(uri)) {
                InboundConnection c = new InboundConnection(CONNECTION_IDS.incrementAndGet(), uri, this);
                connections.put(uri, c);
                c.start();
            }
        }
    }

    /** Called on a connection's thread with one frame; the frame is copied into the queue, or delivered here without one. */
    void onFrame(InboundConnection from, byte[] data, int len) {
        if (inline) {
            synchronized (inlineLock) {
                if (inlineView.array() != data) inlineView = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                inlineView.clear().limit(len);
                deliverOrDrop(from, inlineView);
            }
            return;
        }
        synchronized (queueLock) {
            if (count == slots.length) {
                head = (head + 1) % slots.length;
                count--;
                from.dropped++;
            }
            int tail = (head + count) % slots.length;
            if (slots[tail].length < len) slots[tail] = new byte[Math.max(len, slots[tail].length * 2)];
            System.arraycopy(data, 0, slots[tail], 0, len);
            slotLens[tail] = len;
            slotSources[tail] = from;
            count++;
            if (dispatcherWaiting) queueLock.notify();
        }
    }

    private void dispatchLoop() {
        byte[] local = new byte[64];
        ByteBuffer view = ByteBuffer.wrap(local).order(ByteOrder.LITTLE_ENDIAN);
        while (running) {
            InboundConnection from;
            int len;
            synchronized (queueLock) {
                while (count == 0 && running) {
                    dispatcherWaiting = true;
                    try {
                        queueLock.wait();
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        dispatcherWaiting = false;
                    }
                }
                if (!running) return;
                len = slotLens[head];
                if (local.length < len) {
                    local = new byte[Math.max(len, local.length * 2)];
                    view = ByteBuffer.wrap(local).order(ByteOrder.LITTLE_ENDIAN);
                }
                System.arraycopy(slots[head], 0, local, 0, len);
                from = slotSources[head];
                slotSources[head] = null;
                head = (head + 1) % slots.length;
                count--;
            }
            view.clear().limit(len);
            deliverOrDrop(from, view);
        }
    }

    /** Delivers one frame; a publisher whose frame cannot be read loses its connection, everyone else goes on. */
    private void deliverOrDrop(InboundConnection from, ByteBuffer view) {
        try {
            deliver(from, view);
        } catch (ProtocolException e) {
            log.error("dropping connection to " + from.publisherUri + " on " + topic + ": " + e.getMessage());
            from.stopCurrent();
        }
    }

    /** Deserialises into the shared message and runs the callbacks, on the dispatch thread. */
    private void deliver(InboundConnection from, ByteBuffer view) throws ProtocolException {
        try {
            if (message instanceof RawMessage raw) {
                MessageType<RawMessage> announced = from.announcedType;
                if (announced != null) raw.setType(announced);
            }
            message.deserialize(view);
        } catch (MessageFormatException | BufferUnderflowException | IllegalArgumentException e) {
            throw new ProtocolException("cannot read a " + type.name() + " from " + from.publisherId + ": "
                    + (e.getMessage() == null ? "data ends early" : e.getMessage()));
        }
        for (int i = 0; i < callbacks.size(); i++) {
            try {
                callbacks.get(i).accept(message);
            } catch (RuntimeException e) {
                log.error("callback on " + topic + " threw " + e);
            }
        }
    }

    List<InboundConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    void close() {
        running = false;
        for (InboundConnection c : connections.values()) c.stop();
        connections.clear();
        synchronized (queueLock) {
            queueLock.notifyAll();
        }
        if (dispatcher != null) dispatcher.interrupt();
    }
}
