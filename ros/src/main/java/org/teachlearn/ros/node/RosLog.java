package org.teachlearn.ros.node;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.ros.tcpros.TransportLog;

/**
 * A node's log: to the console as rospy prints it, to {@code /rosout} as rosgraph_msgs/Log, so
 * rqt_console and the master's aggregator see it, and — when the node is given {@code __log:=FILE},
 * as roslaunch gives it — to that file, rotated as rospy rotates its node logs (50 MB, 4 backups;
 * see {@link RotatingLogFile.Limits#fromEnv}). Throttled variants print a given message at most
 * once per period.
 */
public final class RosLog implements TransportLog {

    private final Node node;
    private final Map<String, Long> lastPrinted = new ConcurrentHashMap<>();
    private volatile Publisher<Log> rosout;
    private volatile byte threshold = Log.INFO;
    private final RotatingLogFile file;

    RosLog(Node node) {
        this.node = node;
        this.file = open(node.args().logDir());
    }

    private static RotatingLogFile open(String logFile) {
        if (logFile == null || logFile.isBlank()) return null;
        try {
            return new RotatingLogFile(java.nio.file.Path.of(logFile), RotatingLogFile.Limits.fromEnv(RotatingLogFile.Limits.NODE));
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("[WARN] cannot open the node log file " + logFile + " (" + e.getMessage() + "); logging to the console and /rosout only");
            return null;
        }
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

    /**
     * Whether a throttled line for {@code key} may go out now (and, if so, counts it as gone): lets a
     * hot path build its message only when it will be logged, e.g.
     * {@code if (log.due("limit", 1.0)) log.warn("..." + value)}.
     */
    public boolean due(String key, double periodSeconds) {
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
        String line = "[" + levelName(level) + "] [" + stamp + "]: " + message;
        out.println(line);
        if (file != null) file.println(line);   // the same line: no allocation of its own
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
