package org.teachlearn.ros.tcpros;

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
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.RawMessage;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * Our connection to one publisher of a subscribed topic, on its own thread: asks the publisher's
 * slave API for a TCPROS endpoint, shakes hands, then reads frames until the connection ends,
 * and tries again while the publisher is still listed (a publisher that goes and comes back).
 */
final class InboundConnection implements Runnable {

    final int id;
    final String publisherUri;
    private final TopicSubscriber<?> subscriber;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Socket socket;

    volatile String publisherId = "";
    volatile boolean connected;
    volatile MessageType<RawMessage> announcedType;
    long messagesReceived;
    long bytesReceived;
    long dropped;

    private byte[] buffer = new byte[1024];
    private final byte[] lengthBytes = new byte[4];

    InboundConnection(int id, String publisherUri, TopicSubscriber<?> subscriber) {
        this.id = id;
        this.publisherUri = publisherUri;
        this.subscriber = subscriber;
        this.thread = new Thread(this, "sub" + subscriber.topic() + "<" + publisherUri);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        closeSocket();
        thread.interrupt();
    }

    /** Drops the current connection; the thread connects again if the publisher is still listed. */
    void stopCurrent() {
        closeSocket();
    }

    @Override
    public void run() {
        long backoff = 100;
        while (running) {
            try {
                connectAndRead();
                backoff = 100;
            } catch (ProtocolException e) {
                subscriber.log().error("dropping connection to " + publisherUri + " for " + subscriber.topic()
                        + ": " + e.getMessage());
            } catch (EOFException e) {
                // the publisher closed the connection; reconnect below if it is still listed
            } catch (Exception e) {
                if (running && connected) {
                    subscriber.log().warn("connection to " + publisherUri + " for " + subscriber.topic()
                            + " lost: " + e.getMessage());
                }
            } finally {
                connected = false;
                closeSocket();
            }
            if (!running) break;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(backoff * 2, 2000);
        }
    }

    private void connectAndRead() throws Exception {
        Limits limits = subscriber.limits();
        Object reply = new XmlRpcClient(URI.create(publisherUri), 5_000, 1 << 20)
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
        if (!running) return;
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(limits.handshakeMillis());
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
        Map<String, String> theirs = ConnectionHeader.read(in, limits.maxHeaderBytes());
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
        // Many small frames arrive per segment under load; buffering turns two reads per frame into
        // one read per segment.
        in = new java.io.BufferedInputStream(in, 1 << 16);
        connected = true;
        int max = limits.maxMessageBytes();
        while (running) {
            ConnectionHeader.readFully(in, lengthBytes, 4);
            long n = ConnectionHeader.getInt(lengthBytes, 0) & 0xffffffffL;
            if (n > max) {
                throw new ProtocolException("frame of " + n + " bytes is larger than the cap of " + max);
            }
            if (buffer.length < n) {
                buffer = new byte[(int) Math.min(max, Math.max(n, buffer.length * 2L))];
            }
            ConnectionHeader.readFully(in, buffer, (int) n);
            messagesReceived++;
            bytesReceived += n + 4;
            subscriber.onFrame(this, buffer, (int) n);
        }
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
