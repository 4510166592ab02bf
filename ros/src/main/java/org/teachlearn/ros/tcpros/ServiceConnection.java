package org.teachlearn.ros.tcpros;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageFormatException;
import org.teachlearn.ros.message.ServiceType;

/** A client's connection to a service provider at a {@code rosrpc://host:port} URI. */
public final class ServiceConnection<Q extends Message, R extends Message> implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ServiceType<Q, R> type;
    private final String service;
    private final Limits limits;
    private final int cap;   // this service's message cap, worked out once (a property lookup per call otherwise)
    private ByteBuffer outBuf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] inBuf = new byte[256];
    private final byte[] head = new byte[5];

    public ServiceConnection(URI rosrpc, String service, ServiceType<Q, R> type, String callerId, boolean persistent,
            Limits limits) throws IOException {
        this.type = type;
        this.service = service;
        this.limits = limits;
        this.cap = limits.messageCapFor(service);
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(rosrpc.getHost(), rosrpc.getPort()), 5_000);
            out = new BufferedOutputStream(socket.getOutputStream());
            in = new BufferedInputStream(socket.getInputStream());
            Map<String, String> header = new LinkedHashMap<>();
            header.put("callerid", callerId);
            header.put("md5sum", type.md5());
            header.put("persistent", persistent ? "1" : "0");
            header.put("service", service);
            header.put("type", type.name());
            ConnectionHeader.write(out, header);
            Map<String, String> reply = ConnectionHeader.read(socket, in, limits.maxHeaderBytes(), limits.handshakeMillis(),
                    ByteBudget.PROCESS);
            if (reply.containsKey("error")) throw new ServiceException("service " + service + ": " + reply.get("error"));
            socket.setSoTimeout(0);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Asks a service for its type without calling it (rosservice's probe): the provider answers
     * the handshake with its header and closes.
     */
    public static Map<String, String> probe(URI rosrpc, String service, String callerId) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(rosrpc.getHost(), rosrpc.getPort()), 5_000);
            Map<String, String> header = new LinkedHashMap<>();
            header.put("callerid", callerId);
            header.put("md5sum", "*");
            header.put("probe", "1");
            header.put("service", service);
            ConnectionHeader.write(new BufferedOutputStream(s.getOutputStream()), header);
            return ConnectionHeader.read(s, new BufferedInputStream(s.getInputStream()), Limits.DEFAULT.maxHeaderBytes(),
                    5_000, ByteBudget.PROCESS);
        }
    }

    /** Sends the request and fills in the response; a failure reported by the server throws. */
    public synchronized void call(Q request, R response) throws IOException {
        int size = request.serializedSize();
        if (outBuf.capacity() < size + 4) outBuf = ByteBuffer.allocate(size + 4).order(ByteOrder.LITTLE_ENDIAN);
        outBuf.clear();
        outBuf.putInt(size);
        request.serialize(outBuf);
        out.write(outBuf.array(), 0, outBuf.position());
        out.flush();
        ConnectionHeader.readFully(in, head, 5);
        long n = ConnectionHeader.getInt(head, 1) & 0xffffffffL;
        if (n > cap) {
            socket.close();  // its bytes stay unread: this connection cannot be used again
            throw new ProtocolException("response of " + n + " bytes from " + service + " is larger than the cap of " + cap
                    + " bytes (a larger cap: Limits.withMessageCap or -D" + Limits.MESSAGE_CAP_PROPERTY + "." + service
                    + "=SIZE)");
        }
        if (inBuf.length < n) inBuf = new byte[(int) n];
        ConnectionHeader.readFully(in, inBuf, (int) n);
        if (head[0] == 0) throw new ServiceException(new String(inBuf, 0, (int) n, StandardCharsets.UTF_8));
        try {
            response.deserialize(ByteBuffer.wrap(inBuf, 0, (int) n).order(ByteOrder.LITTLE_ENDIAN));
        } catch (MessageFormatException | BufferUnderflowException e) {
            throw new ProtocolException("malformed " + type.response().name() + " from " + service + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
