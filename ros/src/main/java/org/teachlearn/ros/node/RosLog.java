package org.teachlearn.ros.node;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.ros.tcpros.TransportLog;

/**
 * A node's log: to the console as rospy prints it, and to {@code /rosout} as rosgraph_msgs/Log,
 * so rqt_console and the master's aggregator see it. Throttled variants print a given message at
 * most once per period.
 */
public final class RosLog implements TransportLog {

    private final Node node;
    private final Map<String, Long> lastPrinted = new ConcurrentHashMap<>();
    private volatile Publisher<Log> rosout;
    private volatile byte threshold = Log.INFO;

    RosLog(Node node) {
        this.node = node;
    }

    void attach(Publisher<Log> rosout) {
        this.rosout = rosout;
    }

    public void setDebug(boolean on) {
        threshold = on ? Log.DEBUG : Log.INFO;
    }

    public void debug(String message) {
        log(Log.DEBUG, message);
    }

    public void info(String message) {
        log(Log.INFO, message);
    }

    @Override
    public void warn(String message) {
        log(Log.WARN, message);
    }

    @Override
    public void error(String message) {
        log(Log.ERROR, message);
    }

    public void fatal(String message) {
        log(Log.FATAL, message);
    }

    /** Logs {@code message} at most once per {@code periodSeconds} for the same key. */
    public void warnThrottled(String key, double periodSeconds, String message) {
        if (due(key, periodSeconds)) log(Log.WARN, message);
    }

    public void errorThrottled(String key, double periodSeconds, String message) {
        if (due(key, periodSeconds)) log(Log.ERROR, message);
    }

    private boolean due(String key, double periodSeconds) {
        long now = System.nanoTime();
        Long last = lastPrinted.get(key);
        if (last != null && now - last < (long) (periodSeconds * 1e9)) return false;
        lastPrinted.put(key, now);
        return true;
    }

    public void log(byte level, String message) {
        if (level < threshold) return;
        var stamp = node.now();
        PrintStream out = level >= Log.WARN ? System.err : System.out;
        out.println("[" + levelName(level) + "] [" + stamp + "]: " + message);
        Publisher<Log> p = rosout;
        if (p == null) return;
        Log m = new Log();
        m.header.stamp.set(stamp);
        m.level = level;
        m.name = node.name();
        m.msg = message;
        m.file = "";
        m.function = "";
        m.topics = node.publishedTopics().toArray(new String[0]);
        synchronized (this) {
            try {
                p.publish(m);
            } catch (RuntimeException e) {
                // a log line must never take the node down
            }
        }
    }

    public static String levelName(byte level) {
        return switch (level) {
            case Log.DEBUG -> "DEBUG";
            case Log.INFO -> "INFO";
            case Log.WARN -> "WARN";
            case Log.ERROR -> "ERROR";
            default -> "FATAL";
        };
    }
}
