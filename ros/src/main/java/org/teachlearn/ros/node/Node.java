package org.teachlearn.ros.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.teachlearn.msgs.rosgraph_msgs.Clock;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageDefinitions;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.ServiceType;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.names.Names;
import org.teachlearn.ros.tcpros.Limits;
import org.teachlearn.ros.tcpros.ServiceHandler;
import org.teachlearn.ros.tcpros.TopicPublisher;
import org.teachlearn.ros.tcpros.TopicSubscriber;
import org.teachlearn.ros.tcpros.Transport;
import org.teachlearn.ros.xmlrpc.XmlRpcServer;

/**
 * A ROS node: the public face of the client library. Topics, services and parameters are named
 * as in rospy and resolved with the node's namespace and remappings; the node registers all it
 * offers with the master and unregisters it on {@link #shutdown}.
 */
public final class Node implements AutoCloseable {

    public static final int DEFAULT_QUEUE = 100;

    private final NodeArgs args;
    private final String fullName;
    private final Map<String, String> remaps;
    private final MasterClient master;
    private final RosLog log;
    private final Parameters params;
    private final Transport transport;
    private final XmlRpcServer slave;
    private final URI slaveUri;
    private final List<Runnable> shutdownHooks = new CopyOnWriteArrayList<>();
    private final CountDownLatch down = new CountDownLatch(1);
    private final Thread jvmHook;
    private final MasterWatch masterWatch;
    private final long wallBaseNanos = System.currentTimeMillis() * 1_000_000L;
    private final long monoBase = System.nanoTime();
    private volatile boolean useSimTime;
    private volatile long simNanos;
    private volatile boolean shutdown;

    private Node(NodeArgs args, Limits limits) throws IOException {
        this.args = args;
        this.fullName = args.fullName();
        this.remaps = args.remaps();
        this.master = new MasterClient(args.masterUri(), fullName);
        this.log = new RosLog(this);
        this.params = new Parameters(this);
        this.transport = new Transport(fullName, "0.0.0.0", limits, log);
        this.slave = new XmlRpcServer(new InetSocketAddress("0.0.0.0", 0), 64 << 20, new SlaveApi(this), log::error);
        this.slaveUri = URI.create("http://" + args.host() + ":" + slave.port() + "/");
        this.masterWatch = new MasterWatch(this);
        this.jvmHook = new Thread(() -> shutdown("JVM exit"), "ros-shutdown" + fullName);
        Runtime.getRuntime().addShutdownHook(jvmHook);
    }

    /** Starts a node: waits for the master, sets its private parameters, connects /rosout and /clock. */
    public static Node start(NodeArgs args) throws IOException {
        return start(args, Limits.DEFAULT);
    }

    public static Node start(NodeArgs args, Limits limits) throws IOException {
        Node n = new Node(args, limits);
        try {
            n.waitForMaster();
            for (Map.Entry<String, Object> e : args.privateParams().entrySet()) n.params.set("~" + e.getKey(), e.getValue());
            n.log.attach(n.advertise("/rosout", Log.TYPE, 100, true));
            if (n.params.get("/use_sim_time").map(Boolean.TRUE::equals).orElse(false)) {
                n.useSimTime = true;
                n.subscribe("/clock", Clock.TYPE, 0, c -> n.simNanos = c.clock.toNanos());   // no queue: the clock moves on the connection's thread
            }
            n.masterWatch.start();
        } catch (IOException | RuntimeException e) {
            n.shutdown("start failed: " + e.getMessage());
            throw e;
        }
        return n;
    }

    public static Node start(String defaultName, String... argv) throws IOException {
        return start(NodeArgs.parse(defaultName, argv));
    }

    private void waitForMaster() throws IOException {
        long warnAt = System.nanoTime();
        while (true) {
            try {
                master.call("getPid");
                return;
            } catch (IOException e) {
                if (shutdown) throw e;
                if (System.nanoTime() >= warnAt) {
                    System.err.println("[WARN] " + fullName + ": master at " + master.uri()
                            + " does not answer (" + e.getMessage() + "); still trying");
                    warnAt = System.nanoTime() + 5_000_000_000L;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the master", ie);
                }
            }
        }
    }

    // --- identity and names ---

    public String name() {
        return fullName;
    }

    public String namespace() {
        return args.namespace();
    }

    public NodeArgs args() {
        return args;
    }

    String host() {
        return args.host();
    }

    public URI slaveUri() {
        return slaveUri;
    }

    public MasterClient master() {
        return master;
    }

    Transport transport() {
        return transport;
    }

    public RosLog log() {
        return log;
    }

    public Parameters params() {
        return params;
    }

    /** Resolves a topic, service or parameter name in this node's namespace, then remaps it. */
    public String resolve(String name) {
        String resolved = Names.resolve(name, args.namespace(), fullName);
        return remaps.getOrDefault(resolved, resolved);
    }

    // --- time ---

    /** ROS time: the last /clock message when /use_sim_time is set, wall-clock time otherwise. */
    public Time now() {
        return now(new Time());
    }

    /** Fills {@code into} with ROS time without allocating. */
    public Time now(Time into) {
        return into.setNanos(nowNanos());
    }

    /** ROS time in nanoseconds, as {@link #now()}. */
    public long nowNanos() {
        return useSimTime ? simNanos : wallBaseNanos + (System.nanoTime() - monoBase);
    }

    public boolean usesSimTime() {
        return useSimTime;
    }

    // --- topics ---

    public <T extends Message> Publisher<T> advertise(String topic, MessageType<T> type) throws IOException {
        return advertise(topic, type, DEFAULT_QUEUE, false);
    }

    public <T extends Message> Publisher<T> advertise(String topic, MessageType<T> type, int queueSize, boolean latch)
            throws IOException {
        checkRunning();
        String resolved = resolve(topic);
        TopicPublisher p = transport.publisher(resolved, MessageDefinitions.canonical(type), latch, queueSize);
        master.call("registerPublisher", resolved, type.name(), slaveUri.toString());
        return new Publisher<>(this, p);
    }

    void unadvertise(String topic) {
        transport.removePublisher(topic);
        try {
            master.call("unregisterPublisher", topic, slaveUri.toString());
        } catch (IOException e) {
            log.warn("could not unregister publisher of " + topic + ": " + e.getMessage());
        }
    }

    public <T extends Message> Subscriber<T> subscribe(String topic, MessageType<T> type, Consumer<? super T> callback)
            throws IOException {
        return subscribe(topic, type, DEFAULT_QUEUE, callback);
    }

    /**
     * Subscribes a callback. The message passed to it is reused for the next message of the
     * topic: copy what must outlive the call.
     */
    public <T extends Message> Subscriber<T> subscribe(String topic, MessageType<T> type, int queueSize,
            Consumer<? super T> callback) throws IOException {
        checkRunning();
        String resolved = resolve(topic);
        boolean fresh = transport.existingSubscriber(resolved) == null;
        TopicSubscriber<T> s = transport.subscriber(resolved, type, queueSize);
        s.addCallback(callback);
        if (fresh) {
            Object pubs = master.call("registerSubscriber", resolved, type.name(), slaveUri.toString());
            List<String> uris = new ArrayList<>();
            if (pubs instanceof List<?> l) for (Object o : l) uris.add(String.valueOf(o));
            s.updatePublishers(uris);
        }
        return new Subscriber<>(this, s, callback);
    }

    <T extends Message> void unsubscribe(TopicSubscriber<T> s, Consumer<? super T> callback) {
        s.removeCallback(callback);
        if (s.callbackCount() > 0) return;
        transport.removeSubscriber(s.topic());
        try {
            master.call("unregisterSubscriber", s.topic(), slaveUri.toString());
        } catch (IOException e) {
            log.warn("could not unregister subscriber of " + s.topic() + ": " + e.getMessage());
        }
    }

    List<String> publishedTopics() {
        List<String> out = new ArrayList<>();
        for (TopicPublisher p : transport.publishers()) out.add(p.topic());
        return out;
    }

    // --- services ---

    public <Q extends Message, R extends Message> ServiceServer advertiseService(String name, ServiceType<Q, R> type,
            ServiceHandler<Q, R> handler) throws IOException {
        checkRunning();
        String resolved = resolve(name);
        transport.addService(resolved, type, handler);
        master.call("registerService", resolved, serviceUri(), slaveUri.toString());
        return new ServiceServer(this, resolved);
    }

    String serviceUri() {
        return "rosrpc://" + args.host() + ":" + transport.port();
    }

    void unadvertiseService(String name) {
        transport.removeService(name);
        try {
            master.call("unregisterService", name, serviceUri());
        } catch (IOException e) {
            log.warn("could not unregister service " + name + ": " + e.getMessage());
        }
    }

    public <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(String name, ServiceType<Q, R> type,
            boolean persistent) {
        return new ServiceClient<>(this, resolve(name), type, persistent, transport.limits());
    }

    // --- lifecycle ---

    public boolean isShutdown() {
        return shutdown;
    }

    public void onShutdown(Runnable hook) {
        shutdownHooks.add(hook);
    }

    /** Blocks until the node shuts down (rospy.spin). */
    public void spin() throws InterruptedException {
        down.await();
    }

    private void checkRunning() {
        if (shutdown) throw new IllegalStateException("node " + fullName + " has shut down");
    }

    /** Unregisters everything from the master, closes every connection and stops the servers. */
    public void shutdown(String reason) {
        synchronized (this) {
            if (shutdown) return;
            shutdown = true;
        }
        masterWatch.close();
        for (Runnable r : shutdownHooks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("[ERROR] shutdown hook of " + fullName + " failed: " + e);
            }
        }
        String api = slaveUri.toString();
        for (TopicPublisher p : new ArrayList<>(transport.publishers())) quietly("unregisterPublisher", p.topic(), api);
        for (TopicSubscriber<?> s : new ArrayList<>(transport.subscribers())) quietly("unregisterSubscriber", s.topic(), api);
        for (var s : new ArrayList<>(transport.services())) quietly("unregisterService", s.name(), serviceUri());
        params.unsubscribeAll();
        transport.close();
        slave.close();
        down.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(jvmHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: that is why we are here
        }
    }

    private void quietly(String method, Object... args) {
        try {
            master.call(method, args);
        } catch (IOException e) {
            // the master may be gone already; nothing left to undo there
        }
    }

    @Override
    public void close() {
        shutdown("closed");
    }
}
