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
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>Memory: frames up to {@link #RETAINED_BYTES} are copied into buffers that are kept (and
 * reserved from {@link ByteBudget#PROCESS} as they grow); a larger frame, up to the topic's cap,
 * gets an array of its own that is reserved before it is read and released after its callbacks.
 * Whatever a callback throws, {@link OutOfMemoryError} included, is logged and the next message is
 * delivered as usual.
 */
public final class TopicSubscriber<T extends Message> {

    private static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

    /** Frames up to this size reuse buffers kept per connection and queue slot; larger ones are allocated each. */
    static final int RETAINED_BYTES = 1 << 20;

    private final String topic;
    private final MessageType<T> type;
    private final String callerId;
    private final Limits limits;
    private final TransportLog log;
    private final ThrottledLog throttled;
    private final ScheduledExecutorService connector;
    private final int maxMessageBytes;
    private final int retainedBytes;
    private final List<Consumer<? super T>> callbacks = new CopyOnWriteArrayList<>();
    private final Map<String, InboundConnection> connections = new ConcurrentHashMap<>();
    private final T message;

    // A plain monitor, not a ReentrantLock: its waits and wake-ups allocate nothing per message.
    private final Object queueLock = new Object();
    private boolean dispatcherWaiting;
    private final byte[][] slots;
    private final byte[][] largeSlots;    // a frame over retainedBytes, owned by its slot until dispatched
    private long slotsReserved;           // guarded by queueLock
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
            TransportLog log, ScheduledExecutorService connector) {
        this.topic = topic;
        this.type = type;
        this.callerId = callerId;
        this.limits = limits;
        this.log = log;
        this.throttled = new ThrottledLog(log);
        this.connector = connector;
        this.maxMessageBytes = limits.messageCapFor(topic);
        this.retainedBytes = Math.min(maxMessageBytes, RETAINED_BYTES);
        if (maxMessageBytes > ByteBudget.PROCESS.capacity()) {
            log.warn("the message cap of " + topic + " (" + Limits.mb(maxMessageBytes) + ") is above the transport's byte "
                    + "budget (" + Limits.mb(ByteBudget.PROCESS.capacity()) + ", half the heap): messages that large "
                    + "will be refused; raise -Xmx");
        }
        this.message = type.newMessage();
        inline = queueSize <= 0;
        int n = inline ? 0 : queueSize;
        slots = new byte[n][];
        for (int i = 0; i < n; i++) slots[i] = new byte[64];
        slotLens = new int[n];
        slotSources = new InboundConnection[n];
        largeSlots = new byte[n][];
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

    ThrottledLog throttled() {
        return throttled;
    }

    /** This topic's cap: {@link Limits#messageCapFor}. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    int retainedBytes() {
        return retainedBytes;
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

    /** Messages this topic's queue dropped (the oldest went for a newer one) over the connections it has now. */
    public long dropped() {
        synchronized (queueLock) {
            long n = 0;
            for (InboundConnection c : connections.values()) n += c.dropped;
            return n;
        }
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
                InboundConnection c = new InboundConnection(CONNECTION_IDS.incrementAndGet(), uri, this, connector);
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
            if (count == slots.length) dropOldest(from);
            int tail = (head + count) % slots.length;
            if (slots[tail].length < len && !growSlot(tail, len)) {
                from.dropped++;
                return;
            }
            System.arraycopy(data, 0, slots[tail], 0, len);
            slotLens[tail] = len;
            slotSources[tail] = from;
            count++;
            if (dispatcherWaiting) queueLock.notify();
        }
    }

    /**
     * Called on a connection's thread with a frame over {@link #retainedBytes} in an array of its
     * own, whose {@code len} bytes are reserved in the budget: queued by reference (no copy) and
     * released once dispatched or dropped.
     */
    void onLargeFrame(InboundConnection from, byte[] frame, int len) {
        if (inline) {
            try {
                synchronized (inlineLock) {
                    deliverOrDrop(from, ByteBuffer.wrap(frame, 0, len).order(ByteOrder.LITTLE_ENDIAN));
                }
            } finally {
                ByteBudget.PROCESS.release(len);
            }
            return;
        }
        synchronized (queueLock) {
            if (!running) {
                ByteBudget.PROCESS.release(len);
                return;
            }
            if (count == slots.length) dropOldest(from);
            int tail = (head + count) % slots.length;
            largeSlots[tail] = frame;
            slotLens[tail] = len;
            slotSources[tail] = from;
            count++;
            if (dispatcherWaiting) queueLock.notify();
        }
    }

    /** Under queueLock, with the queue full: the oldest frame goes, as in roscpp. */
    private void dropOldest(InboundConnection from) {
        if (largeSlots[head] != null) {
            largeSlots[head] = null;
            ByteBudget.PROCESS.release(slotLens[head]);
        }
        slotSources[head] = null;
        head = (head + 1) % slots.length;
        count--;
        from.dropped++;
    }

    /** Under queueLock: grows a slot within the budget, or says why the frame is dropped. */
    private boolean growSlot(int slot, int len) {
        if (!running) return false;   // closed: its reservations were given back, and nothing may take more
        int size = Math.max(len, Math.min(retainedBytes, slots[slot].length * 2));
        long more = size - slots[slot].length;
        if (!ByteBudget.PROCESS.tryReserve(more)) {
            throttled.warn("queue " + topic, "dropped a message of " + len + " bytes on " + topic + ": its queue cannot "
                    + "grow within the transport's byte budget (" + ByteBudget.PROCESS.describe() + ")");
            return false;
        }
        slotsReserved += more;
        slots[slot] = new byte[size];
        return true;
    }

    private void dispatchLoop() {
        byte[] local = new byte[64];
        ByteBuffer view = ByteBuffer.wrap(local).order(ByteOrder.LITTLE_ENDIAN);
        while (running) {
            InboundConnection from;
            int len;
            byte[] large;
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
                large = largeSlots[head];
                largeSlots[head] = null;
                if (large == null) {
                    if (local.length < len) {
                        // within retainedBytes; reserved with the slots, so its size is bounded by theirs
                        local = new byte[Math.max(len, Math.min(retainedBytes, local.length * 2))];
                        view = ByteBuffer.wrap(local).order(ByteOrder.LITTLE_ENDIAN);
                    }
                    System.arraycopy(slots[head], 0, local, 0, len);
                }
                from = slotSources[head];
                slotSources[head] = null;
                head = (head + 1) % slots.length;
                count--;
            }
            try {
                if (large == null) {
                    view.clear().limit(len);
                    deliverOrDrop(from, view);
                } else {
                    deliverOrDrop(from, ByteBuffer.wrap(large, 0, len).order(ByteOrder.LITTLE_ENDIAN));
                }
            } catch (Throwable t) {
                throttled.error("dispatch " + topic, "delivering a message on " + topic + " failed: " + t
                        + "; going on with the next");
            } finally {
                if (large != null) ByteBudget.PROCESS.release(len);
            }
        }
    }

    /** Delivers one frame; a publisher whose frame cannot be read loses its connection, everyone else goes on. */
    private void deliverOrDrop(InboundConnection from, ByteBuffer view) {
        try {
            deliver(from, view);
        } catch (ProtocolException e) {
            throttled.error("frame " + topic + ThrottledLog.reason(e.getMessage()), "dropping connection to " + from.publisherUri + " on " + topic + ": "
                    + e.getMessage() + "; reconnecting");
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
        } catch (Throwable t) {
            // e.g. OutOfMemoryError for arrays the frame announces: this publisher's data, not our state
            throw new ProtocolException("cannot read a " + type.name() + " from " + from.publisherId + ": " + t);
        }
        for (int i = 0; i < callbacks.size(); i++) {
            try {
                callbacks.get(i).accept(message);
            } catch (Throwable e) {
                // OutOfMemoryError included: the callback's problem, not the subscription's
                throttled.error("callback " + topic, "callback on " + topic + " threw " + e + "; next message goes on");
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
            for (int i = 0; i < largeSlots.length; i++) {
                if (largeSlots[i] != null) ByteBudget.PROCESS.release(slotLens[i]);
                largeSlots[i] = null;
            }
            ByteBudget.PROCESS.release(slotsReserved);
            slotsReserved = 0;
            queueLock.notifyAll();
        }
        if (dispatcher != null) dispatcher.interrupt();
    }
}
