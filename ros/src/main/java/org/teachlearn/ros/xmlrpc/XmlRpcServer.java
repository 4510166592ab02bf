package org.teachlearn.ros.xmlrpc;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The XML-RPC server of the master and of every node's slave API: HTTP/1.0 and 1.1 with
 * keep-alive, as rospy's and roscpp's clients speak it.
 *
 * <p>One selector thread reads every connection without blocking, so idle or slow clients cost a
 * socket and a small buffer, never a thread; a bounded pool of workers runs the handler on
 * complete requests only. Each request must arrive whole within a deadline (a client trickling
 * a byte a second is cut), idle connections are closed, the number of connections is capped
 * (the longest-idle one makes room for a new one), and request bodies are checked against the
 * per-request and all-connections caps before their buffer is allocated. A handler that throws
 * anything, OutOfMemoryError included, answers a fault and the server keeps serving.
 */
public final class XmlRpcServer implements AutoCloseable {

    private static final long SWEEP_NANOS = 200_000_000L;

    private final ServerLimits limits;
    private final XmlRpcHandler handler;
    private final Consumer<String> onError;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final ThreadPoolExecutor workers;
    private final BodyBudget budget;
    private final List<HttpConnection> open = new ArrayList<>();
    private final Queue<HttpConnection> answered = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 << 10); // selector thread only
    private final Thread loop;
    private volatile boolean closed;
    private long lastLogNanos;
    private int unloggedCuts;

    /**
     * @param bind     address to listen on (port 0 picks a free one)
     * @param maxBytes largest request body accepted (lowered to fit the heap, see {@link ServerLimits#forHeap})
     * @param onError  told about requests that were refused, for the node's log
     */
    public XmlRpcServer(InetSocketAddress bind, int maxBytes, XmlRpcHandler handler, Consumer<String> onError)
            throws IOException {
        this(bind, ServerLimits.forHeap(maxBytes), handler, onError);
    }

    public XmlRpcServer(InetSocketAddress bind, ServerLimits limits, XmlRpcHandler handler, Consumer<String> onError)
            throws IOException {
        this.limits = limits;
        this.handler = handler;
        this.onError = onError;
        this.budget = new BodyBudget(limits.maxInFlightBytes());
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true); // a restarted master gets its port back at once
            listener.bind(bind, 512);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
        int port = port();
        AtomicInteger n = new AtomicInteger();
        // Each connection has at most one request with the workers, so the queue never overflows.
        workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.maxConnections() + 1), r -> {
                    Thread t = new Thread(r, "xmlrpc-" + port + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        loop = new Thread(this::run, "xmlrpc-" + port);
        loop.setDaemon(true);
        loop.start();
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    public ServerLimits limits() {
        return limits;
    }

    /** Connections open now, for tests and diagnostics. */
    public int connectionCount() {
        synchronized (open) {
            return open.size();
        }
    }

    // --- the selector thread ---

    private void run() {
        long nextSweep = System.nanoTime() + SWEEP_NANOS;
        try {
            while (!closed) {
                selector.select(SWEEP_NANOS / 1_000_000);
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    if (k.isAcceptable()) accept();
                    else if (k.attachment() instanceof HttpConnection c) {
                        try {
                            if (k.isReadable()) read(c);
                            if (k.isValid() && k.isWritable()) write(c);
                        } catch (IOException e) {
                            drop(c); // the peer went away mid-call; nothing to answer
                        } catch (RuntimeException | Error e) {
                            // one connection's trouble (a cancelled key, no memory for its request) must not stop the server
                            logCut("dropped a connection from " + c + " after " + e);
                            drop(c);
                        }
                    }
                }
                for (HttpConnection c; (c = answered.poll()) != null; ) startWriting(c);
                long now = System.nanoTime();
                if (now >= nextSweep) {
                    sweep(now);
                    nextSweep = now + SWEEP_NANOS;
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) onError.accept("XML-RPC server on port " + port() + " stopped: " + e);
        } catch (Throwable t) {
            onError.accept("XML-RPC server on port " + port() + " stopped: " + t);
        } finally {
            closeAll();
        }
    }

    private void accept() throws IOException {
        for (SocketChannel ch; (ch = listener.accept()) != null; ) {
            long now = System.nanoTime();
            synchronized (open) {
                if (open.size() >= limits.maxConnections()) evictOldest();
            }
            try {
                ch.configureBlocking(false);
                // Headers and body go out in one write, and without this Nagle's algorithm
                // meets the peer's delayed ACK: 40 ms per call.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                HttpConnection c = new HttpConnection(ch, key, now);
                key.attach(c);
                c.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(limits.idleMillis());
                synchronized (open) {
                    open.add(c);
                }
            } catch (IOException e) {
                ch.close();
            }
        }
    }

    /** At the connection cap the connection that has waited longest (idle or slow) makes room. */
    private void evictOldest() {
        HttpConnection oldest = null;
        for (HttpConnection c : open) {
            if (c.state == HttpConnection.State.DISPATCHED) continue;
            if (oldest == null || c.sinceNanos < oldest.sinceNanos) oldest = c;
        }
        if (oldest != null) {
            logCut("closed the oldest of " + open.size() + " connections to make room (cap " + limits.maxConnections() + ")");
            dropLocked(oldest);
        }
    }

    private void read(HttpConnection c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            drop(c);
            return;
        }
        if (n == 0) return;
        long now = System.nanoTime();
        boolean wasIdle = !c.midRequest();
        HttpConnection.Request r = c.feed(readBuffer.array(), 0, n, limits, budget);
        if (wasIdle && c.midRequest()) {
            c.sinceNanos = now;
            c.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(limits.requestMillis());
        }
        if (r != null) {
            dispatch(c);
        } else if (c.expectContinue && c.state == HttpConnection.State.READ_BODY) {
            c.expectContinue = false;
            c.channel.write(ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private void dispatch(HttpConnection c) {
        c.key.interestOps(0);
        c.deadlineNanos = Long.MAX_VALUE; // the handler's time is the handler's business
        HttpConnection.Request r = c.request;
        if (r.refusalStatus() != 0) {
            if (r.refusalStatus() == 413 || r.refusalStatus() == 503) logCut("refused an XML-RPC request from " + remote(c) + ": " + r.refusal());
            else logCut("bad HTTP request from " + remote(c) + ": " + r.refusal());
            answer(c, r.refusalStatus(), XmlRpcCodec.fault(-32700, r.refusal()), false);
            return;
        }
        workers.execute(() -> {
            byte[] out;
            try {
                out = respond(r.body(), remote(c));
            } catch (Throwable t) { // respond catches handler failures; this is the fault's own encoding failing
                out = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-32603</int></value></member><member><name>faultString</name><value><string>internal error</string></value></member></struct></value></fault></methodResponse>"
                        .getBytes(StandardCharsets.US_ASCII);
            }
            budget.release(c.reserved);
            c.reserved = 0;
            answer(c, 200, out, r.keepAlive());
        });
    }

    /** Hands an answer to the selector thread (from any thread). */
    private void answer(HttpConnection c, int status, byte[] body, boolean keepAlive) {
        // Header names spelt as Python's SimpleXMLRPCServer (roscore) spells them, which every ROS client reads.
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nServer: teach_learn\r\nContent-type: text/xml\r\nContent-length: "
                + body.length + "\r\n" + (keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(h.length + body.length);
        b.put(h).put(body).flip();
        c.answer = b;
        c.closeAfterAnswer = !keepAlive;
        if (Thread.currentThread() == loop) {
            startWriting(c);
        } else {
            answered.add(c);
            selector.wakeup();
        }
    }

    private void startWriting(HttpConnection c) {
        if (!c.key.isValid()) {
            budget.release(c.reserved);
            c.reserved = 0;
            return;
        }
        c.state = HttpConnection.State.WRITE;
        c.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.requestMillis());
        try {
            write(c);
        } catch (IOException e) {
            drop(c);
        }
    }

    private void write(HttpConnection c) throws IOException {
        if (c.state != HttpConnection.State.WRITE) return;
        c.channel.write(c.answer);
        if (c.answer.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        if (c.closeAfterAnswer) {
            drop(c);
            return;
        }
        long now = System.nanoTime();
        c.reset();
        c.sinceNanos = now;
        c.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(limits.idleMillis());
        c.key.interestOps(SelectionKey.OP_READ);
        byte[] pending = c.takePending();
        if (pending != null) {
            if (c.feed(pending, 0, pending.length, limits, budget) != null) dispatch(c);
            else if (c.midRequest()) c.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(limits.requestMillis());
        }
    }

    /** Closes connections past their deadline: idle too long, or a request or answer too slow. */
    private void sweep(long now) {
        List<HttpConnection> late = new ArrayList<>();
        synchronized (open) {
            for (HttpConnection c : open) if (now > c.deadlineNanos) late.add(c);
        }
        for (HttpConnection c : late) {
            if (c.midRequest() || c.state == HttpConnection.State.WRITE) {
                logCut("cut a connection from " + remote(c) + ": its request or answer took longer than "
                        + limits.requestMillis() + " ms");
            }
            drop(c);
        }
    }

    private void drop(HttpConnection c) {
        synchronized (open) {
            dropLocked(c);
        }
    }

    private void dropLocked(HttpConnection c) {
        open.remove(c);
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (c.state != HttpConnection.State.DISPATCHED && c.reserved > 0) { // a worker releases its own
            budget.release(c.reserved);
            c.reserved = 0;
        }
    }

    /** Logs refusals and cuts, at most one line a second: a flood of them must not flood the log too. */
    private void logCut(String what) {
        long now = System.nanoTime();
        if (now - lastLogNanos < 1_000_000_000L && lastLogNanos != 0) {
            unloggedCuts++;
            return;
        }
        lastLogNanos = now;
        onError.accept(what + (unloggedCuts > 0 ? " (and " + unloggedCuts + " more like it in the last second)" : ""));
        unloggedCuts = 0;
    }

    private static String remote(HttpConnection c) {
        try {
            return String.valueOf(c.channel.getRemoteAddress());
        } catch (IOException e) {
            return "a closed connection";
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    // --- the handler, on a worker ---

    private byte[] respond(byte[] body, String from) {
        XmlRpcCodec.Call call;
        try {
            call = XmlRpcCodec.parseCall(body);
        } catch (XmlRpcFault f) {
            onError.accept("bad XML-RPC request from " + from + ": " + f.getMessage());
            return XmlRpcCodec.fault(f.code(), f.getMessage());
        } catch (Throwable t) {
            return failed("parsing a request from " + from, t);
        }
        try {
            if (call.method().equals("system.multicall")) return XmlRpcCodec.response(multicall(call.params(), handler));
            return XmlRpcCodec.response(handler.call(call.method(), call.params()));
        } catch (XmlRpcFault f) {
            return XmlRpcCodec.fault(f.code(), f.getMessage());
        } catch (Throwable t) {
            return failed(call.method(), t);
        }
    }

    private byte[] failed(String what, Throwable t) {
        String hint = t instanceof OutOfMemoryError ? " (the heap is full: give the JVM more with -Xmx, or send less)" : "";
        try {
            onError.accept("XML-RPC " + what + " failed: " + t + hint);
        } catch (Throwable ignored) {
            // the log itself failed (e.g. out of memory): the caller still gets its fault
        }
        return XmlRpcCodec.fault(-32603, what + " failed: " + t.getMessage() + hint);
    }

    /**
     * The multicall extension, which rospy uses to unregister everything at once on exit: each call
     * answers [result] or a fault struct, and one failing call does not stop the others.
     */
    private static List<Object> multicall(List<Object> params, XmlRpcHandler handler) throws XmlRpcFault {
        if (params.size() != 1 || !(params.get(0) instanceof List<?> calls)) {
            throw new XmlRpcFault(-32602, "system.multicall takes one array of {methodName, params} structs");
        }
        List<Object> results = new ArrayList<>();
        for (Object c : calls) {
            try {
                if (!(c instanceof Map<?, ?> m) || !(m.get("methodName") instanceof String method) || !(m.get("params") instanceof List<?> args)) {
                    throw new XmlRpcFault(-32602, "a multicall entry needs methodName and params");
                }
                if (method.equals("system.multicall")) throw new XmlRpcFault(-32600, "recursive system.multicall");
                results.add(List.of(handler.call(method, new ArrayList<>(args))));
            } catch (XmlRpcFault f) {
                results.add(Map.of("faultCode", f.code(), "faultString", f.getMessage()));
            } catch (RuntimeException e) {
                results.add(Map.of("faultCode", -32603, "faultString", String.valueOf(e.getMessage())));
            }
        }
        return results;
    }

    /** Reads the whole stream, or returns null as soon as it passes the cap. */
    static byte[] readCapped(InputStream in, int maxBytes) throws IOException {
        byte[] buf = new byte[Math.min(maxBytes + 1, 8192)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (buf.length > maxBytes) return null;
                buf = Arrays.copyOf(buf, (int) Math.min((long) maxBytes + 1, buf.length * 2L));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
            if (n > maxBytes) return null;
        }
        return Arrays.copyOf(buf, n);
    }

    private void closeAll() {
        synchronized (open) {
            for (HttpConnection c : new ArrayList<>(open)) dropLocked(c);
        }
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            loop.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.isAlive()) closeAll();
        workers.shutdownNow();
    }
}
