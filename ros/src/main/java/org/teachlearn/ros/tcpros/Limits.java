package org.teachlearn.ros.tcpros;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Caps on what a peer can make a node allocate, checked before allocating. A frame or header
 * over its cap closes that connection with an error in the log (a subscriber then reconnects, as
 * roscpp does, so the publisher's next good message still arrives); other connections are
 * unaffected. {@link #DEFAULT} fits the heap the JVM runs with; what all connections hold at
 * once is bounded separately by {@link ByteBudget#PROCESS}.
 *
 * <p>Topics (or services) that carry larger messages, such as {@code /policy/model} with whole
 * ONNX files, get their own cap: {@code Limits.DEFAULT.withMessageCap("/policy/model", 64 << 20)}
 * passed to {@code Node.start}, or, without code, {@code -Dteachlearn.tcpros.maxMessageBytes./policy/model=64M}.
 *
 * @param maxMessageBytes  largest message accepted on a topic or service without its own cap
 * @param maxHeaderBytes   largest connection header accepted
 * @param handshakeMillis  how long a connection may take to send its whole header
 * @param maxHandshakes    connection headers read at once; more new connections are closed
 * @param messageCaps      resolved topic or service name to its own message cap
 */
public record Limits(int maxMessageBytes, int maxHeaderBytes, int handshakeMillis, int maxHandshakes,
        Map<String, Integer> messageCaps) {

    /** Prefix of the system properties that set a cap: {@code PREFIX} for all, {@code PREFIX + "." + topic} for one. */
    public static final String MESSAGE_CAP_PROPERTY = "teachlearn.tcpros.maxMessageBytes";

    public static final Limits DEFAULT = forHeap(Runtime.getRuntime().maxMemory());

    public Limits {
        if (maxMessageBytes <= 0 || maxHeaderBytes <= 0 || handshakeMillis <= 0 || maxHandshakes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        messageCaps = Map.copyOf(messageCaps);
    }

    public Limits(int maxMessageBytes, int maxHeaderBytes, int handshakeMillis) {
        this(maxMessageBytes, maxHeaderBytes, handshakeMillis, 32, Map.of());
    }

    /**
     * Caps for a heap of {@code heapBytes}: a message may take an eighth of it (1 MB to 256 MB),
     * a header 1/512 (64 KB to 1 MB; ROS headers with full message definitions are a few KB).
     * With a 128 MB heap: 16 MB messages, 256 KB headers.
     */
    public static Limits forHeap(long heapBytes) {
        long message = sizeProperty(MESSAGE_CAP_PROPERTY, clamp(heapBytes / 8, 1 << 20, 256 << 20));
        long header = clamp(heapBytes / 512, 64 << 10, 1 << 20);
        return new Limits((int) Math.min(message, Integer.MAX_VALUE - 8), (int) header, 5_000, 32, Map.of());
    }

    /** These limits with a larger (or smaller) message cap for one resolved topic or service name. */
    public Limits withMessageCap(String name, int bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("message cap for " + name + " must be positive");
        Map<String, Integer> caps = new HashMap<>(messageCaps);
        caps.put(name, bytes);
        return new Limits(maxMessageBytes, maxHeaderBytes, handshakeMillis, maxHandshakes, caps);
    }

    /** The message cap of one topic or service: its own, else its system property, else the default. */
    public int messageCapFor(String name) {
        Integer own = messageCaps.get(name);
        if (own != null) return own;
        return (int) Math.min(sizeProperty(MESSAGE_CAP_PROPERTY + "." + name, maxMessageBytes), Integer.MAX_VALUE - 8);
    }

    /** A size property such as {@code 64M}, {@code 512k} or {@code 1048576}; the fallback when unset. */
    static long sizeProperty(String key, long fallback) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) return fallback;
        String s = v.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1 << 10 : last == 'M' ? 1 << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s) * unit;
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + key + "=" + v + " is not a size: write bytes, or e.g. 512k, 64M, 1G");
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
