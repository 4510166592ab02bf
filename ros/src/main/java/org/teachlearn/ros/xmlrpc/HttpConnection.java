package org.teachlearn.ros.xmlrpc;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One client connection of {@link XmlRpcServer}: the HTTP/1.x request being read, the answer
 * being written, and the deadline that applies now. Only the server's selector thread touches it,
 * except {@link #request} which a worker reads while the connection waits for its answer.
 */
final class HttpConnection {

    enum State { READ_HEAD, READ_BODY, DISPATCHED, WRITE }

    /** A complete request, or a refusal decided while reading it. */
    record Request(String method, byte[] body, boolean keepAlive, int refusalStatus, String refusal) {
    }

    final SocketChannel channel;
    final SelectionKey key;
    State state = State.READ_HEAD;
    /** When this connection must have made progress (see {@link XmlRpcServer#deadlineOf}). */
    long deadlineNanos;
    /** Last time a request started or an answer finished: the eviction order at the connection cap. */
    long sinceNanos;

    private byte[] head = new byte[512];
    private int headLen;
    private byte[] body;
    private int bodyLen;
    private byte[] pending;            // bytes read past the end of a request (pipelining)
    private String method;
    private boolean keepAlive;
    boolean expectContinue;
    long reserved;                     // body bytes held in the server's budget
    Request request;
    ByteBuffer answer;
    boolean closeAfterAnswer;

    HttpConnection(SocketChannel channel, SelectionKey key, long now) {
        this.channel = channel;
        this.key = key;
        this.sinceNanos = now;
    }

    /** True while a request has begun but is not yet complete: the whole-request deadline runs. */
    boolean midRequest() {
        return (state == State.READ_HEAD && headLen > 0) || state == State.READ_BODY;
    }

    /**
     * Takes bytes read from the socket. Returns a complete (or refused) request, or null while
     * more is needed; bytes past the request are kept for the next one.
     */
    Request feed(byte[] in, int off, int len, ServerLimits limits, BodyBudget budget) {
        while (len > 0) {
            if (state == State.READ_HEAD) {
                int used = takeHead(in, off, len, limits.maxHeaderBytes());
                off += used;
                len -= used;
                if (headLen < 0) return refuse(431, "request headers larger than " + limits.maxHeaderBytes() + " bytes");
                if (state == State.READ_HEAD) return null;
                Request r = parseHead(limits, budget);
                if (r != null) return r;
                if (state == State.DISPATCHED) { // empty body
                    keepRest(in, off, len);
                    return request;
                }
            } else if (state == State.READ_BODY) {
                int n = Math.min(len, body.length - bodyLen);
                System.arraycopy(in, off, body, bodyLen, n);
                bodyLen += n;
                off += n;
                len -= n;
                if (bodyLen == body.length) {
                    complete();
                    keepRest(in, off, len);
                    return request;
                }
            } else {
                keepRest(in, off, len);
                return null;
            }
        }
        return null;
    }

    /** Bytes of the next request that arrived with this one; null if none. */
    byte[] takePending() {
        byte[] p = pending;
        pending = null;
        return p;
    }

    /** Ready for the next request on the same connection. */
    void reset() {
        state = State.READ_HEAD;
        headLen = 0;
        if (head.length > 4096) head = new byte[512];
        body = null;
        bodyLen = 0;
        method = null;
        expectContinue = false;
        request = null;
        answer = null;
    }

    private void keepRest(byte[] in, int off, int len) {
        if (len <= 0) return;
        byte[] rest = Arrays.copyOfRange(in, off, off + len);
        pending = pending == null ? rest : concat(pending, rest);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Copies header bytes up to the blank line; headLen becomes -1 when the cap is passed. */
    private int takeHead(byte[] in, int off, int len, int max) {
        for (int i = 0; i < len; i++) {
            if (headLen == head.length) {
                if (headLen >= max) {
                    headLen = -1;
                    return i;
                }
                head = Arrays.copyOf(head, Math.min(max, head.length * 2));
            }
            byte b = in[off + i];
            head[headLen++] = b;
            if (b == '\n' && endsHead()) {
                state = State.READ_BODY; // provisional: parseHead decides
                return i + 1;
            }
        }
        return len;
    }

    private boolean endsHead() {
        if (headLen >= 2 && head[headLen - 2] == '\n') return true;
        return headLen >= 4 && head[headLen - 2] == '\r' && head[headLen - 3] == '\n';
    }

    /** Reads the request line and headers; returns a refusal, or null once the body can be read. */
    private Request parseHead(ServerLimits limits, BodyBudget budget) {
        String[] lines = new String(head, 0, headLen, StandardCharsets.ISO_8859_1).split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isEmpty()) first++; // stray CRLF between requests
        if (first == lines.length) { // only blank lines: still waiting for a request
            state = State.READ_HEAD;
            headLen = 0;
            return null;
        }
        String[] requestLine = lines[first].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            return refuse(400, "not an HTTP/1.x request line: " + abbreviate(lines[first]));
        }
        method = requestLine[0];
        boolean http11 = !requestLine[2].equals("HTTP/1.0");
        String connection = "";
        long length = -1;
        boolean chunked = false;
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return refuse(400, "Content-Length '" + abbreviate(value) + "' is not a number");
                    }
                }
                case "transfer-encoding" -> chunked = !value.equalsIgnoreCase("identity");
                case "connection" -> connection = value.toLowerCase(Locale.ROOT);
                case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                default -> { }
            }
        }
        keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive");
        if (!method.equals("POST")) return refuse(405, "XML-RPC takes POST, not " + abbreviate(method));
        if (chunked) return refuse(411, "chunked request bodies are not accepted: send Content-Length");
        if (length < 0) return refuse(411, "a request needs a Content-Length");
        if (length > limits.maxBodyBytes()) {
            return refuse(413, "request of " + length + " bytes is larger than the cap of " + limits.maxBodyBytes() + " bytes");
        }
        if (!budget.tryReserve(length)) {
            return refuse(503, "server busy: " + budget.used() + " of " + budget.capacity()
                    + " bytes of requests in flight; try again");
        }
        reserved = length;
        body = new byte[(int) length];
        bodyLen = 0;
        if (length == 0) complete();
        else state = State.READ_BODY;
        return null;
    }

    private void complete() {
        state = State.DISPATCHED;
        request = new Request(method, body, keepAlive, 0, null);
        expectContinue = false;
    }

    private Request refuse(int status, String why) {
        state = State.DISPATCHED;
        keepAlive = false;
        request = new Request(method, null, false, status, why);
        return request;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
