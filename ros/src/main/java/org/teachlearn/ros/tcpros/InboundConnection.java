package org.teachlearn.ros.tcpros;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.RawMessage;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * Our connection to one publisher of a subscribed topic. Connecting (asking the publisher's
 * slave API for a TCPROS endpoint, the TCP connect and the handshake) runs as a task on the
 * transport's small connect pool, with timeouts; only a connection that completed its handshake
 * gets a thread, which reads frames until the connection ends. Then, while the publisher is still
 * listed, connecting is tried again: soon after a connection that delivered messages (a bad
 * frame drops the connection, as in roscpp, and the next good message still arrives), and
 * with a doubling delay up to {@link #MAX_BACKOFF_MS} while attempts keep failing.
 */
final class InboundConnection {

    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 30_000;    // rospy's robust_connect_subscriber doubles up to 32 s
    static final int CONNECT_TIMEOUT_MS = 5_000;

    final int id;
    final String publisherUri;
    private final TopicSubscriber<?> subscriber;
    private final ScheduledExecutorService connector;
    private volatile boolean running = true;
    private volatile Socket socket;
    private ScheduledFuture<?> pending;           // guarded by this
    private long backoff = FIRST_BACKOFF_MS;      // touched by one task or reader at a time

    volatile String publisherId = "";
    volatile boolean connected;
    volatile MessageType<RawMessage> announcedType;
    long messagesReceived;
    long bytesReceived;
    long dropped;

    // The reader's buffer, kept between frames (no allocation per message); what it grows by is
    // reserved from the byte budget and given back when the connection ends. None while not
    // connected: a publisher that never answers costs no buffer.
    private static final int FIRST_BUFFER = 1024;
    private byte[] buffer;
    private long bufferReserved;
    private final byte[] lengthBytes = new byte[4];

    InboundConnection(int id, String publisherUri, TopicSubscriber<?> subscriber, ScheduledExecutorService connector) {
        this.id = id;
        this.publisherUri = publisherUri;
        this.subscriber = subscriber;
        this.connector = connector;
    }

    void start() {
        schedule(0);
    }

    void stop() {
        running = false;
        synchronized (this) {
            if (pending != null) pending.cancel(false);
        }
        closeSocket();
    }

    /** Drops the current connection; connecting is tried again if the publisher is still listed. */
    void stopCurrent() {
        closeSocket();
    }

    private synchronized void schedule(long delayMs) {
        if (!running) return;
        try {
            pending = connector.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running = false;  // the transport is closing
        }
    }

    /** A connect task: on success hands the socket to a new reader thread; on failure tries again later. */
    private void connect() {
        if (!running) return;
        try {
            InputStream in = handshake();
            if (in == null) return;
            Thread reader = new Thread(() -> readUntilClosed(in), "sub" + subscriber.topic() + "<" + publisherUri);
            reader.setDaemon(true);
            reader.start();
            return;
        } catch (ProtocolException e) {
            subscriber.throttled().error("connect " + subscriber.topic() + ThrottledLog.reason(e.getMessage()), "dropping connection to " + publisherUri
                    + " for " + subscriber.topic() + ": " + e.getMessage());
        } catch (Throwable t) {
            // unreachable or gone publishers are normal for a while (the master lists them until
            // they unregister); report seldom, keep trying with backoff
            subscriber.throttled().warn("connect " + subscriber.topic(), "cannot connect to " + publisherUri + " for "
                    + subscriber.topic() + " (" + t.getMessage() + "); trying again in " + backoff + " ms");
        }
        connected = false;   // a handshake that worked but whose reader could not start delivers nothing
        closeSocket();
        retryLater();
    }

    private void retryLater() {
        long delay = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        schedule(delay);
    }

    /** Asks for an endpoint, connects and exchanges headers; returns the stream frames arrive on. */
    private InputStream handshake() throws Exception {
        Limits limits = subscriber.limits();
        Object reply = new XmlRpcClient(URI.create(publisherUri), CONNECT_TIMEOUT_MS, 1 << 20)
                .call("requestTopic", subscriber.callerId(), subscriber.topic(), List.of(List.of("TCPROS")));
        if (!(reply instanceof List<?> r) || r.size() < 3 || !Integer.valueOf(1).equals(r.get(0))
                || !(r.get(2) instanceof List<?> proto) || proto.size() < 3) {
            throw new IOException("publisher " + publisherUri + " did not offer TCPROS for " + subscriber.topic()
                    + ": " + reply);
        }
        String host = String.valueOf(proto.get(1));
        int port = ((Number) proto.get(2)).intValue();
        Socket s = new Socket();
        socket = s;
        if (!running) {
            closeSocket();
            return null;
        }
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        MessageType<?> type = subscriber.type();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("callerid", subscriber.callerId());
        header.put("md5sum", type.md5());
        header.put("message_definition", type.definition());
        header.put("tcp_nodelay", "1");
        header.put("topic", subscriber.topic());
        header.put("type", type.name());
        ConnectionHeader.write(new BufferedOutputStream(s.getOutputStream()), header);
        InputStream in = s.getInputStream();
        Map<String, String> theirs = ConnectionHeader.read(s, in, limits.maxHeaderBytes(), limits.handshakeMillis(),
                ByteBudget.PROCESS);
        if (theirs.containsKey("error")) throw new ProtocolException("publisher refused: " + theirs.get("error"));
        publisherId = theirs.getOrDefault("callerid", "");
        String md5 = theirs.getOrDefault("md5sum", "");
        if (!type.isWildcard() && !md5.equals("*") && !md5.equals(type.md5())) {
            throw new ProtocolException("publisher " + publisherId + " sends md5 " + md5 + " but we expect "
                    + type.md5() + " (" + type.name() + ")");
        }
        announcedType = MessageType.raw(theirs.getOrDefault("type", type.name()), md5,
                theirs.getOrDefault("message_definition", ""));
        s.setSoTimeout(0);
        connected = true;
        // Many small frames arrive per segment under load; buffering turns two reads per frame into
        // one read per segment.
        return new BufferedInputStream(in, 1 << 16);
    }

    /** The reader thread: frames until the connection ends, then a reconnect if still wanted. */
    private void readUntilClosed(InputStream in) {
        long before = messagesReceived;
        buffer = new byte[FIRST_BUFFER];
        try {
            readFrames(in);
        } catch (ProtocolException e) {
            subscriber.throttled().error("frame " + subscriber.topic() + ThrottledLog.reason(e.getMessage()), "dropping connection to " + publisherId + " ("
                    + publisherUri + ") for " + subscriber.topic() + ": " + e.getMessage() + "; reconnecting");
        } catch (EOFException e) {
            // the publisher closed the connection; reconnect below if it is still listed
        } catch (Throwable t) {
            // OutOfMemoryError included: this connection ends, the subscription goes on
            if (running && connected) {
                subscriber.throttled().warn("lost " + subscriber.topic(), "connection to " + publisherUri + " for "
                        + subscriber.topic() + " lost: " + t);
            }
        } finally {
            connected = false;
            closeSocket();
            buffer = null;
            ByteBudget.PROCESS.release(bufferReserved);
            bufferReserved = 0;
        }
        if (messagesReceived > before) backoff = FIRST_BACKOFF_MS;
        retryLater();
    }

    private void readFrames(InputStream in) throws IOException {
        int max = subscriber.maxMessageBytes();
        int retained = subscriber.retainedBytes();
        ByteBudget budget = ByteBudget.PROCESS;
        while (running) {
            ConnectionHeader.readFully(in, lengthBytes, 4);
            long n = ConnectionHeader.getInt(lengthBytes, 0) & 0xffffffffL;
            if (n > buffer.length) {
                if (n > max) {
                    throw new ProtocolException("frame of " + n + " bytes from " + publisherId + " is larger than the cap of "
                            + max + " bytes for " + subscriber.topic() + " (a larger cap: Limits.withMessageCap or -D"
                            + Limits.MESSAGE_CAP_PROPERTY + "." + subscriber.topic() + "=SIZE)");
                }
                if (n > retained) {
                    readLarge(in, (int) n, budget);
                    continue;
                }
                int size = (int) Math.min(retained, Math.max(n, buffer.length * 2L));
                if (!budget.tryReserve(size - buffer.length)) throw overBudget(n, budget);
                bufferReserved += size - buffer.length;
                buffer = new byte[size];
            }
            ConnectionHeader.readFully(in, buffer, (int) n);
            messagesReceived++;
            bytesReceived += n + 4;
            subscriber.onFrame(this, buffer, (int) n);
        }
    }

    /** A frame larger than the buffer we keep: its own array, reserved first, handed to the subscriber. */
    private void readLarge(InputStream in, int n, ByteBudget budget) throws IOException {
        if (!budget.tryReserve(n)) throw overBudget(n, budget);
        boolean handedOver = false;
        try {
            byte[] frame = new byte[n];
            ConnectionHeader.readFully(in, frame, n);
            messagesReceived++;
            bytesReceived += n + 4L;
            handedOver = true;
            subscriber.onLargeFrame(this, frame, n);
        } finally {
            if (!handedOver) budget.release(n);
        }
    }

    private ProtocolException overBudget(long n, ByteBudget budget) {
        return new ProtocolException("frame of " + n + " bytes from " + publisherId + " on " + subscriber.topic()
                + " does not fit the transport's byte budget now (" + budget.describe()
                + "); raise the heap (-Xmx) or -Dteachlearn.tcpros.budgetBytes");
    }

    private void closeSocket() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
