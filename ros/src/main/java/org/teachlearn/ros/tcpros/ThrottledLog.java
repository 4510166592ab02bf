package org.teachlearn.ros.tcpros;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Errors a hostile peer can cause many times a second, reported at most {@link #BURST} times per
 * interval per kind, then with how many were left out. Callers name the kind: the place, and
 * with {@link #reason} what went wrong, so that different errors are each seen.
 */
final class ThrottledLog {

    private static final long INTERVAL_NANOS = 5_000_000_000L;
    private static final int BURST = 5;      // reported per kind and interval before the rest are counted

    private final TransportLog log;
    private final Map<String, long[]> kinds = new ConcurrentHashMap<>();

    ThrottledLog(TransportLog log) {
        this.log = log;
    }

    void error(String kind, String message) {
        String line = pass(kind, message);
        if (line != null) log.error(line);
    }

    void warn(String kind, String message) {
        String line = pass(kind, message);
        if (line != null) log.warn(line);
    }

    /** The opening words of an error without its numbers: "connection header of  bytes is larger". */
    static String reason(String message) {
        String m = String.valueOf(message);
        return m.substring(0, Math.min(40, m.length())).replaceAll("[0-9]", "");
    }

    private String pass(String kind, String message) {
        long now = System.nanoTime();
        if (kinds.size() > 1_000) kinds.clear();  // a peer that varies its messages cannot grow this
        long[] state = kinds.computeIfAbsent(kind, k -> new long[] {now, 0, 0});  // window start, reported, left out
        synchronized (state) {
            if (now - state[0] >= INTERVAL_NANOS) {
                long leftOut = state[2];
                state[0] = now;
                state[1] = 1;
                state[2] = 0;
                return leftOut == 0 ? message : message + " (" + leftOut + " more like this in the last 5 s not shown)";
            }
            if (state[1] < BURST) {
                state[1]++;
                return message;
            }
            state[2]++;
            return null;
        }
    }
}
