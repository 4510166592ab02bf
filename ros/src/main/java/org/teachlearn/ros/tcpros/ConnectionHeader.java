package org.teachlearn.ros.tcpros;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TCPROS connection header: a 4-byte little-endian total length, then fields, each a 4-byte
 * length and {@code key=value}. Reading checks every length against the cap before allocating.
 */
public final class ConnectionHeader {

    private ConnectionHeader() {
    }

    public static byte[] encode(Map<String, String> fields) {
        int total = 0;
        byte[][] encoded = new byte[fields.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            encoded[i] = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
            total += 4 + encoded[i].length;
            i++;
        }
        byte[] out = new byte[4 + total];
        putInt(out, 0, total);
        int pos = 4;
        for (byte[] f : encoded) {
            putInt(out, pos, f.length);
            System.arraycopy(f, 0, out, pos + 4, f.length);
            pos += 4 + f.length;
        }
        return out;
    }

    public static void write(OutputStream out, Map<String, String> fields) throws IOException {
        out.write(encode(fields));
        out.flush();
    }

    /**
     * Reads a header without a deadline (peers we connected to for a one-off probe, tests).
     *
     * @throws ProtocolException when it is larger than {@code maxBytes} or malformed
     */
    public static Map<String, String> read(InputStream in, int maxBytes) throws IOException {
        byte[] len = readFully(in, new byte[4], 4);
        long total = getInt(len, 0) & 0xffffffffL;
        if (total > maxBytes) {
            throw new ProtocolException("connection header of " + total + " bytes is larger than the cap of " + maxBytes);
        }
        byte[] body = readFully(in, new byte[(int) total], (int) total);
        return decode(body);
    }

    /**
     * Reads a header that must be complete within {@code millis} of now, however the peer spreads
     * its bytes (a peer that trickles a byte a second is cut; roscpp and rospy send it in one go).
     * Its bytes are reserved from {@code budget} before they are allocated, and allocated as they
     * arrive, so a header that is only declared costs nothing.
     *
     * @throws ProtocolException when it is over the cap, does not fit the budget, is late or malformed
     */
    public static Map<String, String> read(Socket socket, InputStream in, int maxBytes, int millis, ByteBudget budget)
            throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] len = new byte[4];
        readBefore(socket, in, len, 0, 4, deadline, millis);
        long total = getInt(len, 0) & 0xffffffffL;
        if (total > maxBytes) {
            throw new ProtocolException("connection header of " + total + " bytes is larger than the cap of " + maxBytes);
        }
        if (!budget.tryReserve(total)) {
            throw new ProtocolException("connection header of " + total + " bytes does not fit the transport's byte budget ("
                    + budget.describe() + "); try again later");
        }
        try {
            byte[] body = new byte[(int) Math.min(total, 8192)];
            int off = 0;
            while (off < total) {
                if (off == body.length) body = java.util.Arrays.copyOf(body, (int) Math.min(total, body.length * 2L));
                off = readBefore(socket, in, body, off, body.length, deadline, millis);
            }
            return decode(body);
        } finally {
            budget.release(total);
        }
    }

    /** Reads into {@code buf[off, end)} until full, or throws once the deadline has passed; returns end. */
    private static int readBefore(Socket socket, InputStream in, byte[] buf, int off, int end, long deadline, int millis)
            throws IOException {
        int previousTimeout = socket.getSoTimeout();
        try {
            while (off < end) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw late(millis);
                socket.setSoTimeout((int) Math.max(1, left));
                int r;
                try {
                    r = in.read(buf, off, end - off);
                } catch (SocketTimeoutException e) {
                    throw late(millis);
                }
                if (r < 0) throw new EOFException("connection closed inside its connection header");
                off += r;
            }
            return off;
        } finally {
            socket.setSoTimeout(previousTimeout);
        }
    }

    private static ProtocolException late(int millis) {
        return new ProtocolException("connection header not complete within " + millis + " ms (a peer that slow is cut; "
                + "roscpp and rospy send theirs at once)");
    }

    static Map<String, String> decode(byte[] body) throws ProtocolException {
        Map<String, String> fields = new LinkedHashMap<>();
        int pos = 0;
        while (pos < body.length) {
            if (body.length - pos < 4) throw new ProtocolException("connection header ends inside a field length");
            long n = getInt(body, pos) & 0xffffffffL;
            pos += 4;
            if (n > body.length - pos) {
                throw new ProtocolException("connection header field of " + n + " bytes overruns the header");
            }
            String field = new String(body, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            int eq = field.indexOf('=');
            if (eq <= 0) throw new ProtocolException("connection header field without 'key=': '" + abbreviate(field) + "'");
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return fields;
    }

    static byte[] readFully(InputStream in, byte[] buf, int n) throws IOException {
        int off = 0;
        while (off < n) {
            int r = in.read(buf, off, n - off);
            if (r < 0) throw new EOFException("connection closed after " + off + " of " + n + " bytes");
            off += r;
        }
        return buf;
    }

    static void putInt(byte[] b, int pos, int v) {
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >>> 8);
        b[pos + 2] = (byte) (v >>> 16);
        b[pos + 3] = (byte) (v >>> 24);
    }

    static int getInt(byte[] b, int pos) {
        return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
