package org.teachlearn.ros.tcpros;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Errors a hostile peer can cause many times a second, reported at most once per interval per
 * kind, with how many were left out; the first of each kind is always reported. A kind is the
 * caller's name for the place plus the message's opening words without digits, so different
 * errors in one place are each reported.
 */
final class ThrottledLog {

    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final TransportLog log;
    private final Map<String, long[]> kinds = new ConcurrentHashMap<>();  // kind -> {last report, left out}

    ThrottledLog(TransportLog log) {
        this.log = log;
    }

    TransportLog plain() {
        return log;
    }

    void error(String kind, String message) {
        String line = pass(kind, message);
        if (line != null) log.error(line);
    }

    void warn(String kind, String message) {
        String line = pass(kind, message);
        if (line != null) log.warn(line);
    }

    private String pass(String place, String message) {
        long now = System.nanoTime();
        String kind = place + ":" + message.substring(0, Math.min(48, message.length())).replaceAll("[0-9]", "");
        if (kinds.size() > 1_000) kinds.clear();  // a peer that varies its messages cannot grow this
        long[] state = kinds.computeIfAbsent(kind, k -> new long[] {now - INTERVAL_NANOS, 0});
        synchronized (state) {
            if (now - state[0] < INTERVAL_NANOS) {
                state[1]++;
                return null;
            }
            long leftOut = state[1];
            state[0] = now;
            state[1] = 0;
            return leftOut == 0 ? message : message + " (" + leftOut + " more like this in the last 5 s not shown)";
        }
    }
}
