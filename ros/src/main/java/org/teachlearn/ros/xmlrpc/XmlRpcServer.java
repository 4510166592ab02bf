package org.teachlearn.ros.xmlrpc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An XML-RPC server on the JDK's HTTP server: the transport of the master and slave APIs.
 * Requests larger than the configured cap are refused before they are read.
 */
public final class XmlRpcServer implements AutoCloseable {

    static {
        // Without this the JDK server writes headers and body in two segments and Nagle's
        // algorithm meets the peer's delayed ACK: 40 ms per call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService executor;

    /**
     * @param bind     address to listen on (port 0 picks a free one)
     * @param maxBytes largest request body accepted
     * @param onError  told about requests that were refused, for the node's log
     */
    public XmlRpcServer(InetSocketAddress bind, int maxBytes, XmlRpcHandler handler, Consumer<String> onError)
            throws IOException {
        http = HttpServer.create(bind, 128);
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "xmlrpc-" + bind.getPort() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", exchange -> handle(exchange, maxBytes, handler, onError));
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private static void handle(HttpExchange ex, int maxBytes, XmlRpcHandler handler, Consumer<String> onError)
            throws IOException {
        try (ex) {
            byte[] out;
            int status = 200;
            if (!ex.getRequestMethod().equals("POST")) {
                status = 405;
                out = "XML-RPC takes POST\n".getBytes();
            } else {
                String declared = ex.getRequestHeaders().getFirst("Content-Length");
                long len = declared == null ? -1 : parseLength(declared);
                if (len > maxBytes) {
                    onError.accept("refused an XML-RPC request of " + len + " bytes from " + ex.getRemoteAddress()
                            + ": larger than the cap of " + maxBytes);
                    status = 413;
                    out = XmlRpcCodec.fault(-32700, "request larger than " + maxBytes + " bytes");
                } else {
                    byte[] body = readCapped(ex.getRequestBody(), maxBytes);
                    if (body == null) {
                        onError.accept("refused an XML-RPC request from " + ex.getRemoteAddress()
                                + ": larger than the cap of " + maxBytes + " bytes");
                        status = 413;
                        out = XmlRpcCodec.fault(-32700, "request larger than " + maxBytes + " bytes");
                    } else {
                        out = dispatch(body, handler, ex, onError);
                    }
                }
            }
            ex.getResponseHeaders().set("Content-Type", "text/xml");
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // The peer went away mid-call; nothing to answer.
        }
    }

    private static byte[] dispatch(byte[] body, XmlRpcHandler handler, HttpExchange ex, Consumer<String> onError) {
        XmlRpcCodec.Call call;
        try {
            call = XmlRpcCodec.parseCall(body);
        } catch (XmlRpcFault f) {
            onError.accept("bad XML-RPC request from " + ex.getRemoteAddress() + ": " + f.getMessage());
            return XmlRpcCodec.fault(f.code(), f.getMessage());
        }
        try {
            if (call.method().equals("system.multicall")) return XmlRpcCodec.response(multicall(call.params(), handler));
            return XmlRpcCodec.response(handler.call(call.method(), call.params()));
        } catch (XmlRpcFault f) {
            return XmlRpcCodec.fault(f.code(), f.getMessage());
        } catch (RuntimeException e) {
            onError.accept("XML-RPC " + call.method() + " failed: " + e);
            return XmlRpcCodec.fault(-32603, call.method() + " failed: " + e.getMessage());
        }
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

    private static long parseLength(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads the whole body, or returns null as soon as it passes the cap. */
    static byte[] readCapped(InputStream in, int maxBytes) throws IOException {
        byte[] buf = new byte[Math.min(maxBytes + 1, 8192)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (buf.length > maxBytes) return null;
                buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) maxBytes + 1, buf.length * 2L));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
            if (n > maxBytes) return null;
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
