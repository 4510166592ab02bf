package org.teachlearn.ros.tcpros;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.ServiceType;

/**
 * A node's TCPROS side: one listening socket for both topics and services, the topics it
 * publishes and subscribes, and the services it offers. New connections' headers are read on a
 * pool of at most {@link Limits#maxHandshakes} threads, each with a deadline for the whole header;
 * connections beyond that are closed at once, so a flood of slow peers costs neither threads nor
 * heap. Our own connections to publishers are made on a small pool of {@link #CONNECT_THREADS}
 * (a queue of addresses, not a thread each); once connected, each reads on its own thread.
 */
public final class Transport implements AutoCloseable {

    private final String callerId;
    private final Limits limits;
    private final TransportLog log;
    private final ServerSocketChannel server;
    private final Flusher flusher;
    /** Threads that make our connections to publishers; enough for a few slow XML-RPC answers at once. */
    static final int CONNECT_THREADS = 4;

    private final ThreadPoolExecutor handshakes;
    private final ScheduledThreadPoolExecutor connector;
    private final ThrottledLog throttled;
    private final AtomicLong refusedConnections = new AtomicLong();
    private final Map<String, TopicPublisher> publishers = new ConcurrentHashMap<>();
    private final Map<String, TopicSubscriber<?>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, ServiceProvider<?, ?>> services = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean running = true;

    public Transport(String callerId, String bindHost, Limits limits, TransportLog log) throws IOException {
        this.callerId = callerId;
        this.limits = limits;
        this.log = log;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(bindHost, 0), 128);
        this.flusher = new Flusher("tcpros-flush" + callerId);
        this.throttled = new ThrottledLog(log);
        this.handshakes = new ThreadPoolExecutor(0, limits.maxHandshakes(), 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemons("tcpros-handshake" + callerId));
        this.connector = new ScheduledThreadPoolExecutor(CONNECT_THREADS, daemons("tcpros-connect" + callerId));
        connector.setKeepAliveTime(10, TimeUnit.SECONDS);
        connector.allowCoreThreadTimeOut(true);
        connector.setRemoveOnCancelPolicy(true);
        acceptor = new Thread(this::acceptLoop, "tcpros-accept" + callerId);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    public Limits limits() {
        return limits;
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** New connections refused because {@link Limits#maxHandshakes} headers were being read already. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel ch = null;
            try {
                ch = server.accept();
                SocketChannel accepted = ch;
                handshakes.execute(() -> handshake(accepted));
            } catch (RejectedExecutionException e) {
                if (!running) return;
                closeQuietly(ch);
                long n = refusedConnections.incrementAndGet();
                throttled.warn("handshakes", "closed a new TCPROS connection: " + limits.maxHandshakes()
                        + " connection headers are being read already (" + n + " closed so far). Someone is opening "
                        + "connections faster than they send headers; real peers retry");
            } catch (Throwable t) {
                if (!running) return;
                closeQuietly(ch);
                throttled.error("accept", "accepting a TCPROS connection failed (" + t + "); still accepting");
                try {
                    Thread.sleep(10);  // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void handshake(SocketChannel ch) {
        String from = "?";
        try {
            Socket s = ch.socket();
            from = String.valueOf(s.getRemoteSocketAddress());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Map<String, String> header;
            try {
                header = ConnectionHeader.read(s, in, limits.maxHeaderBytes(), limits.handshakeMillis(), ByteBudget.PROCESS);
            } catch (ProtocolException e) {
                throttled.error("header " + ThrottledLog.reason(e.getMessage()),
                        "dropping connection from " + from + ": " + e.getMessage());
                ch.close();
                return;
            }
            if (header.containsKey("topic")) {
                TopicPublisher p = publishers.get(header.get("topic"));
                if (p == null) {
                    refuse(ch, out, "no topic [" + header.get("topic") + "] published by " + callerId);
                    return;
                }
                p.accept(ch, out, header);
            } else if (header.containsKey("service")) {
                ServiceProvider<?, ?> p = services.get(header.get("service"));
                if (p == null) {
                    refuse(ch, out, "no service [" + header.get("service") + "] offered by " + callerId);
                    return;
                }
                p.accept(s, in, out, header);
            } else {
                throttled.error("header neither", "dropping connection from " + from
                        + ": its header names neither a topic nor a service");
                refuse(ch, out, "connection header names neither a topic nor a service");
            }
        } catch (IOException e) {
            closeQuietly(ch);
        } catch (Throwable t) {
            // OutOfMemoryError included: this connection is lost, the pool thread and the node go on
            closeQuietly(ch);
            throttled.error("handshake", "handshake with " + from + " failed: " + t + "; connection closed");
        }
    }

    private static void refuse(SocketChannel ch, OutputStream out, String error) throws IOException {
        try {
            ConnectionHeader.write(out, Map.of("error", error));
        } finally {
            ch.close();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    public TopicPublisher publisher(String topic, MessageType<?> type, boolean latch, int queueSize) {
        TopicPublisher p = publishers.computeIfAbsent(topic,
                t -> new TopicPublisher(t, type, callerId, latch, queueSize, limits, log, flusher));
        if (!p.type().md5().equals(type.md5())) {
            throw new IllegalArgumentException("topic " + topic + " is already published as " + p.type().name()
                    + ", not " + type.name());
        }
        return p;
    }

    public void removePublisher(String topic) {
        TopicPublisher p = publishers.remove(topic);
        if (p != null) p.close();
    }

    @SuppressWarnings("unchecked")
    public <T extends Message> TopicSubscriber<T> subscriber(String topic, MessageType<T> type, int queueSize) {
        TopicSubscriber<?> s = subscribers.computeIfAbsent(topic,
                t -> new TopicSubscriber<>(t, type, callerId, queueSize, limits, log, connector));
        if (!s.type().md5().equals(type.md5())) {
            throw new IllegalArgumentException("topic " + topic + " is already subscribed as " + s.type().name()
                    + ", not " + type.name());
        }
        return (TopicSubscriber<T>) s;
    }

    public TopicSubscriber<?> existingSubscriber(String topic) {
        return subscribers.get(topic);
    }

    public void removeSubscriber(String topic) {
        TopicSubscriber<?> s = subscribers.remove(topic);
        if (s != null) s.close();
    }

    public <Q extends Message, R extends Message> ServiceProvider<Q, R> addService(String name, ServiceType<Q, R> type,
            ServiceHandler<Q, R> handler) {
        ServiceProvider<Q, R> p = new ServiceProvider<>(name, type, handler, callerId, limits, log);
        if (services.putIfAbsent(name, p) != null) {
            throw new IllegalArgumentException("service " + name + " is already offered by this node");
        }
        return p;
    }

    public void removeService(String name) {
        services.remove(name);
    }

    public Collection<TopicPublisher> publishers() {
        return publishers.values();
    }

    public Collection<TopicSubscriber<?>> subscribers() {
        return subscribers.values();
    }

    public Collection<ServiceProvider<?, ?>> services() {
        return services.values();
    }

    /** getBusStats: [publish stats, subscribe stats, service stats] as rospy reports them. */
    public List<Object> busStats() {
        List<Object> pub = new ArrayList<>();
        for (TopicPublisher p : publishers.values()) {
            List<Object> conns = new ArrayList<>();
            for (OutboundConnection c : p.connections()) {
                conns.add(List.of(c.id, (int) c.bytesSent, (int) c.messagesSent, !c.isClosed()));
            }
            pub.add(List.of(p.topic(), (int) p.published(), conns));
        }
        List<Object> sub = new ArrayList<>();
        for (TopicSubscriber<?> s : subscribers.values()) {
            List<Object> conns = new ArrayList<>();
            for (InboundConnection c : s.connections()) {
                conns.add(List.of(c.id, (int) c.bytesReceived, (int) c.dropped, c.connected));
            }
            sub.add(List.of(s.topic(), conns));
        }
        List<Object> srv = new ArrayList<>();
        for (ServiceProvider<?, ?> p : services.values()) srv.add(List.of(p.name(), (int) p.calls.get()));
        return List.of(pub, sub, srv);
    }

    /** getBusInfo: one row per connection, [id, peer, direction, transport, topic, connected, info]. */
    public List<Object> busInfo() {
        List<Object> out = new ArrayList<>();
        for (TopicPublisher p : publishers.values()) {
            for (OutboundConnection c : p.connections()) {
                out.add(List.of(c.id, c.subscriberId, "o", "TCPROS", p.topic(), !c.isClosed(),
                        "TCPROS connection on port " + port() + " to [" + c.subscriberId + "]"));
            }
        }
        for (TopicSubscriber<?> s : subscribers.values()) {
            for (InboundConnection c : s.connections()) {
                out.add(List.of(c.id, c.publisherUri, "i", "TCPROS", s.topic(), c.connected,
                        "TCPROS connection to [" + c.publisherUri + "]"));
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (TopicPublisher p : publishers.values()) p.close();
        for (TopicSubscriber<?> s : subscribers.values()) s.close();
        publishers.clear();
        subscribers.clear();
        services.clear();
        flusher.close();
        handshakes.shutdownNow();
        connector.shutdownNow();
    }
}
