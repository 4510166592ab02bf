package org.teachlearn.ros.tcpros;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageFormatException;
import org.teachlearn.ros.message.ServiceType;

/**
 * Our side of one service: each client connection gets a thread that reads requests and writes
 * responses until the client hangs up (one call for plain clients, many for persistent ones).
 * Calls are handled one at a time, as a ROS service's handler expects. A request over the
 * service's cap ({@link Limits#messageCapFor}) is answered with an error and the connection
 * closed before anything is allocated for it; whatever the handler throws, {@link Error}s
 * included, becomes an error response and the next call is served as usual.
 */
public final class ServiceProvider<Q extends Message, R extends Message> {

    private final String name;
    private final ServiceType<Q, R> type;
    private final ServiceHandler<Q, R> handler;
    private final String callerId;
    private final Limits limits;
    private final TransportLog log;
    private final ThrottledLog throttled;
    private final int maxRequestBytes;
    private final Object handlerLock = new Object();
    final AtomicLong calls = new AtomicLong();

    ServiceProvider(String name, ServiceType<Q, R> type, ServiceHandler<Q, R> handler, String callerId, Limits limits,
            TransportLog log) {
        this.name = name;
        this.type = type;
        this.handler = handler;
        this.callerId = callerId;
        this.limits = limits;
        this.log = log;
        this.throttled = new ThrottledLog(log);
        this.maxRequestBytes = limits.messageCapFor(name);
    }

    public String name() {
        return name;
    }

    public ServiceType<Q, R> type() {
        return type;
    }

    void accept(Socket socket, InputStream in, OutputStream out, Map<String, String> header) throws IOException {
        String theirMd5 = header.getOrDefault("md5sum", "*");
        Map<String, String> reply = new LinkedHashMap<>();
        if (!theirMd5.equals("*") && !theirMd5.equals(type.md5())) {
            String error = "request from [" + header.getOrDefault("callerid", "?") + "]: md5sums do not match: ["
                    + theirMd5 + "] vs. [" + type.md5() + "] for " + type.name();
            log.error(error);
            reply.put("error", error);
            ConnectionHeader.write(out, reply);
            socket.close();
            return;
        }
        reply.put("callerid", callerId);
        reply.put("md5sum", type.md5());
        reply.put("request_type", type.request().name());
        reply.put("response_type", type.response().name());
        reply.put("type", type.name());
        ConnectionHeader.write(out, reply);
        if ("1".equals(header.get("probe"))) {
            socket.close();
            return;
        }
        Thread t = new Thread(() -> serve(socket, in, out), "service" + name);
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket socket, InputStream rawIn, OutputStream out) {
        Q request = type.request().newMessage();
        R response = type.response().newMessage();
        byte[] buf = new byte[256];
        long reserved = 0;   // what buf grew by, held in the byte budget until the client hangs up
        ByteBuffer outBuf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        byte[] len = new byte[4];
        String client = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            socket.setSoTimeout(0);
            InputStream in = new BufferedInputStream(rawIn);
            while (true) {
                try {
                    ConnectionHeader.readFully(in, len, 4);
                } catch (EOFException e) {
                    return;
                }
                long n = ConnectionHeader.getInt(len, 0) & 0xffffffffL;
                if (n > maxRequestBytes) {
                    refuseCall(out, "request of " + n + " bytes to service " + name + " is larger than the cap of "
                            + maxRequestBytes + " bytes (a larger cap: Limits.withMessageCap or -D"
                            + Limits.MESSAGE_CAP_PROPERTY + "." + name + "=SIZE)", client);
                    return;
                }
                if (buf.length < n) {
                    if (!ByteBudget.PROCESS.tryReserve(n - buf.length)) {
                        refuseCall(out, "request of " + n + " bytes to service " + name + " does not fit the transport's "
                                + "byte budget now (" + ByteBudget.PROCESS.describe() + "); try again later", client);
                        return;
                    }
                    reserved += n - buf.length;
                    buf = new byte[(int) n];
                }
                ConnectionHeader.readFully(in, buf, (int) n);
                boolean ok;
                String error = null;
                synchronized (handlerLock) {
                    try {
                        request.deserialize(ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.LITTLE_ENDIAN));
                    } catch (MessageFormatException | BufferUnderflowException e) {
                        throw new ProtocolException("malformed " + type.request().name() + ": " + e.getMessage());
                    } catch (Throwable t) {
                        throw new ProtocolException("cannot read a " + type.request().name() + ": " + t);
                    }
                    int size = 0;
                    try {
                        handler.handle(request, response);
                        size = response.serializedSize();
                        ok = true;
                    } catch (Throwable e) {
                        // Errors too (OutOfMemoryError, a handler's assertion): the client gets an
                        // answer and the next call is served
                        ok = false;
                        error = "service [" + name + "] responded with an error: " + e.getMessage();
                        throttled.error("handler " + name, error + " (" + e.getClass().getName() + ")");
                    }
                    calls.incrementAndGet();
                    if (!ok) size = error.getBytes(StandardCharsets.UTF_8).length;
                    if (outBuf.capacity() < size + 5) outBuf = ByteBuffer.allocate(size + 5).order(ByteOrder.LITTLE_ENDIAN);
                    outBuf.clear();
                    outBuf.put((byte) (ok ? 1 : 0));
                    outBuf.putInt(size);
                    if (ok) response.serialize(outBuf);
                    else outBuf.put(error.getBytes(StandardCharsets.UTF_8));
                }
                out.write(outBuf.array(), 0, outBuf.position());
                out.flush();
            }
        } catch (ProtocolException e) {
            throttled.error("client " + name + ThrottledLog.reason(e.getMessage()),
                    "dropping client of service " + name + ": " + e.getMessage());
        } catch (IOException e) {
            // client went away
        } catch (Throwable t) {
            throttled.error("client " + name, "dropping client " + client + " of service " + name + ": " + t);
        } finally {
            ByteBudget.PROCESS.release(reserved);
        }
    }

    /** Answers a call we will not read with a failure the client can show, then the connection closes. */
    private void refuseCall(OutputStream out, String error, String client) throws IOException {
        throttled.error("refused " + name + ThrottledLog.reason(error), "refused a call from " + client + ": " + error);
        byte[] text = error.getBytes(StandardCharsets.UTF_8);
        byte[] head = new byte[5];
        ConnectionHeader.putInt(head, 1, text.length);
        out.write(head);
        out.write(text);
        out.flush();
    }
}
