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
 * Calls are handled one at a time, as a ROS service's handler expects.
 */
public final class ServiceProvider<Q extends Message, R extends Message> {

    private final String name;
    private final ServiceType<Q, R> type;
    private final ServiceHandler<Q, R> handler;
    private final String callerId;
    private final Limits limits;
    private final TransportLog log;
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
        ByteBuffer outBuf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        byte[] len = new byte[4];
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
                if (n > limits.maxMessageBytes()) {
                    throw new ProtocolException("request of " + n + " bytes is larger than the cap of " + limits.maxMessageBytes());
                }
                if (buf.length < n) buf = new byte[(int) n];
                ConnectionHeader.readFully(in, buf, (int) n);
                boolean ok;
                String error = null;
                synchronized (handlerLock) {
                    try {
                        request.deserialize(ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.LITTLE_ENDIAN));
                    } catch (MessageFormatException | BufferUnderflowException e) {
                        throw new ProtocolException("malformed " + type.request().name() + ": " + e.getMessage());
                    }
                    try {
                        handler.handle(request, response);
                        ok = true;
                    } catch (Exception e) {
                        ok = false;
                        error = "service [" + name + "] responded with an error: " + e.getMessage();
                        log.error(error);
                    }
                    calls.incrementAndGet();
                    int size = ok ? response.serializedSize() : error.getBytes(StandardCharsets.UTF_8).length;
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
            log.error("dropping client of service " + name + ": " + e.getMessage());
        } catch (IOException e) {
            // client went away
        }
    }
}
