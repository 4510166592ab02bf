package org.teachlearn.ros.master;

import java.io.IOException;
import java.nio.file.Path;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.RosLog;
import org.teachlearn.ros.node.RotatingLogFile;

/**
 * What roscore's rosout node does: gathers every node's /rosout into /rosout_agg and appends it
 * to {@code rosout.log} in the ROS log directory, rotated as roscpp's rosout rotates it (100 MiB,
 * {@code rosout.log.1} … {@code .10}; $TEACH_LEARN_LOG_MAX_BYTES and $TEACH_LEARN_LOG_BACKUPS
 * change that; $ROSOUT_DISABLE_FILE_LOGGING turns the file off, as for roscpp's).
 */
public final class RosoutAggregator implements AutoCloseable {

    private final Node node;
    private final RotatingLogFile file;
    private final StringBuilder line = new StringBuilder(256);   // one line at a time, reused: a flood allocates nothing here

    public RosoutAggregator(java.net.URI masterUri, Path logDir) throws IOException {
        this(masterUri, logDir, RotatingLogFile.Limits.fromEnv(RotatingLogFile.Limits.ROSOUT));
    }

    public RosoutAggregator(java.net.URI masterUri, Path logDir, RotatingLogFile.Limits limits) throws IOException {
        node = Node.start(NodeArgs.parse("rosout", new String[0]).withMaster(masterUri));
        String off = System.getenv("ROSOUT_DISABLE_FILE_LOGGING");
        boolean disabled = off != null && (off.equalsIgnoreCase("true") || off.equals("1"));
        file = logDir != null && !disabled ? new RotatingLogFile(logDir.resolve("rosout.log"), limits) : null;
        Publisher<Log> agg = node.advertise("/rosout_agg", Log.TYPE, 100, false);
        node.subscribe("/rosout", Log.TYPE, 1000, m -> {
            agg.publish(m);
            if (file != null) write(m);
        });
    }

    /** The line roscpp's rosout writes: {@code secs.nsecs LEVEL name [file:line(function)] [topics: a, b] message}. */
    private void write(Log m) {
        synchronized (line) {
            line.setLength(0);
            line.append(m.header.stamp.secs & 0xffffffffL).append('.');
            long ns = m.header.stamp.nsecs & 0xffffffffL;   // nine digits, zero-padded, without String.format's garbage
            for (long d = 100_000_000L; d > 1 && ns < d; d /= 10) line.append('0');
            line.append(ns).append(' ').append(RosLog.levelName(m.level)).append(' ').append(m.name)
                    .append(" [").append(m.file).append(':').append(m.line).append('(').append(m.function).append(")] [topics: ");
            for (int i = 0; i < m.topics.length; i++) line.append(i == 0 ? "" : ", ").append(m.topics[i]);
            line.append("] ").append(m.msg);
            file.println(line);
        }
    }

    /** The directory roscore would log to: $ROS_LOG_DIR, else $ROS_HOME/log, else ~/.ros/log. */
    public static Path defaultLogDir() {
        String dir = System.getenv("ROS_LOG_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        String home = System.getenv("ROS_HOME");
        if (home != null && !home.isBlank()) return Path.of(home, "log");
        return Path.of(System.getProperty("user.home"), ".ros", "log");
    }

    @Override
    public void close() {
        node.shutdown("master closing");
        if (file != null) file.close();
    }
}
