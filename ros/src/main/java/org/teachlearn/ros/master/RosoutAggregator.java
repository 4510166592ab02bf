package org.teachlearn.ros.master;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.RosLog;

/**
 * What roscore's rosout node does: gathers every node's /rosout into /rosout_agg and appends it
 * to {@code rosout.log} in the ROS log directory.
 */
public final class RosoutAggregator implements AutoCloseable {

    private final Node node;
    private final PrintWriter file;

    public RosoutAggregator(java.net.URI masterUri, Path logDir) throws IOException {
        node = Node.start(NodeArgs.parse("rosout", new String[0]).withMaster(masterUri));
        PrintWriter w = null;
        if (logDir != null) {
            Files.createDirectories(logDir);
            w = new PrintWriter(Files.newBufferedWriter(logDir.resolve("rosout.log"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        }
        file = w;
        Publisher<Log> agg = node.advertise("/rosout_agg", Log.TYPE, 100, false);
        node.subscribe("/rosout", Log.TYPE, 1000, m -> {
            agg.publish(m);
            if (file != null) {
                file.println(m.header.stamp + " " + RosLog.levelName(m.level) + " " + m.name + " [" + m.file + ":" + m.line
                        + "(" + m.function + ")] [topics: " + String.join(", ", m.topics) + "] " + m.msg);
            }
        });
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
